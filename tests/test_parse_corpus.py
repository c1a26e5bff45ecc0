"""Every bundled corpus file parses (no exception, ≥1 document with sections), and spot checks of
corpus-extra metadata and structure written from reading those files."""
import re

import pytest

from corpus.ids import is_valid_id
from corpus.parse import parse_file
from corpus.render import to_markdown
from corpus.sources import iter_sources

SOURCES = iter_sources()
_SECTION_ID = re.compile(r"^[a-z0-9._-]+$")


@pytest.fixture(scope="module")
def parsed():
    return {s.rel: parse_file(s) for s in SOURCES}


def docs_of(parsed, rel):
    return parsed[rel].documents


def test_every_file_parses_into_documents_with_sections(parsed):
    assert len(SOURCES) == 95
    ids = []
    for rel, result in parsed.items():
        assert result.documents, rel
        for doc in result.documents:
            assert doc.sections, f"{rel} {doc.id}"
            assert is_valid_id(doc.id), doc.id
            assert all(_SECTION_ID.match(s.id) for s in doc.sections), rel
            assert len({s.id for s in doc.sections}) == len(doc.sections), f"{rel}: duplicate section ids"
            assert doc.content_hash and doc.source_file == rel
            ids.append(doc.id)
            to_markdown(doc)
        assert all(w.startswith(f"{rel}: ") for w in result.warnings)


def test_codified_flag(parsed):
    for rel, result in parsed.items():
        expected = rel.startswith("extra/phapdien_29_1/") or rel in ("extra/91_2017_NĐ-CP.txt", "extra/12_2019_TT-BNV.txt")
        assert all(d.codified == expected for d in result.documents), rel


def test_law_06_2022(parsed):
    (law,) = docs_of(parsed, "extra/06_2022_QH15.txt")
    assert (law.doc_type, law.symbol, law.number, law.issuer, law.issuer_code) == ("Luật", "06/2022/QH15", "06", "Quốc hội", "QH")
    assert law.date.iso() == "2022-06-15" and law.id == "06-2022-qh15" and law.province is None
    articles = [s for s in law.sections if s.kind == "dieu"]
    assert [s.label for s in articles] == [f"Điều {n}" for n in range(1, 97)]
    assert articles[0].heading == "Phạm vi điều chỉnh" and articles[0].parent == "chuong-1"
    assert (law.signer, law.signer_capacity) == ("Vương Đình Huệ", "CHỦ TỊCH QUỐC HỘI")
    assert not law.tables   # the "| |Vương Đình Huệ |" layout rows of the signature are not a table
    chuong = [s for s in law.sections if s.kind == "chuong"]
    assert chuong[0].label == "Chương I" and chuong[0].heading == "NHỮNG QUY ĐỊNH CHUNG"


def test_consolidated_law_articles_without_glued_footnote_digits(parsed):
    (doc,) = docs_of(parsed, "extra/16_VBHN-VPQH.txt")
    assert (doc.symbol, doc.issuer, doc.date.iso()) == ("16/VBHN-VPQH", "Văn phòng Quốc hội", "2013-12-13")
    assert doc.signer == "Nguyễn Hạnh Phúc"
    articles = [s.label for s in doc.sections if s.kind == "dieu"]
    assert articles == [f"Điều {n}" for n in range(1, 104)]
    # the list of amending laws before Chương I stays in the preamble
    assert [s.id for s in doc.sections if s.parent is None][:2] == ["preamble", "chuong-1"]
    assert "1. Luật số 47/2005/QH11" in doc.sections[0].text
    dieu4 = doc.section("chuong-1.dieu-4")
    assert "2" in dieu4.footnotes
    note2 = next(f for f in doc.footnotes if f.marker == "2")
    assert note2.section_id == "chuong-1.dieu-4" and note2.text.startswith("Điều này được sửa đổi, bổ sung")
    assert "Điều này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1" not in dieu4.text


@pytest.mark.parametrize("rel,symbol,province,date,signer,capacity", [
    ("extra/0124_KH-UBND.txt", "0124/KH-UBND", "Đắk Lắk", "2025-11-18", "Đào Mỹ", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),
    ("extra/982_KH-UBND.txt", "982/KH-UBND", "Nghệ An", "2025-11-19", "Phùng Thành Vinh", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),
    ("extra/157_KH-UBND.txt", "157/KH-UBND", "Cần Thơ", "2025-11-18", "Nguyễn Thị Ngọc Điệp", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),
])
def test_provincial_plans(parsed, rel, symbol, province, date, signer, capacity):
    doc = docs_of(parsed, rel)[0]
    assert (doc.doc_type, doc.type_code, doc.symbol, doc.issuer_code) == ("Kế hoạch", "KH", symbol, "UBND")
    assert doc.province == province and doc.issuer.endswith(province) and doc.place == province
    assert doc.date.iso() == date and (doc.signer, doc.signer_capacity) == (signer, capacity)
    assert doc.title.startswith(("PHÁT ĐỘNG", "TRIỂN KHAI")) and doc.recipients


