"""Eligibility from an award history (tdkt eligible): a table of histories — met, missing one
year, a broken streak, collective vs individual — against the prerequisites of Luật 06/2022
(Điều 21, 22, 23, 73, 74), for a decision of 15/01/2026 (years up to 2025 count)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from awards.eligibility import eligibility, parse_history
from corpus.errors import UserError

DAY = dt.date(2026, 1, 15)
BK_TINH, CSTD_TINH, BK_TTG = "Bằng khen của Bộ, ban, ngành, tỉnh", "Chiến sĩ thi đua Bộ, ban, ngành, tỉnh", "Bằng khen của Thủ tướng Chính phủ"


def cstdcs(*years, rating="xuat_sac"):
    return {y: {"rating": rating, "titles": ["LĐTT", "CSTĐCS"]} for y in years}


def rows(history: dict) -> dict[str, dict]:
    result = eligibility(parse_history(history), DAY)
    return {r["award"]: r for r in result["qualifies"] + result["misses"]}


# (history, award, met?, words the reason must contain, article cited)
CASES = [
    # two CSTĐ cơ sở in a row: Bằng khen tỉnh (điểm d khoản 1 Điều 74)
    ({"kind": "individual", "years": cstdcs(2024, 2025)}, BK_TINH, True, None, "Điều 74"),
    # only one: one year missing
    ({"kind": "individual", "years": cstdcs(2025)}, BK_TINH, False, "thiếu 1 năm Chiến sĩ thi đua cơ sở liên tục", "Điều 74"),
    # 2023 and 2025 but not 2024: the streak is broken
    ({"kind": "individual", "years": cstdcs(2023, 2025) | {2024: {"rating": "tot", "titles": ["LĐTT"]}}},
     BK_TINH, False, "gián đoạn năm 2024", "Điều 74"),
    # the other way in: two years hoàn thành xuất sắc with two initiatives
    ({"kind": "individual", "years": {2024: {"rating": "xuất sắc", "initiatives": 1}, 2025: {"rating": "hoàn thành xuất sắc nhiệm vụ", "initiatives": 1}}},
     BK_TINH, True, None, "Điều 74"),
    ({"kind": "individual", "years": {2024: {"rating": "xuat_sac", "initiatives": 1}, 2025: {"rating": "xuat_sac"}}},
     BK_TINH, False, "thiếu 1 sáng kiến", "Điều 74"),
    # CSTĐ tỉnh needs three CSTĐ cơ sở in a row (Điều 22)
    ({"kind": "individual", "years": cstdcs(2023, 2024, 2025)}, CSTD_TINH, True, None, "Điều 22"),
    ({"kind": "individual", "years": cstdcs(2024, 2025)}, CSTD_TINH, False, "thiếu 1 năm Chiến sĩ thi đua cơ sở liên tục", "Điều 22"),
    # a collective: two years hoàn thành xuất sắc or Tập thể lao động xuất sắc (khoản 3 Điều 74)
    ({"kind": "collective", "years": {2024: {"titles": ["Tập thể lao động xuất sắc"]}, 2025: {"rating": "xuat_sac"}}},
     BK_TINH, True, None, "Điều 74"),
    ({"kind": "tập thể", "years": {2024: {"rating": "tot"}, 2025: {"rating": "xuat_sac"}}},
     BK_TINH, False, "thiếu 1 năm", "Điều 74"),
    # Bằng khen Thủ tướng (cá nhân, điểm b khoản 1 Điều 73): a Bằng khen tỉnh, then 5 years hoàn thành
    # tốt trở lên with 3 CSTĐ cơ sở
    ({"kind": "individual", "years": {2020: {"rating": "xuat_sac", "awards": ["Bằng khen của Chủ tịch UBND tỉnh"]},
                                      **cstdcs(2021, 2023, 2025), 2022: {"rating": "tot"}, 2024: {"rating": "tot"}}},
     BK_TTG, True, None, "Điều 73"),
    ({"kind": "individual", "years": {2021: {"rating": "xuat_sac", "awards": ["Bằng khen UBND tỉnh"]}, **cstdcs(2022, 2023, 2024, 2025)}},
     BK_TTG, False, "thiếu 1 năm", "Điều 73"),
    ({"kind": "individual", "years": cstdcs(2021, 2022, 2023, 2024, 2025)}, BK_TTG, False, "chưa được tặng Bằng khen", "Điều 73"),
    ({"kind": "individual", "years": {2020: {"awards": ["Bằng khen UBND tỉnh"]}, **cstdcs(2021, 2022),
                                      2023: {"rating": "tot"}, 2024: {"rating": "tot"}, 2025: {"rating": "tot"}}},
     BK_TTG, False, "thiếu 1 lần Chiến sĩ thi đua cơ sở", "Điều 73"),
    # Bằng khen Thủ tướng (tập thể, điểm e khoản 4 Điều 73): 5 years xuất sắc and a Cờ thi đua tỉnh
    ({"kind": "collective", "years": {2020: {"awards": ["Bằng khen UBND tỉnh"]},
                                      **{y: {"rating": "xuat_sac"} for y in range(2021, 2026)},
                                      2023: {"rating": "xuat_sac", "titles": ["Cờ thi đua của UBND tỉnh"]}}},
     BK_TTG, True, None, "Điều 73"),
]


@pytest.mark.parametrize("history, award, met, reason, article", CASES)
def test_eligibility_table(history, award, met, reason, article):
    row = rows(history)[award]
    assert row["met"] is met, row["missing"]
    assert row["article"] == article and row["doc"] == "06/2022/QH15" and row["text"]
    if reason:
        assert any(reason in m for m in row["missing"]), row["missing"]
    else:
        assert row["missing"] == []


def test_collective_and_individual_prerequisites_are_kept_apart():
    person = rows({"kind": "individual", "years": cstdcs(2024, 2025)})
    group = rows({"kind": "collective", "years": {2024: {"rating": "xuat_sac"}, 2025: {"rating": "xuat_sac"}}})
    assert person[BK_TINH]["prerequisite"] == "bk-tinh-ca-nhan" and group[BK_TINH]["prerequisite"] == "bk-tinh-tap-the"
    assert CSTD_TINH in person and CSTD_TINH not in group     # a title for persons only


def test_no_prerequisites_of_the_2022_law_before_2024():
    result = eligibility(parse_history({"kind": "individual", "years": cstdcs(2020, 2021)}), dt.date(2022, 3, 1))
    assert result["qualifies"] == [] and result["misses"] == []


@pytest.mark.parametrize("history, message", [
    ({"kind": "individual"}, "years"),
    ({"kind": "robot", "years": {}}, "recipient kind"),
    ({"kind": "individual", "years": {"năm ngoái": {}}}, "not a year"),
    ({"kind": "individual", "years": {2025: {"rating": "giỏi"}}}, "year 2025: .*unknown rating"),
    ({"kind": "individual", "years": {2025: {"titles": ["Danh hiệu không có"]}}}, "year 2025: unknown award"),
])
def test_bad_histories_are_named(history, message):
    with pytest.raises(UserError, match=message):
        parse_history(history)


def test_cli_eligible(tmp_path, capsys):
    from search_app.cli import main
    path = tmp_path / "a.yaml"
    path.write_text("name: Nguyễn Thị A\nkind: individual\nyears:\n  2024: {rating: xuat_sac, titles: [LĐTT, CSTĐCS]}\n"
                    "  2025: {rating: xuat_sac, titles: [LĐTT, CSTĐ cơ sở]}\n", encoding="utf-8")
    assert main(["eligible", str(path), "--date", "2026-01-15", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert BK_TINH in [r["award"] for r in out["qualifies"]]
    assert any(r["award"] == CSTD_TINH and "thiếu 1 năm" in r["missing"][0] for r in out["misses"])
    assert main(["eligible", str(tmp_path / "none.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_eligibility_page_and_api(bundled_kb):
    from fastapi.testclient import TestClient

    from search_app.app import create_app
    c = TestClient(create_app(kb=bundled_kb))
    page = c.get("/award/eligible")
    assert page.status_code == 200 and "<textarea" in page.text
    history = "kind: individual\nyears:\n  2024: {rating: xuat_sac, titles: [CSTĐCS]}\n  2025: {rating: xuat_sac, titles: [CSTĐCS]}\n"
    r = c.post("/award/eligible", data={"history": history, "date": "2026-01-15"})
    assert r.status_code == 200
    qualifies = r.text.split('id="qualifies"')[1].split('id="misses"')[0]
    assert BK_TINH in qualifies and "Điều 74" in qualifies
    assert "thiếu 1 năm Chiến sĩ thi đua cơ sở liên tục" in r.text.split('id="misses"')[1]
    bad = c.post("/award/eligible", data={"history": "years: [", "date": "2026-01-15"})
    assert bad.status_code == 200 and "not valid YAML" in bad.text
    api = c.post("/api/award/eligible", json={"history": {"kind": "collective", "years": [
        {"year": 2024, "rating": "xuat_sac"}, {"year": 2025, "titles": ["Tập thể lao động xuất sắc"]}]}, "date": "2026-01-15"})
    assert api.status_code == 200 and [x["award"] for x in api.json()["qualifies"]] == [BK_TINH]
    unknown = c.post("/api/award/eligible", json={"history": {"years": [{"year": 2025, "titles": ["Không có"]}]}})
    assert unknown.status_code == 404 and "year 2025" in unknown.json()["detail"]
