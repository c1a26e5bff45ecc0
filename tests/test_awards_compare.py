"""Criteria side by side (tdkt award --compare, /award/compare, /api/award/compare): a family of
awards across levels, the rules of 2022 beside those of 2026, the ministries' circulars beside
both; what changed and what conflicts is flagged."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from awards.compare import compare, figures
from corpus.errors import UserError

OLD, NEW = dt.date(2022, 6, 1), dt.date(2026, 1, 15)


@pytest.mark.parametrize("text, expected", [
    ("được thưởng 1,5 lần mức lương cơ sở", {("1,5", "lần mức lương cơ sở")}),
    ("được thưởng 0,3 lần mức lương cơ sở", {("0,3", "lần mức lương cơ sở")}),
    ("có 02 bộ (bản chính)", {("2", "bộ")}),
    ("không quá 15% tổng số", {("15", "%")}),
    ("trong thời hạn 20 ngày làm việc", {("20", "ngày làm việc")}),
])
def test_figures(text, expected):
    assert figures(text) == expected


def _flags(result, kind):
    return [f for f in result["flags"] if f["kind"] == kind]


def test_chien_si_thi_dua_levels_and_dates(bundled_kb):
    r = compare(bundled_kb, bundled_kb.registry, "Chiến sĩ thi đua", [NEW, OLD])
    assert r["awards"][:3] == ["Chiến sĩ thi đua toàn quốc", "Chiến sĩ thi đua Bộ, ban, ngành, tỉnh", "Chiến sĩ thi đua cơ sở"]
    assert r["days"] == ["2022-06-01", "2026-01-15"]
    criteria = {(row["award"]): row for row in r["rows"] if row["kind"] == "criteria"}
    assert {i["doc"] for i in criteria["Chiến sĩ thi đua cơ sở"]["cells"]["2026-01-15"]} == {"06/2022/QH15"}
    assert "91/2017/NĐ-CP" in {i["doc"] for i in criteria["Chiến sĩ thi đua cơ sở"]["cells"]["2022-06-01"]}
    # the copies of the CSTĐ toàn quốc file: 02 bộ (NĐ 91/2017 Điều 49) → 01 bộ (NĐ 152/2025 Điều 36)
    assert any(f["award"] == "Chiến sĩ thi đua toàn quốc" and f["fact"] == "dossier" and "2 bộ" in f["message"]
               and "1 bộ" in f["message"] for f in _flags(r, "changed"))
    # the 15% ratio of CSTĐ cơ sở is gone from the 2026 rules …
    assert any("15 %" in f["message"] and "Điều 9 91/2017/NĐ-CP" in f["message"] for f in _flags(r, "removed"))
    # … and nine ministries' circulars still state it
    stale = _flags(r, "superseded_ratio")
    assert len(stale) == 9 and all("15%" in f["message"] and "91/2017/NĐ-CP" in f["message"] for f in stale)
    assert {"13/2018/TT-BGTVT", "38/2018/TT-BYT", "05/2018/TT-BTP"} <= {f["doc"] for f in stale}
    sector = next(row for row in r["rows"] if row["award"] == "Chiến sĩ thi đua cơ sở" and row["kind"] == "limits")["sector"]
    assert all(i["in_force"] == {"2022-06-01": True, "2026-01-15": False} for i in sector)
    assert _flags(r, "conflict") == []          # in 2022 the circulars agree with the decree


def test_bang_khen_money_changed(bundled_kb):
    r = compare(bundled_kb, bundled_kb.registry, "Bằng khen", [OLD, NEW])
    msg = next(f["message"] for f in _flags(r, "changed") if f["award"] == "Bằng khen của Bộ, ban, ngành, tỉnh")
    assert "1,0 lần mức lương cơ sở" in msg and "1,5 lần mức lương cơ sở" in msg


def test_collective_titles_ratio_raised_from_50_to_70_percent(bundled_kb):
    """Tập thể lao động tiên tiến: "trên 50%" LĐTT (Luật 2003, Điều 28) → "ít nhất là 70%" (Luật 2022)."""
    r = compare(bundled_kb, bundled_kb.registry, "Danh hiệu tập thể", [OLD, NEW])
    changed = {f["award"]: f["message"] for f in _flags(r, "changed") if f["fact"] == "limits"}
    assert "50 %" in changed["Tập thể lao động tiên tiến"] and "70 %" in changed["Tập thể lao động tiên tiến"]
    assert "Tập thể lao động xuất sắc" not in changed          # 100% and 70% in both laws


def test_a_circular_disagreeing_with_the_decree_is_a_conflict(bundled_kb):
    from dataclasses import replace

    from awards.catalogue import load
    cat = load()
    award = cat.get("Chiến sĩ thi đua cơ sở")
    award.sector_facts[0] = replace(award.sector_facts[0], quote=award.sector_facts[0].quote.replace("15%", "20%"))
    r = compare(bundled_kb, bundled_kb.registry, "Chiến sĩ thi đua cơ sở", [OLD], catalogue=cat)
    conflicts = _flags(r, "conflict")
    assert len(conflicts) == 1 and "20 %" in conflicts[0]["message"] and "15 %" in conflicts[0]["message"]


def test_unknown_family_is_named(bundled_kb):
    with pytest.raises(UserError, match="unknown award"):
        compare(bundled_kb, bundled_kb.registry, "Danh hiệu không có", [NEW])


def test_compare_page_and_api(bundled_kb):
    from search_app.app import create_app
    c = TestClient(create_app(kb=bundled_kb))
    r = c.get("/award/compare", params={"family": "Chiến sĩ thi đua", "date": "2026-01-15", "since": "2022-06-01"})
    assert r.status_code == 200 and r.text.count('class="flag flag-superseded_ratio"') == 9
    assert "Áp dụng ngày 01/06/2022" in r.text and "Thông tư các ngành" in r.text
    api = c.get("/api/award/compare", params={"family": "Cờ thi đua", "date": "2026-01-15", "since": "2022-06-01"})
    assert api.status_code == 200 and api.json()["awards"] == ["Cờ thi đua của Chính phủ", "Cờ thi đua của Bộ, ban, ngành, tỉnh"]
    assert c.get("/api/award/compare", params={"family": "không có"}).status_code == 404


def test_cli_compare(bundled_kb, capsys):
    from search_app.cli import main
    assert main(["award", "Chiến sĩ thi đua", "--compare", "--date", "2026-01-15", "--since", "2022-06-01",
                 "--build-dir", str(bundled_kb.build_dir)]) == 0
    out = capsys.readouterr().out
    assert "13/2018/TT-BGTVT (Giao thông vận tải) ghi tỷ lệ 15%" in out
