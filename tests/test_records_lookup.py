"""Lookup of the records (issue 16): accent-insensitive names, filters by award, unit (with its
sub-units and merged units) and period, a person's history, a decision's căn cứ lines checked
against the registry as of the decision's date, export to .xlsx that imports back the same."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from corpus.errors import UserError
from corpus.registry import Registry
from records import lookup
from records.exporting import write_lines
from records.importing import import_file
from records.lookup import Query
from records.models import Unit
from records_db import pg_server, records_db, records_url  # noqa: F401
from test_records_import import GOOD, HEADER, write_xlsx

EXTRA = [
    ["9/QĐ-UBND", "20/11/2019", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Lao động tiên tiến", "cá nhân",
     "Nguyễn Văn Anh", "Ủy ban nhân dân xã Tân Lập", 2019,
     "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ;", None],
    ["10/QĐ-UBND", "20/11/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Giấy khen", "cá nhân",
     "Phạm Thị Hoà", "Ủy ban nhân dân xã Hợp Thành", 2025,
     "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ;", None],
]


@pytest.fixture
def filled(records_db, tmp_path):
    import_file(records_db, write_xlsx(tmp_path / "qd.xlsx", GOOD + EXTRA), actor="cli:test")
    return records_db


def names(db, **kw):
    with db.session() as s:
        return sorted({r["name"] for r in lookup.search(s, Query(**kw))})


# (typed, the names found) — accents, case, tone-mark placement do not matter; the name is matched from its start
NAMES = [
    ("nguyen van an", ["Nguyễn Văn An", "Nguyễn Văn Anh"]),
    ("Nguyễn Văn An", ["Nguyễn Văn An", "Nguyễn Văn Anh"]),
    ("NGUYEN VAN ANH", ["Nguyễn Văn Anh"]),
    ("nguyen  van   anh ", ["Nguyễn Văn Anh"]),
    ("pham thi hoa", ["Phạm Thị Hoà"]),
    ("Phạm Thị Hòa", ["Phạm Thị Hoà"]),
    ("phong van hoa", ["Phòng Văn hóa - Xã hội"]),
    ("tran", ["Trần Thị Bích"]),
    ("van an", []),
    ("Nguyễn Văn Bình", []),
]


@pytest.mark.parametrize("typed,found", NAMES)
def test_name_search_is_accent_insensitive(filled, typed, found):
    assert names(filled, name=typed) == found


def test_filters(filled):
    assert names(filled, name="nguyen van an", award="CSTĐ cơ sở") == ["Nguyễn Văn An"]
    assert names(filled, award="Huân chương Lao động hạng Ba") == ["Trần Thị Bích"]
    assert names(filled, name="nguyen", date_from=dt.date(2025, 1, 1)) == ["Nguyễn Văn An"]
    assert names(filled, name="nguyen", date_to=dt.date(2020, 1, 1)) == ["Nguyễn Văn Anh"]
    assert names(filled, unit="uy ban nhan dan xa hop thanh") == ["Phạm Thị Hoà"]
    with pytest.raises(UserError, match="ít nhất một điều kiện"):
        names(filled, name="  ")
    with pytest.raises(UserError, match="đơn vị"):
        names(filled, unit="Xã Không Có")


def test_unit_includes_sub_units_and_merged_units(filled):
    with filled.session(actor="cli:test") as s:
        huyen = Unit(code="huyen-x", name="Ủy ban nhân dân huyện Cao Lộc", name_folded="uy ban nhan dan huyen cao loc", level="huyện")
        s.add(huyen)
        s.flush()
        units = {u.name: u for u in s.query(Unit)}
        units["Ủy ban nhân dân xã Tân Lập"].parent_id = huyen.id
        # xã Hợp Thành merged into xã Tân Lập (its history stays, counted under the new unit)
        units["Ủy ban nhân dân xã Hợp Thành"].merged_into_id = units["Ủy ban nhân dân xã Tân Lập"].id
        units["Ủy ban nhân dân xã Hợp Thành"].valid_to = dt.date(2025, 6, 30)
    assert names(filled, unit="Ủy ban nhân dân huyện Cao Lộc") == ["Lê Văn Tám", "Nguyễn Văn An", "Nguyễn Văn Anh",
                                                                   "Phòng Văn hóa - Xã hội", "Phạm Thị Hoà"]
    assert names(filled, unit="Ủy ban nhân dân xã Hợp Thành") == ["Phạm Thị Hoà"]


def test_person_history_and_decision(filled):
    with filled.session() as s:
        an = next(r for r in lookup.search(s, Query(name="Nguyễn Văn An")) if r["name"] == "Nguyễn Văn An")
        h = lookup.history(s, person_id=an["person_id"])
        assert [(x["award"], x["year"]) for x in h["lines"]] == [("Bằng khen của Bộ, ban, ngành, tỉnh", 2024),
                                                                  ("Chiến sĩ thi đua cơ sở", 2025)]
        d = lookup.decision(s, an["decision_id"] if an["year"] == 2025 else h["lines"][0]["decision_id"])
        first = lookup.decision(s, h["lines"][0]["decision_id"])
    assert d is not None and first["number"] == "123/QĐ-UBND"
    assert sorted(x["name"] for x in first["lines"]) == ["Nguyễn Văn An", "Phòng Văn hóa - Xã hội"]
    assert first["basis_lines"][0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"


def test_basis_checked_as_of_the_decision_date(filled):
    registry = Registry.load()
    with filled.session() as s:
        old, new = (lookup.find_decisions(s, n)[0] for n in ("9/QĐ-UBND", "10/QĐ-UBND"))
        old_basis, new_basis = ((d.basis or "").splitlines() for d in (old, new))
        good = (lookup.find_decisions(s, "123/QĐ-UBND")[0].basis or "").splitlines()
    then = lookup.check_basis(old_basis, registry, on=dt.date(2019, 11, 20))
    assert not then[0]["flagged"] and then[0]["citations"][0]["status"] == "in_force_then"
    now = lookup.check_basis(new_basis, registry, on=dt.date(2025, 11, 20))
    assert now[0]["flagged"] and now[0]["citations"][0]["superseded_by"] == ["98-2023-nd-cp"]
    # GOOD's decision (15/01/2025) cites Nghị định 152/2025 of 14/6/2025: issued after the decision
    checked = lookup.check_basis(good, registry, on=dt.date(2025, 1, 15))
    assert [b["flagged"] for b in checked] == [False, True]
    assert "sau ngày quyết định 15/01/2025" in checked[1]["citations"][0]["problems"][-1]["message"]
    assert [b["flagged"] for b in lookup.check_basis(good, registry, on=dt.date(2025, 8, 1))] == [False, False]
    wrong = lookup.check_basis(["Căn cứ Nghị định số 152/2025/NĐ-CP ngày 20/6/2025 của Chính phủ;"], registry,
                               on=dt.date(2025, 8, 1))
    assert wrong[0]["flagged"] and wrong[0]["citations"][0]["problems"][0]["kind"] == "date"


def test_export_imports_back_the_same_lines(filled, tmp_path):
    from records.db import open_db
    with filled.session() as s:
        before = lookup.search(s, Query(name="nguyen"))
    out = write_lines(before, tmp_path / "tra-cuu.xlsx")
    other = open_db(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert import_file(other, out, actor="cli:test").added == len(before)
    with other.session() as s:
        after = lookup.search(s, Query(name="nguyen"))
    keep = ("name", "award", "decision_number", "decision_date", "issuer", "signer", "unit", "year", "basis")
    assert [{k: r[k] for k in keep} for r in after] == [{k: r[k] for k in keep} for r in before]


def test_resistance_awards_in_search_and_history(records_db, tmp_path):
    rows = [["12/QĐ-CTN", "10/05/1986", "Chủ tịch Hội đồng Nhà nước", "Trường Chinh", "Huân chương Kháng chiến hạng Nhì",
             "cá nhân", "Hoàng Văn Thụ", "Ủy ban nhân dân xã Tân Lập", None, None, None, "chống Mỹ"]]
    import_file(records_db, write_xlsx(tmp_path / "kc.xlsx", rows, header=HEADER + ["Thời kỳ kháng chiến"]), actor="cli:test")
    with records_db.session() as s:
        found = lookup.search(s, Query(name="hoang van thu"))
        assert [(r["award"], r["period"]) for r in found] == [("Huân chương Kháng chiến hạng Nhì", "chống Mỹ")]
        assert lookup.history(s, person_id=found[0]["person_id"])["lines"][0]["period"] == "chống Mỹ"


def test_cli_search_json(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "search_app.cli", "records", "--database", url, *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, timeout=120)
    assert run("import", str(write_xlsx(tmp_path / "qd.xlsx", GOOD + EXTRA))).returncode == 0
    p = run("search", "nguyen van an", "--json", "--award", "Bằng khen của Chủ tịch UBND tỉnh")
    got = json.loads(p.stdout)
    assert [(r["name"], r["award"], r["decision_number"], r["decision_date"], r["unit"], r["year"]) for r in got] == [
        ("Nguyễn Văn An", "Bằng khen của Bộ, ban, ngành, tỉnh", "123/QĐ-UBND", "2025-01-15", "Ủy ban nhân dân xã Tân Lập", 2024)]
    p = run("search", "x", "--from", "31/02/2025")
    assert p.returncode == 2 and "không phải ngày" in p.stderr
    p = run("decision", "10/QĐ-UBND", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)[0]["basis"][0]["flagged"] is True
    p = run("report", "0602", "--from", "2025-01-01", "--to", "2025-12-31", "--xlsx", str(tmp_path / "r.xlsx"))
    assert p.returncode == 0 and (tmp_path / "r.xlsx").is_file()
    p = run("demo", "--lines", "30")
    assert p.returncode == 0 and "DEMO" in p.stdout


def test_common_names_take_the_newest_first_path_with_the_same_answer(filled, monkeypatch):
    with filled.session() as s:
        before = lookup.search(s, Query(name="nguyen"))
        monkeypatch.setattr(lookup, "MANY_PEOPLE", 0)
        assert lookup.search(s, Query(name="nguyen")) == before
        assert len(lookup.search(s, Query(name="nguyen", limit=1))) == 1


def test_unit_merge_keeps_history_and_is_audited(filled):
    from records.changes import merge_unit
    from records.models import AuditEntry
    with filled.session(actor="cli:hoa") as s:
        merge_unit(s, "uy ban nhan dan xa hop thanh", "Ủy ban nhân dân xã Tân Lập", dt.date(2025, 7, 1))
    assert "Phạm Thị Hoà" in names(filled, unit="Ủy ban nhân dân xã Tân Lập")
    assert names(filled, unit="Ủy ban nhân dân xã Hợp Thành") == ["Phạm Thị Hoà"]
    with filled.session() as s:
        old = s.query(Unit).filter(Unit.name == "Ủy ban nhân dân xã Hợp Thành").one()
        assert old.valid_to == dt.date(2025, 6, 30)
        assert s.query(AuditEntry).filter(AuditEntry.action == "update", AuditEntry.actor == "cli:hoa").count() >= 1
    with pytest.raises(UserError, match="ngược"):
        with filled.session(actor="cli:hoa") as s:
            merge_unit(s, "Ủy ban nhân dân xã Tân Lập", "Ủy ban nhân dân xã Hợp Thành", dt.date(2025, 8, 1))


def test_movements_feed_form_0601(records_db):
    from records import reports
    from records.changes import add_movement
    with records_db.session(actor="cli:test") as s:
        assert add_movement(s, "Phong trào thi đua “Dân vận khéo”", "Ủy ban nhân dân tỉnh Lạng Sơn", "thường xuyên", dt.date(2025, 3, 1))[1]
        assert add_movement(s, "Phong trào chuyển đổi số", "Ủy ban nhân dân tỉnh Lạng Sơn", "chuyen de", dt.date(2025, 5, 1))[1]
        assert not add_movement(s, "Phong trào chuyển đổi số", "Ủy ban nhân dân tỉnh Lạng Sơn", "chuyên đề", dt.date(2025, 5, 1))[1]
        with pytest.raises(UserError):
            add_movement(s, "X", "Ủy ban nhân dân tỉnh Lạng Sơn", "mỗi ngày", dt.date(2025, 5, 1))
    with records_db.session() as s:
        f = reports.compute(s, "0601", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [(r["label"], r["cells"]) for r in f.rows][1] == (
        "Ủy ban nhân dân tỉnh Lạng Sơn", {"total": 2, "movement:thuong_xuyen": 1, "movement:chuyen_de": 1})
