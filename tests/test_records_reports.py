"""Forms 0601/0602 of Thông tư 02/2023/TT-BNV from the records (issue 16): the counts equal a count
made here from the imported rows themselves, each figure's lines are the lines it counts, and the
.xlsx has the form's layout. SQLite always, PostgreSQL when a server can be started."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from openpyxl import load_workbook

from awards.catalogue import default_catalogue
from records import demo, reports
from records.columns import layout
from records.importing import import_file
from records_db import pg_server, records_db, records_url  # noqa: F401
from test_records_import import HEADER, write_xlsx

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
# State-level awards of the demo, written out by hand (not taken from the catalogue's levels).
STATE = ("Huân chương", "Nhà giáo ưu tú", "Thầy thuốc ưu tú", "Bằng khen của Thủ tướng Chính phủ",
         "Cờ thi đua của Chính phủ", "Chiến sĩ thi đua toàn quốc")
METHOD_WORDS = {"thường xuyên": "method:thuong_xuyen", "chuyên đề": "method:chuyen_de", "đột xuất": "method:dot_xuat",
                "cống hiến": "method:cong_hien", "niên hạn": "method:nien_han"}


def test_every_state_award_of_the_catalogue_has_one_group():
    for a in default_catalogue().awards:
        if reports.is_state_level(a.level):
            assert reports.award_group(a.name), a.name
    for ex in reports.spec()["examples"]:
        assert reports.award_group(ex["award"]) == ex["group"]


def test_0602_by_hand(records_db, tmp_path):
    rows = [
        ["1/QĐ-CTN", "10/03/2025", "Chủ tịch nước", "Chủ tịch nước", "Huân chương Lao động hạng Ba", "cá nhân", "Trần Thị Bích",
         "Sở Y tế tỉnh Lạng Sơn", 2024, None, None, "thường xuyên", "Ủy ban nhân dân tỉnh Lạng Sơn"],
        ["1/QĐ-CTN", "10/03/2025", "Chủ tịch nước", "Chủ tịch nước", "Huân chương Lao động hạng Ba", "tập thể", "Trạm Y tế xã A",
         "Sở Y tế tỉnh Lạng Sơn", 2024, None, None, "cống hiến", "Ủy ban nhân dân tỉnh Lạng Sơn"],
        ["2/QĐ-TTg", "11/04/2025", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "Bằng khen của Thủ tướng Chính phủ", "cá nhân",
         "Lê Văn Nam", "Sở Nội vụ tỉnh Bắc Ninh", 2024, None, None, "đột xuất", "Ủy ban nhân dân tỉnh Bắc Ninh"],
        ["3/QĐ-TTg", "11/04/2024", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "Bằng khen của Thủ tướng Chính phủ", "cá nhân",
         "Lê Văn Nam", "Sở Nội vụ tỉnh Bắc Ninh", 2023, None, None, None, "Ủy ban nhân dân tỉnh Bắc Ninh"],   # 2024: outside
        ["4/QĐ-UBND", "12/05/2025", "Ủy ban nhân dân tỉnh Bắc Ninh", "Vương Quốc Tuấn", "Giấy khen", "cá nhân",
         "Lê Văn Nam", "Sở Nội vụ tỉnh Bắc Ninh", 2024, None, None],                                            # not state-level
    ]
    import_file(records_db, write_xlsx(tmp_path / "a.xlsx", rows, header=HEADER + ["Loại hình khen thưởng", "Cơ quan trình"]),
                actor="cli:test")
    with records_db.session() as s:
        f = reports.compute(s, "0602", START, END)
        assert [r["label"] for r in f.rows] == ["Tổng số", "Ủy ban nhân dân tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Lạng Sơn"]
        assert f.value("Tổng số", "total") == 3
        assert f.value("Ủy ban nhân dân tỉnh Lạng Sơn", "kind:collective") == 1
        assert f.value("Ủy ban nhân dân tỉnh Lạng Sơn", "group:huan_chuong") == 2
        assert f.value("Ủy ban nhân dân tỉnh Lạng Sơn", "method:cong_hien") == 1
        assert f.value("Ủy ban nhân dân tỉnh Bắc Ninh", "method:dot_xuat") == 1
        assert f.value("Ủy ban nhân dân tỉnh Bắc Ninh", "group:bang_khen_ttg") == 1
        lines = reports.cell_items(s, "0602", START, END, "Tổng số", "kind:individual")
    assert sorted(x["name"] for x in lines) == ["Lê Văn Nam", "Trần Thị Bích"]


def _independent_0602(rows: list[list], start: dt.date, end: dt.date) -> Counter:
    """(row label, column key) → count, from the raw import rows."""
    at = {c.key: i for i, c in enumerate(layout().columns)}
    out: Counter = Counter()
    for r in rows:
        d, m, y = (int(x) for x in r[at["date"]].split("/"))
        if not (start <= dt.date(y, m, d) <= end) or not r[at["award"]].startswith(STATE):
            continue
        kind = "kind:individual" if r[at["recipient_kind"]] == "cá nhân" else "kind:collective"
        for label in ("Tổng số", r[at["submitter"]]):
            out[label, "total"] += 1
            out[label, kind] += 1
            out[label, METHOD_WORDS[r[at["method"]]]] += 1
            out[label, "group:huan_chuong"] += r[at["award"]].startswith("Huân chương")
    return out


def test_0602_equals_an_independent_count_of_the_demo_rows(records_db, tmp_path):
    rows = demo.rows(1500, seed=3)
    f = write_xlsx(tmp_path / "demo.xlsx", rows, header=[c.header for c in layout().columns])
    assert import_file(records_db, f, actor="cli:test").added == len(rows)
    start = dt.date(2021, 1, 1)
    expected = _independent_0602(rows, start, END)
    assert expected["Tổng số", "total"] > 50
    with records_db.session() as s:
        form = reports.compute(s, "0602", start, END)
        got = Counter({(r["label"], k): v for r in form.rows for k, v in r["cells"].items() if v})
        keys = {k for k in got if k[1].split(":")[0] in ("total", "kind", "method") or k[1] == "group:huan_chuong"}
        assert {k: got[k] for k in keys} == {k: v for k, v in expected.items() if v}
        # each figure is explained by exactly the lines it counts
        label = form.rows[1]["label"]
        lines = reports.cell_items(s, "0602", start, END, label, "kind:individual")
        assert len(lines) == form.value(label, "kind:individual")
        assert all(x["submitter"] == label and x["recipient_kind"] == "individual" for x in lines)


def test_0601_counts_the_movements(records_db):
    demo.fill(records_db, lines=50, seed=5, actor="cli:test")
    moves = [m for m in demo.movements(seed=5) if START <= m[2] <= END]
    with records_db.session() as s:
        f = reports.compute(s, "0601", START, END)
        assert f.value("Tổng số", "total") == len(moves)
        assert f.value("Tổng số", "movement:chuyen_de") == sum(m[0] == "chuyen_de" for m in moves)
        items = reports.cell_items(s, "0601", START, END, "Ủy ban nhân dân tỉnh Lai Châu", "total")
    assert len(items) == sum(m[3] == "Ủy ban nhân dân tỉnh Lai Châu" for m in moves)


def test_xlsx_layout(records_db, tmp_path):
    demo.fill(records_db, lines=400, seed=7, actor="cli:test")
    with records_db.session() as s:
        form = reports.compute(s, "0602", START, END)
    out = reports.write_xlsx(form, tmp_path / "0602.xlsx")
    ws = load_workbook(out).active
    assert ws["A1"].value == "Biểu số 0602.N/BNV-TĐKT" and ws["A2"].value == "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"
    assert "01/01/2025" in ws["A3"].value and "31/12/2025" in ws["A3"].value
    assert ws["B5"].value == "Cơ quan trình" and ws["D5"].value == "Chia theo đối tượng" and ws["D6"].value == "Tập thể"
    assert ws["B8"].value == "Tổng số" and ws["C8"].value == form.value("Tổng số", "total")


@pytest.mark.parametrize("form,start,end,words", [("0609", START, END, "không có biểu"), ("0602", END, START, "ngược")])
def test_bad_report_requests(records_db, form, start, end, words):
    from corpus.errors import UserError
    with records_db.session() as s, pytest.raises(UserError, match=words):
        reports.compute(s, form, start, end)


def test_demo_is_deterministic_and_labelled():
    a, b = demo.rows(300, seed=1), demo.rows(300, seed=1)
    assert a == b and a != demo.rows(300, seed=2) and len(a) == 300
    at = {c.key: i for i, c in enumerate(layout().columns)}
    assert all(r[at["number"]].endswith("-DEMO") and r[at["achievement"]] == demo.LABEL for r in a)
    years = {int(r[at["date"]][-4:]) for r in demo.rows(2000, seed=1)}
    assert min(y for y in years if y >= 2015) == 2015 and max(years) == 2025 and any(y < 1995 for y in years)
