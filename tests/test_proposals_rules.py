"""The proposals' data and rules as tables of cases: the workflow's examples (proposals/data/
workflow.yaml), the deciding levels of real awards of the catalogue (authority.yaml's examples)
and the unit that receives a proposal, attachments sniffed by their content, yearly deadlines read
from the catalogue's quotes, the registration file's rows checked with the row and cell named,
and the decision draft's annex."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml

from corpus.errors import UserError
from proposals import attachments, deadlines, routing, workflow
from proposals.dossier import find_award
from proposals_site import docx_bytes, pdf_bytes, xlsx_bytes
from records.models import Unit


def _examples(kind: str):
    return [(kind, *e) for e in workflow.workflow(kind).examples]


@pytest.mark.parametrize("kind, status, action, expected", _examples("proposal") + _examples("registration"))
def test_workflow_examples(kind, status, action, expected):
    flow = workflow.workflow(kind)
    if expected == "refused":
        with pytest.raises(workflow.WrongStatus):
            flow.next_status(status, action)
    else:
        assert flow.next_status(status, action) == expected


def test_every_status_is_reachable_and_every_open_one_has_a_holder():
    for kind in ("proposal", "registration"):
        flow = workflow.workflow(kind)
        reached = {"draft"} | {r.target for r in flow.rules.values()}
        assert reached == set(flow.statuses), kind
        for status in flow.statuses:
            assert (flow.holder(status) == "none") == (not flow.moves_from(status)), (kind, status)


AUTHORITY = yaml.safe_load(routing.AUTHORITY_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", AUTHORITY["examples"], ids=lambda c: c["award"])
def test_deciding_levels_of_real_awards(case):
    assert routing.deciding_levels(find_award(case["award"]), case["day"]) == case["levels"]


def _tree():
    tinh = Unit(id=1, code="T", name="UBND tỉnh Bắc Ninh", name_folded="", level="tỉnh")
    so = Unit(id=2, code="S", name="Sở Giáo dục và Đào tạo", name_folded="", level="sở-ngành", parent=tinh)
    xa = Unit(id=3, code="X", name="UBND phường Kinh Bắc", name_folded="", level="phường", parent=tinh)
    truong = Unit(id=4, code="TH", name="Trường Tiểu học Kinh Bắc", name_folded="", level="khác", parent=xa)
    return tinh, so, xa, truong


@pytest.mark.parametrize("proposer, award, receiver", [
    ("TH", "Lao động tiên tiến", "X"),                      # a school's Lao động tiên tiến: the Chủ tịch of its phường
    ("X", "Bằng khen của Thủ tướng Chính phủ", "T"),        # decided above the province: the province forwards it
    ("TH", "Cờ thi đua của Chính phủ", "T"),
    ("X", "Chiến sĩ thi đua cấp tỉnh", "T"),
    ("S", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "T"),
    ("TH", "Chiến sĩ thi đua cơ sở", "X"),                 # no sở above a school of the phường: the unit just above
])
def test_the_receiving_unit(proposer, award, receiver):
    units = {u.code: u for u in _tree()}
    assert routing.receiving_unit(units[proposer], find_award(award), dt.date(2026, 3, 1)).code == receiver


def test_a_unit_without_a_level_above_is_told_so():
    tinh = _tree()[0]
    with pytest.raises(UserError, match="không có cấp trên"):
        routing.receiving_unit(tinh, find_award("Bằng khen của Thủ tướng Chính phủ"), dt.date(2026, 3, 1))


@pytest.mark.parametrize("award, issuer", [
    ("Bằng khen của Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
    ("Cờ thi đua của Chính phủ", "Thủ tướng Chính phủ"),     # the Government delegates it (Điều 37 NĐ 152/2025)
    ("Huân chương Lao động hạng Ba", "Chủ tịch nước"),
    ("Chiến sĩ thi đua cấp tỉnh", None),
])
def test_the_central_issuer(award, issuer):
    assert routing.central_issuer(find_award(award), dt.date(2026, 3, 1)) == issuer


@pytest.mark.parametrize("name, content, media", [
    ("bao-cao.pdf", pdf_bytes(), "application/pdf"),
    ("to-trinh.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("danh-sach.xlsx", xlsx_bytes([["Họ và tên"], ["Nguyễn Thị Hoa"]]), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("anh-chup.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg"),
    ("bien-ban.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
])
def test_allowed_files_are_known_by_their_content(name, content, media):
    assert attachments.check(name, content).media_type == media


@pytest.mark.parametrize("name, content, words", [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64, "nội dung là exe"),
    ("to-trinh.docx", b"PK\x03\x04" + b"\x00" * 64, "nội dung là zip"),   # a zip that is no Word document
    ("x.pdf", b"#!/bin/sh\nrm -rf /\n", "không nhận ra"),
    ("x.sh", pdf_bytes(), "có đuôi .sh nhưng nội dung là pdf"),
    ("khong-duoi", pdf_bytes(), "có đuôi .(không có)"),
])
def test_other_files_are_refused_naming_them(name, content, words):
    with pytest.raises(attachments.BadAttachment) as err:
        attachments.check(name, content)
    assert words in str(err.value)


@pytest.mark.parametrize("given, kept", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\lan\\Tờ trình.pdf", "Tờ trình.pdf"),
    ('bao"cao;\r\n.pdf', "bao_cao_.pdf"),
    ("", "tep-dinh-kem"),
])
def test_file_names_lose_folders_and_header_characters(given, kept):
    assert attachments.safe_filename(given) == kept


@pytest.mark.parametrize("award, today, expected", [
    ("Cờ thi đua của Chính phủ", dt.date(2026, 5, 1), [dt.date(2026, 6, 30)]),
    ("Cờ thi đua của Chính phủ", dt.date(2026, 7, 1), []),                     # the next one is 364 days away
    ("Bằng khen của Thủ tướng Chính phủ", dt.date(2026, 5, 1), []),           # counted from receipt: not a date
])
def test_yearly_deadlines_from_the_catalogue(award, today, expected):
    assert [d.day for d in deadlines.approaching([award], today)] == expected


def test_a_deadline_cites_its_article():
    (d,) = deadlines.approaching(["Cờ thi đua của Chính phủ"], dt.date(2026, 6, 1))
    assert d.days_left == 29 and "Điều 35" in d.article and "152/2025/NĐ-CP" in d.article


def test_a_registration_file_with_a_bad_row_adds_nothing_and_names_the_cell(tmp_path):
    from proposals.registration import BadFile, _entry, layout
    from records.importing import map_header
    from records.reading import read_table
    path = tmp_path / "dang-ky.xlsx"
    path.write_bytes(xlsx_bytes([["Đối tượng", "Họ và tên", "Danh hiệu đăng ký"],
                                 ["cá nhân", "Nguyễn Văn Hùng", "CSTĐ cơ sở"],
                                 ["tập thể", "Tổ Văn", "Chiến sĩ thi đua cơ sở"],
                                 ["người", "Trần Thị Mai", "Lao động tiên tiến"],
                                 ["cá nhân", "Lê Văn Nam", "Huy chương Vàng Olympic"]]))
    header, _rows = read_table(path)
    assert set(map_header(header, layout(), path.name)) == {"kind", "name", "award"}
    assert _entry("cá nhân", "Nguyễn Văn Hùng", "CSTĐ cơ sở", None).award == "Chiến sĩ thi đua cơ sở"

    class Reg:
        status, entries, id = "draft", [], 1
    from proposals import registration
    with pytest.raises(BadFile) as err:
        registration.import_file(_NoSession(), Reg(), path)
    text = str(err.value)
    assert [e.row for e in err.value.errors] == [3, 4, 5]
    assert [e.column for e in err.value.errors] == ["C", "A", "C"]
    assert "không tặng cho tập thể" in text and "người" in text and "Huy chương Vàng Olympic" in text
    assert Reg.entries == []


class _NoSession:
    def flush(self):
        raise AssertionError("nothing may be written from a file with errors")


def test_the_decision_draft_lists_the_recipients_in_an_annex():
    from docx import Document
    from awards.docx_export import decision_opening
    result = {"award": {"name": "Cờ thi đua của Chính phủ", "decision_name": "Cờ thi đua của Chính phủ", "level": "Nhà nước",
                        "date": "2026-11-20", "province": "Bắc Ninh", "recipient_label": "tập thể"},
              "basis": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"]}
    annex = [{"name": "Trường THCS Nội Duệ", "kind_label": "tập thể", "unit": "xã Nội Duệ", "achievement": "Dẫn đầu phong trào"},
             {"name": "Trạm Y tế xã Nội Duệ", "kind_label": "tập thể", "unit": "xã Nội Duệ", "achievement": ""}]
    doc = Document(io.BytesIO(decision_opening(result, annex=annex)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "cho 2 tập thể, cá nhân có tên trong danh sách kèm theo" in text
    assert "Số: ………/QĐ-………" in [c.text for c in doc.tables[0].rows[0].cells][0]
    rows = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích"]
    assert rows[1][:2] == ["1", "Trường THCS Nội Duệ (tập thể)"] and rows[2][0] == "2"
