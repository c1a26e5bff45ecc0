"""Import of award decisions from .xlsx/.csv (issue 16): the template's header, every row checked
with the cell named, nothing imported from a file with a bad row (unless the good rows are
accepted), a re-import adds nothing, bad files are one clear message. Runs on SQLite and on
PostgreSQL when a server can be started."""
from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import threading

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from corpus.errors import UserError
from records.importing import import_file
from records.models import AuditEntry, AwardLine, Decision, Person, ResistanceAward
from records_db import pg_server, records_db, records_url  # noqa: F401

HEADER = ["Số quyết định", "Ngày quyết định", "Cơ quan ban hành", "Người ký", "Hình thức khen thưởng",
          "Đối tượng (cá nhân / tập thể)", "Họ và tên / Tên tập thể", "Đơn vị", "Năm", "Căn cứ", "Thành tích"]
BASIS = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\nCăn cứ Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ;"
GOOD = [
    ["123/QĐ-UBND", "15/01/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Bằng khen của Chủ tịch UBND tỉnh",
     "cá nhân", "Nguyễn Văn An", "Ủy ban nhân dân xã Tân Lập", 2024, BASIS, None],
    ["123/QĐ-UBND", "15/01/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Bằng khen của Chủ tịch UBND tỉnh",
     "tập thể", "Phòng Văn hóa - Xã hội", "Ủy ban nhân dân xã Tân Lập", 2024, BASIS, None],
    ["45/QĐ-CTN", "2025-03-02", "Chủ tịch nước", "Lương Cường", "Huân chương Lao động hạng Ba",
     "cá nhân", "Trần Thị Bích", "Sở Nội vụ tỉnh Lạng Sơn", 2024, None, None],
    ["77/QĐ-UBND", "02/09/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "CSTĐ cơ sở",
     "cá nhân", "Nguyễn Văn An", "Ủy ban nhân dân xã Tân Lập", 2025, None, None],
    ["78/QĐ-UBND", "03/09/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Bằng khen của Chủ tịch UBND tỉnh",
     "cá nhân", "Lê Văn Tám", "Ủy ban nhân dân xã Tân Lập", None, None, "Dũng cảm cứu người trong lũ"],
]


def write_xlsx(path, rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_template_header_and_help_sheet(tmp_path):
    from records.exporting import write_template
    out = write_template(tmp_path / "mau.xlsx")
    wb = load_workbook(out)
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:9] == HEADER[:9]
    assert "Căn cứ" in header and "Thành tích" in header
    help_rows = list(wb.worksheets[1].iter_rows(values_only=True))
    described = {r[1]: r for r in help_rows[1:len(header) + 1]}
    assert set(described) == set(header)
    assert described["Ngày quyết định"][4] == "15/01/2025"     # an example for each column
    assert all(r[3] for r in described.values())                # and an explanation


def test_import_then_reimport_adds_nothing(records_db, tmp_path):
    f = write_xlsx(tmp_path / "qd.xlsx", GOOD)
    first = import_file(records_db, f, actor="cli:test")
    assert (first.added, first.existing, first.errors) == (5, 0, [])
    assert count(records_db, Decision) == 4
    assert count(records_db, Person) == 3          # Nguyễn Văn An twice, the same person
    again = import_file(records_db, f, actor="cli:test")
    assert again.summary() == "0 mới, 5 đã có"
    assert count(records_db, AwardLine) == 5 and count(records_db, Decision) == 4


def test_imported_values(records_db, tmp_path):
    import_file(records_db, write_xlsx(tmp_path / "qd.xlsx", GOOD), actor="cli:test")
    with records_db.session() as s:
        d = s.scalars(select(Decision).where(Decision.number == "123/QĐ-UBND")).one()
        assert (d.date.isoformat(), d.signer, d.issuer) == ("2025-01-15", "Hồ Tiến Thiệu", "Ủy ban nhân dân tỉnh Lạng Sơn")
        assert d.basis.splitlines()[1].startswith("Căn cứ Nghị định số 152/2025/NĐ-CP")
        kinds = {(x.award_kind.name, x.year, x.achievement) for x in s.scalars(select(AwardLine))}
    assert ("Chiến sĩ thi đua cơ sở", 2025, None) in kinds                    # the abbreviation CSTĐ
    assert ("Bằng khen của Bộ, ban, ngành, tỉnh", None, "Dũng cảm cứu người trong lũ") in kinds


