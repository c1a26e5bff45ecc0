"""The award file for real cases, written by reading the texts (Luật 06/2022/QH15, Nghị định
152/2025/NĐ-CP, Quyết định 86/2025/QĐ-UBND of Bắc Ninh; for 2022 the consolidated Luật 2003 and
Nghị định 91/2017): the criteria, authority and dossier articles returned are the right ones, the
căn cứ block cites only texts in force on the date, and the drafting check passes it."""
from __future__ import annotations

import datetime as dt

import pytest

from awards.basis import BasisLine, check_line
from awards.file import award_file
from corpus.errors import UserError

LAW, DECREE, BN = "06/2022/QH15", "152/2025/NĐ-CP", "86/2025/QĐ-UBND"
SUPERSEDED = {"15/2003/QH11", "16/VBHN-VPQH", "47/2005/QH11", "39/2013/QH13", "91/2017/NĐ-CP", "98/2023/NĐ-CP",
              "12/2019/TT-BNV"}


def p(doc: str, article: int, clause: int | None = None) -> tuple:
    """A provision as the award file names it: (doc, "Điều N", "khoản K" or None)."""
    return (doc, f"Điều {article}", f"khoản {clause}" if clause else None)


# (award as typed, recipient, date, province, {kind: provisions that must be returned})
SCENARIOS = [
    ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "2026-01-15", "Bắc Ninh",
     {"criteria": [p(LAW, 74, 1), p(BN, 3, 3)], "authority": [p(LAW, 79, 4)], "dossier": [p(LAW, 84, 2), p(DECREE, 6, 2)],
      "deadline": [p(BN, 6, 2)], "money": [p(DECREE, 54, 1)], "prerequisites": [p(LAW, 74, 1)]}),
    ("Bằng khen UBND tỉnh", "collective", "2026-03-01", None,
     {"criteria": [p(LAW, 74, 3)], "authority": [p(LAW, 79, 4)], "dossier": [p(LAW, 84, 2)], "money": [p(DECREE, 54, 2)]}),
    ("Bằng khen của Chủ tịch UBND tỉnh", "household", "2026-02-01", None,
     {"criteria": [p(LAW, 74, 5)], "authority": [p(LAW, 79, 4)], "money": [p(DECREE, 54, 3)]}),
    ("CSTĐ cơ sở", "individual", "2026-01-15", None,
     {"criteria": [p(LAW, 23)], "authority": [p(LAW, 80, 1)], "dossier": [p(LAW, 84, 1)], "money": [p(DECREE, 50, 1)]}),
    ("Lao động tiên tiến", "individual", "2026-01-15", "Bắc Ninh",
     {"criteria": [p(LAW, 24, 1), p(BN, 4, 1)], "authority": [p(LAW, 80, 3)], "dossier": [p(LAW, 84, 1)]}),
    ("Chiến sĩ thi đua cấp tỉnh", "individual", "2026-01-20", None,
     {"criteria": [p(LAW, 22, 1)], "authority": [p(LAW, 79, 4)], "dossier": [p(LAW, 84, 1)], "money": [p(DECREE, 50, 1)],
      "prerequisites": [p(LAW, 22, 1)]}),
    ("Chiến sĩ thi đua toàn quốc", "individual", "2026-06-01", None,
     {"criteria": [p(LAW, 21, 1)], "authority": [p(LAW, 78, 2)], "proposer": [p(LAW, 83, 4)],
      "dossier": [p(DECREE, 36, 2)], "deadline": [p(DECREE, 35, 1)], "limits": [p(DECREE, 33, 5)]}),
    ("Bằng khen của Thủ tướng Chính phủ", "individual", "2026-04-01", None,
     {"criteria": [p(LAW, 73, 1)], "authority": [p(LAW, 78, 2)], "dossier": [p(DECREE, 42, 1), p(LAW, 84, 3)],
      "money": [p(DECREE, 54, 1)], "deadline": [p(DECREE, 33, 9)]}),
    ("Tập thể lao động xuất sắc", "collective", "2026-01-10", "Bắc Ninh",
     {"criteria": [p(LAW, 27, 1), p(BN, 3, 2)], "authority": [p(LAW, 79, 4)], "dossier": [p(LAW, 84, 1)],
      "money": [p(DECREE, 50, 2)], "deadline": [p(BN, 6, 2)]}),
    ("Cờ thi đua của Chính phủ", "collective", "2026-05-01", None,
     {"criteria": [p(LAW, 25, 1), p(DECREE, 7, 1)], "authority": [p(LAW, 78, 1), p(DECREE, 37, 1)],
      "dossier": [p(DECREE, 37, 2)], "deadline": [p(DECREE, 35, 1)], "limits": [p(DECREE, 7, 1)]}),
    ("Huân chương Lao động hạng Ba", "collective", "2026-08-01", None,
     {"criteria": [p(LAW, 44)], "authority": [p(LAW, 77)], "proposer": [p(LAW, 83, 2)],
      "dossier": [p(DECREE, 38, 3), p(LAW, 84, 3)], "money": [p(DECREE, 51, 1)]}),
    ("Giấy khen", "individual", "2026-01-15", "Bắc Ninh",
     {"criteria": [p(LAW, 75, 1), p(BN, 4, 3)], "authority": [p(LAW, 80, 1)], "dossier": [p(LAW, 84, 2)],
      "money": [p(DECREE, 54, 1)]}),
]


def provisions(result: dict, kind: str) -> set[tuple]:
    return {(i["doc"], i["article"], i["clause"]) for i in result[kind]}