def test_plan_0124_outline(parsed):
    doc = docs_of(parsed, "extra/0124_KH-UBND.txt")[0]
    assert [s.id for s in doc.sections if s.parent is None][:2] == ["preamble", "i"]
    assert doc.section("i.1").heading == "Mục đích" and doc.section("i.1.a").kind == "lettered"
    assert doc.recipients[0] == "Ban Thi đua - Khen thưởng Trung ương (b/c)"


def test_scoring_table_of_157(parsed):
    doc = docs_of(parsed, "extra/157_KH-UBND.txt")[0]
    table = doc.tables[-1]
    assert table.header == ["STT", "TIÊU CHÍ THI ĐUA", "ĐIỂM CHUẨN", "HƯỚNG DẪN CHẤM ĐIỂM"]
    assert table.rows[0] == ["I", "NHÓM XÃ, PHƯỜNG", "115"]
    assert table.rows[1][0] == "1" and table.rows[1][2] == "20" and table.rows[1][1].startswith("Tỷ lệ % người hưởng")
    assert doc.section(table.section_id).parent.startswith("phu-luc")


@pytest.mark.parametrize("rel,attachment_type,title", [
    ("extra/71_2025_QĐ-UBND.txt", "Quy chế", "XÉT TẶNG DANH HIỆU “CÔNG DÂN THỦ ĐÔ ƯU TÚ”"),
    ("extra/86_2025_QĐ-UBND.txt", "Quy định", "VỀ CÔNG TÁC THI ĐUA, KHEN THƯỞNG TỈNH BẮC NINH"),
])
def test_decision_and_its_attached_regulation(parsed, rel, attachment_type, title):
    decision, attached = docs_of(parsed, rel)
    assert decision.doc_type == "Quyết định" and attached.doc_type == attachment_type and attached.title == title
    assert {"relation": "issues", "target": attached.id} in decision.links
    assert attached.links == [{"relation": "attached_to", "target": decision.id}]
    assert attached.symbol is None and attached.issuer == decision.issuer and attached.date == decision.date
    assert any(s.kind == "chuong" for s in attached.sections)
    assert not any(s.kind == "chuong" for s in decision.sections)


def test_hung_yen_draft_guide(parsed):
    (doc,) = docs_of(parsed, "extra/other/HungYen_HD-HDTDKT_2021_du-thao.txt")
    assert doc.draft and doc.doc_type == "Hướng dẫn" and doc.symbol == "/HD-HĐTĐKT" and doc.number is None
    assert doc.issuer == "Hội đồng Thi đua - Khen thưởng tỉnh Hưng Yên" and doc.date.iso() == "2021"
    assert [s.id for s in doc.sections if s.kind == "part"][:2] == ["part-a", "part-b"]


def test_codified_articles(parsed):
    (doc,) = docs_of(parsed, "extra/phapdien_29_1/01_2012_TT-BNV.txt")
    assert (doc.doc_type, doc.symbol, doc.issuer, doc.date.iso()) == ("Thông tư", "01/2012/TT-BNV", "Bộ Nội vụ", "2012-01-16")
    assert doc.sections[1].label == "Điều 1" and doc.sections[1].heading == "Phạm vi điều chỉnh"
    (quy,) = docs_of(parsed, "extra/phapdien_29_1/Quy.txt")
    assert quy.symbol is None and [s.label for s in quy.sections if s.kind == "dieu"] == ["Điều 3", "Điều 5"]


def test_no_word_of_any_corpus_file_is_lost(parsed):
    """The no-loss property of test_parse_properties, on every bundled file. The one intended change:
    16/VBHN's glued "Điều 216" is Điều 21 + footnote 6, so "216" lives on as label + marker."""
    from corpus.parse import read_source
    from test_parse_properties import _MARKUP, output_text, words

    for src in SOURCES:
        result = parsed[src.rel]
        out = "".join(c for c in output_text(result) if c not in _MARKUP)
        tokens = set(out.split())
        glued = {f"{s.label.split()[-1]}{m}" for d in result.documents for s in d.sections if s.kind == "dieu"
                 for m in s.footnotes}
        lost = [w for w in words(read_source(src)) if w not in tokens and w not in glued and w not in out]
        assert not lost, f"{src.rel}: lost {lost[:10]}"