def test_every_change_is_audited_with_its_actor(records_db, tmp_path):
    import_file(records_db, write_xlsx(tmp_path / "qd.xlsx", GOOD), actor="cli:lan")
    with records_db.session() as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "award_line")).all()
        assert len(audits) == 5 and {a.actor for a in audits} == {"cli:lan"} and {a.action for a in audits} == {"insert"}
        assert all(a.after["decision_id"] for a in audits)
        p = s.scalars(select(Person).where(Person.full_name == "Lê Văn Tám")).one()
        pid = p.id
    with records_db.session(actor="cli:hoa") as s:
        s.get(Person, pid).birth_year = 1950
    with records_db.session() as s:
        upd = s.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert (upd.actor, upd.row_id, upd.before["birth_year"], upd.after["birth_year"]) == ("cli:hoa", str(pid), None, 1950)


def test_a_session_without_actor_cannot_write(records_db):
    with pytest.raises(UserError, match="actor"):
        with records_db.session() as s:
            s.add(Person(full_name="X", name_folded="x"))
    assert count(records_db, Person) == 0


# (cells to change in GOOD[0], the column letter, the header, words of the message)
BAD_ROWS = [
    ({1: "32/13/2025"}, "B", "Ngày quyết định", "không phải ngày"),
    ({1: None}, "B", "Ngày quyết định", "ô trống"),
    ({4: "Bằng khen của Hội đồng hương"}, "E", "Hình thức khen thưởng", "không có"),
    ({4: "Cờ thi đua của Chính phủ"}, "E", "Hình thức khen thưởng", "không dành cho cá nhân"),
    ({5: "đoàn thể"}, "F", "Đối tượng (cá nhân / tập thể)", "cá nhân, tập thể"),
    ({6: "  "}, "G", "Họ và tên / Tên tập thể", "ô trống"),
    ({8: "20x4"}, "I", "Năm", "không phải năm"),
    ({8: 1890}, "I", "Năm", "ngoài khoảng"),
    ({8: None}, "I", "Năm", "Thành tích"),
    ({4: "Huân chương Kháng chiến hạng Nhì"}, "E", "Hình thức khen thưởng", "thời kỳ"),
    ({3: "Nguyễn Khác"}, "D", "Người ký", "người ký"),     # same decision, another signer than row 3
]


@pytest.mark.parametrize("change,letter,header,words", BAD_ROWS)
def test_one_bad_row_imports_nothing_and_names_the_cell(records_db, tmp_path, change, letter, header, words):
    bad = list(GOOD[0])
    for i, v in change.items():
        bad[i] = v
    f = write_xlsx(tmp_path / "qd.xlsx", [GOOD[0], GOOD[2], bad, GOOD[3]])
    result = import_file(records_db, f, actor="cli:test")
    assert not result.imported and count(records_db, AwardLine) == 0 and count(records_db, Decision) == 0
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    msg = str(result.errors[0])
    assert msg.startswith(f"dòng 4, cột {letter} ({header}): ") and words in msg


def test_accept_good_rows_imports_the_others(records_db, tmp_path):
    bad = list(GOOD[2])
    bad[4] = "Huân chương Lao động hạng Tư"
    f = write_xlsx(tmp_path / "qd.xlsx", [GOOD[0], bad, GOOD[3]])
    result = import_file(records_db, f, actor="cli:test", accept_good_rows=True)
    assert result.imported and result.added == 2 and [e.row for e in result.errors] == [3]
    assert count(records_db, AwardLine) == 2