def run(kb, award, recipient, date, province=None):
    return award_file(kb, kb.registry, award, recipient, dt.date.fromisoformat(date), province,
                      link=lambda d, s: f"/doc/{d}#{s}")


@pytest.mark.parametrize("award, recipient, date, province, expected", SCENARIOS, ids=[s[0] + "/" + s[1] for s in SCENARIOS])
def test_award_file_2026(bundled_kb, award, recipient, date, province, expected):
    r = run(bundled_kb, award, recipient, date, province)
    for kind, wanted in expected.items():
        assert set(wanted) <= provisions(r, kind), kind
    every = {i["doc"] for k in ("criteria", "authority", "proposer", "dossier", "deadline", "limits", "money",
                                 "prerequisites") for i in r[k]}
    assert not every & SUPERSEDED
    assert all(i["url"] and i["url"].startswith("/doc/") for k in expected for i in r[k])
    basis = " ".join(r["basis"])
    assert r["basis"][0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ" in basis
    assert not any(s in basis for s in SUPERSEDED) and "26 tháng 11 năm 2003" not in basis
    assert [c["problems"] for c in r["basis_check"]] == [[] for _ in r["basis"]]
    assert ("86/2025/QĐ-UBND" in basis) == (province == "Bắc Ninh")


def test_recipient_kinds_are_kept_apart(bundled_kb):
    individual = run(bundled_kb, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "2026-01-15")
    assert p(LAW, 74, 3) not in provisions(individual, "criteria")
    assert p(LAW, 74, 5) not in provisions(individual, "criteria")
    assert p(DECREE, 54, 2) not in provisions(individual, "money")


def test_the_same_award_in_2022_cites_the_rules_of_2022(bundled_kb):
    r = run(bundled_kb, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "2022-06-01")
    assert {p("16/VBHN-VPQH", 72), p("91/2017/NĐ-CP", 39, 1)} <= provisions(r, "criteria")
    assert p("16/VBHN-VPQH", 79) in provisions(r, "authority")
    assert p("16/VBHN-VPQH", 84) in provisions(r, "dossier")
    assert p("91/2017/NĐ-CP", 73, 1) in provisions(r, "money")
    every = {i["doc"] for k in ("criteria", "authority", "dossier", "money") for i in r[k]}
    assert not every & {LAW, DECREE, BN}
    assert r["basis"][0] == "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;"
    basis = " ".join(r["basis"])
    assert "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ" in basis
    assert "06/2022" not in basis and "15 tháng 6 năm 2022" not in basis and "152/2025" not in basis
    assert [c["problems"] for c in r["basis_check"]] == [[] for _ in r["basis"]]


def test_between_the_decrees_the_missing_one_is_named(bundled_kb):
    """In 2024 Nghị định 98/2023 applied: it is cited, and the answer says its rules are not listed."""
    r = run(bundled_kb, "CSTĐ cơ sở", "individual", "2024-09-01")
    assert any("98/2023/NĐ-CP ngày 31 tháng 12 năm 2023" in line for line in r["basis"])
    assert any("98/2023/NĐ-CP" in n for n in r["notices"])
    assert not any(i["doc"] == DECREE for i in r["money"])


def test_a_province_without_rules_in_the_corpus_is_said(bundled_kb):
    r = run(bundled_kb, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "2026-01-15", "Lạng Sơn")
    assert any("Lạng Sơn" in n for n in r["notices"])
    assert not any(i["doc"] == BN for k in ("criteria", "deadline") for i in r[k])


def test_bac_ninh_rules_apply_from_their_effective_day(bundled_kb):
    before = run(bundled_kb, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "2025-12-14", "Bắc Ninh")
    after = run(bundled_kb, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", "2025-12-15", "Bắc Ninh")
    assert not any(i["doc"] == BN for i in before["criteria"]) and any(i["doc"] == BN for i in after["criteria"])
    assert not any("86/2025" in line for line in before["basis"])


def test_wrong_recipient_and_unknown_award_are_clear(bundled_kb):
    with pytest.raises(UserError, match="Gia đình văn hóa.*household"):
        run(bundled_kb, "Gia đình văn hóa", "individual", "2026-01-15")
    with pytest.raises(UserError, match="unknown award"):
        run(bundled_kb, "Huy hiệu 30 năm tuổi Đảng", "individual", "2026-01-15")


@pytest.mark.parametrize("line, kind", [
    ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 15 tháng 6 năm 2025 của Chính phủ;", "date"),
    ("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ;", "superseded"),
    ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Bộ Nội vụ;", "issuer"),
])
def test_the_drafting_check_of_the_basis_can_fail(bundled_kb, line, kind):
    entry = "152-2025-nd-cp" if "152/2025" in line else "91-2017-nd-cp"
    problems = check_line(BasisLine(line, entry), bundled_kb.registry, dt.date(2026, 1, 15), None)
    assert kind in {pr.kind for pr in problems}


def test_the_transition_of_decree_152_is_noticed_in_the_second_half_of_2025(bundled_kb):
    """khoản 2 Điều 60 NĐ 152/2025: what a province has not regulated yet follows NĐ 98/2023 until 31/12/2025."""
    def noticed(date, province=None):
        r = run(bundled_kb, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "individual", date, province)
        return any("khoản 2 Điều 60 152/2025/NĐ-CP" in n for n in r["notices"])
    assert noticed("2025-09-01") and noticed("2025-12-31", "Lạng Sơn")
    assert not noticed("2025-12-20", "Bắc Ninh")      # Bắc Ninh's own rules apply from 15/12/2025
    assert not noticed("2026-01-15") and not noticed("2025-06-30")