def test_resistance_war_rows(records_db, tmp_path):
    rows = [["12/QĐ-CTN", "10/05/1986", "Chủ tịch Hội đồng Nhà nước", "Trường Chinh", "Huân chương Kháng chiến hạng Nhì chống Mỹ",
             "cá nhân", "Hoàng Văn Thụ", "Ủy ban nhân dân xã Tân Lập", None, None, None],
            ["12/QĐ-CTN", "10/05/1986", "Chủ tịch Hội đồng Nhà nước", "Trường Chinh", "Huy chương kháng chiến hạng nhất",
             "cá nhân", "Đinh Thị Mai", "Ủy ban nhân dân xã Tân Lập", None, None, None, "chống Pháp"]]
    f = write_xlsx(tmp_path / "kc.xlsx", rows, header=HEADER + ["Thời kỳ kháng chiến"])
    assert import_file(records_db, f, actor="cli:test").added == 2
    with records_db.session() as s:
        got = {(r.kind, r.period, r.person.full_name) for r in s.scalars(select(ResistanceAward))}
    assert got == {("Huân chương Kháng chiến hạng Nhì", "chống Mỹ", "Hoàng Văn Thụ"),
                   ("Huy chương Kháng chiến hạng Nhất", "chống Pháp", "Đinh Thị Mai")}
    assert import_file(records_db, f, actor="cli:test").summary() == "0 mới, 2 đã có"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_import_and_tolerant_headers(records_db, tmp_path, delimiter):
    # headers typed without accents, in another order, with the other accepted names
    header = ["so quyet dinh", "NGÀY QUYẾT ĐỊNH", "co quan ban hanh", "Người ký", "Danh hiệu", "Đối tượng",
              "Họ và tên", "Đơn vị", "Năm"]
    order = [6, 0, 1, 2, 3, 4, 5, 7, 8]
    f = tmp_path / "qd.csv"
    with f.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow([header[i] for i in order])
        for r in GOOD[:4]:
            w.writerow([r[i] for i in order])
    result = import_file(records_db, f, actor="cli:test")
    assert (result.added, result.errors) == (4, [])


BAD_FILES = [
    ("empty.xlsx", b"", "rỗng"),
    ("text.xlsx", b"So quyet dinh,Ngay\n", "không phải tệp Excel"),
    ("binary.csv", b"\x00\x01\x02PK", "không phải tệp CSV"),
    ("latin1.csv", "Số quyết định;Ngày\n".encode("cp1258", errors="replace") + b"\xff\xfe", "UTF-8"),
]


@pytest.mark.parametrize("name,content,words", BAD_FILES)
def test_bad_files_are_clear_messages(records_db, tmp_path, name, content, words):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(UserError, match=words):
        import_file(records_db, f, actor="cli:test")


def test_wrong_header_and_header_only(records_db, tmp_path):
    with pytest.raises(UserError, match="thiếu cột Hình thức khen thưởng"):
        import_file(records_db, write_xlsx(tmp_path / "a.xlsx", [], header=[h for h in HEADER if h != "Hình thức khen thưởng"]),
                    actor="cli:test")
    with pytest.raises(UserError, match="không có dòng dữ liệu"):
        import_file(records_db, write_xlsx(tmp_path / "b.xlsx", []), actor="cli:test")


def test_huge_file_refused(records_db, tmp_path, monkeypatch):
    import records.reading as reading
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    with pytest.raises(UserError, match="quá lớn"):
        import_file(records_db, write_xlsx(tmp_path / "a.xlsx", GOOD), actor="cli:test")


def test_lookup_during_import_never_sees_half_a_decision(records_db, tmp_path):
    n = 1500
    rows = [["900/QĐ-UBND", "01/12/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Giấy khen", "cá nhân",
             f"Người Thứ {i}", "Ủy ban nhân dân xã Tân Lập", 2025] for i in range(n)]
    f = write_xlsx(tmp_path / "big.xlsx", rows, header=HEADER[:9])
    seen: list[int] = []
    done = threading.Event()

    def watch():
        while not done.is_set():
            with records_db.session() as s:
                seen.append(s.scalar(select(func.count()).select_from(AwardLine)))
    t = threading.Thread(target=watch)
    t.start()
    try:
        import_file(records_db, f, actor="cli:test")
    finally:
        done.set()
        t.join()
    assert seen and set(seen) <= {0, n}
    assert count(records_db, AwardLine) == n


def _tdkt(*args, env_url):
    import os
    return subprocess.run([sys.executable, "-m", "search_app.cli", "records", "--database", env_url, *args],
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=120)


def test_cli_import_exit_codes(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    bad = list(GOOD[0])
    bad[4] = "Bằng khen của Hội đồng hương"
    p = _tdkt("import", str(write_xlsx(tmp_path / "bad.xlsx", [GOOD[0], bad])), env_url=url)
    assert p.returncode == 2 and "dòng 3, cột E (Hình thức khen thưởng)" in p.stderr and "Traceback" not in p.stderr
    p = _tdkt("import", str(write_xlsx(tmp_path / "good.xlsx", GOOD)), env_url=url)
    assert p.returncode == 0 and "5 mới, 0 đã có" in p.stdout
    p = _tdkt("import", str(tmp_path / "good.xlsx"), env_url=url)
    assert "0 mới, 5 đã có" in p.stdout
    (tmp_path / "x.xlsx").write_text("not a workbook")
    p = _tdkt("import", str(tmp_path / "x.xlsx"), env_url=url)
    assert p.returncode == 2 and "không phải tệp Excel" in p.stderr and "Traceback" not in p.stderr
    p = _tdkt("template", str(tmp_path / "mau.xlsx"), env_url=url)
    assert p.returncode == 0 and (tmp_path / "mau.xlsx").is_file()


def test_the_templates_example_row_imports(records_db, tmp_path):
    """The help sheet's example row, copied to the import sheet, is a valid row (columns.yaml's examples)."""
    from records.columns import layout
    from records.exporting import write_template
    wb = load_workbook(write_template(tmp_path / "mau.xlsx"))
    example = list(wb.worksheets[1].iter_rows(values_only=True))[-1]
    f = write_xlsx(tmp_path / "vd.xlsx", [list(example)], header=[c.header for c in layout().columns])
    result = import_file(records_db, f, actor="cli:test")
    assert (result.added, [str(e) for e in result.errors]) == (1, [])


# (cells changed in GOOD[0]; what is stored) — the forms offices write that must be accepted
ACCEPTED = [
    ({1: dt.datetime(2025, 1, 15)}, ("date", "2025-01-15")),      # an Excel date cell
    ({1: "15.01.2025"}, ("date", "2025-01-15")),
    ({1: "5/1/2025"}, ("date", "2025-01-05")),
    ({8: 2024.0}, ("year", 2024)),
    ({8: " 2024 "}, ("year", 2024)),
    ({0: "Số 123/QĐ-UBND"}, ("number", "123/QĐ-UBND")),
    ({4: "bang khen cua chu tich uy ban nhan dan tinh"}, ("award", "Bằng khen của Bộ, ban, ngành, tỉnh")),
    ({4: "Gia đình văn hóa", 5: "hộ gia đình", 6: "Hộ ông Nguyễn Văn Ba"}, ("award", "Gia đình văn hóa")),
    ({6: "Nguyễn  Văn   An"}, ("name", "Nguyễn Văn An")),
]


@pytest.mark.parametrize("change,expected", ACCEPTED)
def test_forms_offices_write_are_accepted(records_db, tmp_path, change, expected):
    from records.lookup import Query, search
    row = list(GOOD[0])
    for i, v in change.items():
        row[i] = v
    result = import_file(records_db, write_xlsx(tmp_path / "a.xlsx", [row]), actor="cli:test")
    assert (result.added, [str(e) for e in result.errors]) == (1, [])
    with records_db.session() as s:
        line = search(s, Query(date_from=dt.date(2000, 1, 1)))[0]
    key, value = expected
    got = {"date": line["decision_date"], "year": line["year"], "number": line["decision_number"],
           "award": line["award"], "name": line["name"]}[key]
    assert got == value
