"""The pre-send check of a proposal (proposals/checks.py): a table of cases written from the texts
— a missing prerequisite year, a missing document, a missed deadline, a ratio exceeded — each with
the article it cites, and correct proposals that pass; before and after 01/7/2025 (Nghị định
91/2017 and 98/2023 against 152/2025); on SQLite and PostgreSQL. The data files' examples run here,
and every rule's quote is found in the section its failure links to."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from awards.catalogue import default_catalogue, glossary_abbreviations
from awards.pointers import squash
from proposals.check_rules import default_rules, examples, load_rules
from proposals.checks import Nominee, ProposalToCheck, check_proposal
from records_db import pg_server, records_db, records_url  # noqa: F401

D = dt.date
ALL_DOCS = ("to_trinh", "danh_sach", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien", "y_kien_co_quan")
LAW = "Luật 06/2022/QH15"


# --- building the records a case needs ------------------------------------------------------------

class Records:
    """Award lines written through records.store, as an import would write them."""

    def __init__(self, session):
        from records.store import Store
        self.store, self.n = Store(session), 0
        self.province = self.store.unit("Ủy ban nhân dân tỉnh Bắc Ninh", province="Bắc Ninh", level="tỉnh")
        self.unit = self.store.unit("Sở Nội vụ tỉnh Bắc Ninh", province="Bắc Ninh", parent=self.province)
        self.plain = self.store.unit("Trường Trung học cơ sở Hòa Bình")     # no province on record

    def give(self, name: str, award: str, years, unit=None, kind: str = "individual"):
        unit = unit or self.unit
        a = default_catalogue().find(award, glossary_abbreviations())
        who = self.store.person(name, unit) if kind == "individual" else self.store.collective(name, unit)
        for year in years:
            self.n += 1
            d, _ = self.store.decision(f"{self.n}/QĐ-UBND", "Ủy ban nhân dân tỉnh Bắc Ninh", D(year, 12, 20))
            self.store.add_line(d, who, self.store.award_kind(a), year=year)
        self.store.session.flush()
        return who


@dataclass
class Case:
    title: str
    award: str
    on: dt.date
    year: int
    nominee: str                              # "name" (in the records) or "?name" (not in them)
    history: dict = field(default_factory=dict)   # {award: [years]} of the nominee
    crowd: list = field(default_factory=list)     # [(award, how many people, year, unit)] others in the records
    attachments: tuple = ALL_DOCS
    kind: str = "individual"
    unit: str = "unit"                        # unit | province | plain (the proposing unit)
    headcount: int | None = None
    province: str | None = None
    expect: list = field(default_factory=list)    # [(rule, article, words of the message)]


CASES = [
    # Luật 06/2022 Điều 22 khoản 1: 03 lần liên tục "Chiến sĩ thi đua cơ sở"; 2023 is missing
    Case("a missing prerequisite year", "Chiến sĩ thi đua cấp tỉnh", D(2026, 1, 20), 2025, "Nguyễn Văn An",
         {"Chiến sĩ thi đua cơ sở": [2022, 2024, 2025]},
         attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien"),
         expect=[("prerequisite", f"khoản 1 Điều 22 {LAW}", "Chiến sĩ thi đua cơ sở")]),
    Case("the same nominee with three years passes", "Chiến sĩ thi đua cấp tỉnh", D(2026, 1, 20), 2025, "Nguyễn Văn An",
         {"Chiến sĩ thi đua cơ sở": [2023, 2024, 2025]},
         attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien")),
    # Luật Điều 73 khoản 1: a nominee the records do not know has no provincial Bằng khen to count from
    Case("a nominee not in the records", "Bằng khen của Thủ tướng Chính phủ", D(2026, 3, 1), 2025, "?Trần Thị Bình",
         expect=[("prerequisite", f"khoản 1 Điều 73 {LAW}", "không có trong cơ sở dữ liệu")]),
    # Luật Điều 84 khoản 1 điểm d: the initiative's certificate, for a Chiến sĩ thi đua cơ sở
    Case("a missing document", "Chiến sĩ thi đua cơ sở", D(2026, 11, 20), 2026, "Lê Văn Cường",
         {"Lao động tiên tiến": [2026]}, attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong"),
         expect=[("dossier", f"điểm d khoản 1 Điều 84 {LAW}", "sáng kiến")]),
    Case("a missing report of achievements, by an alias", "Lao động tiên tiến", D(2026, 11, 20), 2026, "Lê Văn Cường",
         attachments=("tờ trình", "Biên bản họp hội đồng"),
         expect=[("dossier", f"điểm b khoản 1 Điều 84 {LAW}", "Báo cáo thành tích")]),
    # Quyết định 86/2025/QĐ-UBND Bắc Ninh Điều 6 khoản 2: "trước ngày 10/12 hằng năm"; the province
    # comes from the proposing unit in the records
    Case("a missed provincial deadline", "Bằng khen của Chủ tịch UBND tỉnh", D(2026, 12, 15), 2026, "Phạm Thị Dung",
         {"Chiến sĩ thi đua cơ sở": [2025, 2026]}, attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong"),
         expect=[("deadline", "khoản 2 Điều 6 Quyết định 86/2025/QĐ-UBND", "10/12/2026")]),
    Case("the same proposal in time", "Bằng khen của Chủ tịch UBND tỉnh", D(2026, 12, 1), 2026, "Phạm Thị Dung",
         {"Chiến sĩ thi đua cơ sở": [2025, 2026]}, attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong")),
    # Luật Điều 73 khoản 1 with Nghị định 152/2025 Điều 33 khoản 9 (achievement ≤ 06 months old)
    Case("a Prime Minister's Bằng khen: prerequisites met from the records", "Bằng khen của Thủ tướng Chính phủ",
         D(2026, 6, 30), 2025, "Hoàng Văn Em",
         {"Bằng khen của Bộ, ban, ngành, tỉnh": [2020], "Lao động tiên tiến": [2021, 2022, 2023, 2024, 2025],
          "Chiến sĩ thi đua cơ sở": [2021, 2023, 2025]}),
    Case("the same, sent after 06 months", "Bằng khen của Thủ tướng Chính phủ", D(2026, 7, 1), 2025, "Hoàng Văn Em",
         {"Bằng khen của Bộ, ban, ngành, tỉnh": [2020], "Lao động tiên tiến": [2021, 2022, 2023, 2024, 2025],
          "Chiến sĩ thi đua cơ sở": [2021, 2023, 2025]},
         expect=[("deadline", "khoản 9 Điều 33 Nghị định 152/2025/NĐ-CP", "30/06/2026")]),
    Case("before 01/7/2025 (Nghị định 98/2023) there is no 06-month rule to apply", "Bằng khen của Thủ tướng Chính phủ",
         D(2025, 6, 20), 2024, "Hoàng Văn Em",
         {"Bằng khen của Bộ, ban, ngành, tỉnh": [2019], "Lao động tiên tiến": [2020, 2021, 2022, 2023, 2024],
          "Chiến sĩ thi đua cơ sở": [2020, 2022, 2024]}, attachments=("y_kien_co_quan",)),
    Case("a Prime Minister's Bằng khen after five years with one year short", "Bằng khen của Thủ tướng Chính phủ",
         D(2026, 3, 1), 2025, "Hoàng Văn Em",
         {"Bằng khen của Bộ, ban, ngành, tỉnh": [2020], "Lao động tiên tiến": [2021, 2022, 2024, 2025],
          "Chiến sĩ thi đua cơ sở": [2021, 2024, 2025]},
         expect=[("prerequisite", f"khoản 1 Điều 73 {LAW}", "2023")]),
    # Nghị định 152/2025 Điều 35 khoản 1 điểm a: by 31/12 of the year after the decision of the
    # provincial title (the records' decision of 20/12/2025)
    Case("a national title in the year after the provincial one", "Chiến sĩ thi đua toàn quốc", D(2026, 6, 1), 2025,
         "Đỗ Thị Hạnh", {"Chiến sĩ thi đua cấp tỉnh": [2024, 2025]},
         attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien")),
    Case("a national title a year too late", "Chiến sĩ thi đua toàn quốc", D(2027, 1, 15), 2025,
         "Đỗ Thị Hạnh", {"Chiến sĩ thi đua cấp tỉnh": [2024, 2025]},
         attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien"),
         expect=[("deadline", "khoản 1 Điều 35 Nghị định 152/2025/NĐ-CP", "31/12/2026")]),
    # Nghị định 91/2017 Điều 9 khoản 3: Chiến sĩ thi đua cơ sở ≤ 15% of the unit's Lao động tiên tiến
    Case("a ratio exceeded (Nghị định 91/2017)", "Chiến sĩ thi đua cơ sở", D(2023, 11, 20), 2023, "Vũ Văn Giang",
         {"Lao động tiên tiến": [2023]}, crowd=[("Lao động tiên tiến", 19, 2023, "unit"), ("Chiến sĩ thi đua cơ sở", 3, 2023, "unit")],
         attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien"),
         expect=[("ratio", "khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP", "tối đa 3")]),
    Case("the ratio kept (3 of 20)", "Chiến sĩ thi đua cơ sở", D(2023, 11, 20), 2023, "Vũ Văn Giang",
         {"Lao động tiên tiến": [2023]}, crowd=[("Lao động tiên tiến", 19, 2023, "unit"), ("Chiến sĩ thi đua cơ sở", 2, 2023, "unit")],
         attachments=("to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien")),
    Case("from 2024 no 15% limit is in force (left to the provinces)", "Chiến sĩ thi đua cơ sở", D(2026, 11, 20), 2026,
         "Vũ Văn Giang", {"Lao động tiên tiến": [2026]},
         crowd=[("Lao động tiên tiến", 19, 2026, "unit"), ("Chiến sĩ thi đua cơ sở", 3, 2026, "unit")], unit="plain"),
    # Nghị định 152/2025 Điều 7 khoản 1: Cờ thi đua của Chính phủ ≤ 20% of the province's Cờ thi đua
    Case("a ratio exceeded (Nghị định 152/2025)", "Cờ thi đua của Chính phủ", D(2026, 3, 1), 2025, "Sở Tài chính",
         {"Cờ thi đua của Bộ, ban, ngành, tỉnh": [2025]}, kind="collective", unit="province",
         crowd=[("Cờ thi đua của Bộ, ban, ngành, tỉnh", 9, 2025, "unit"), ("Cờ thi đua của Chính phủ", 2, 2025, "unit")],
         expect=[("ratio", "khoản 1 Điều 7 Nghị định 152/2025/NĐ-CP", "tối đa 2")]),
    # Luật Điều 27 khoản 1 điểm c: at least 70% of the collective's people Lao động tiên tiến
    Case("a collective's share too low", "Tập thể lao động xuất sắc", D(2026, 11, 20), 2026, "Trường Trung học cơ sở Hòa Bình",
         kind="collective", unit="plain", headcount=10, crowd=[("Lao động tiên tiến", 6, 2026, "plain")],
         expect=[("ratio", f"khoản 1 Điều 27 {LAW}", "6/10")]),
    Case("a collective's share enough", "Tập thể lao động xuất sắc", D(2026, 11, 20), 2026, "Trường Trung học cơ sở Hòa Bình",
         kind="collective", unit="plain", headcount=10, crowd=[("Lao động tiên tiến", 7, 2026, "plain")]),
]


def _run(db, case: Case, corpus=None):
    with db.session(actor="test") as s:
        r = Records(s)
        units = {"unit": r.unit, "province": r.province, "plain": r.plain}
        for award, count, year, where in case.crowd:
            for i in range(count):
                r.give(f"Người thứ {i + 1} {award[:6]}", award, [year], units[where],
                       kind="collective" if "Cờ" in award else "individual")
        known = not case.nominee.startswith("?")
        name = case.nominee.lstrip("?")
        who = r.give(name, next(iter(case.history), "Lao động tiên tiến"), [], units[case.unit], case.kind) if known else None
        for award, years in case.history.items():
            r.give(name, award, years, units[case.unit], case.kind)
        nominee = Nominee(name=name, kind=case.kind,
                          person_id=who.id if known and case.kind == "individual" else None,
                          collective_id=who.id if known and case.kind == "collective" else None)
        proposal = ProposalToCheck(award=case.award, unit_id=units[case.unit].id, on=case.on, year=case.year,
                                   nominees=(nominee,), attachments=case.attachments, unit_headcount=case.headcount,
                                   province=case.province)
        return check_proposal(s, proposal, corpus=corpus)


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_the_check_on_a_table_of_cases(records_db, case):
    failures = _run(records_db, case)
    got = [(f.rule, f.article) for f in failures]
    assert got == [(rule, article) for rule, article, _ in case.expect], [f.message for f in failures]
    for f, (_, _, words) in zip(failures, case.expect):
        assert words in f.message, f.message
        assert f.quote                             # the words of the rule, shown to the officer


def test_a_collective_proposed_for_a_personal_title():
    f, = [f for f in check_proposal(None, _bare("Chiến sĩ thi đua cơ sở", "2026-11-20", 2026, ALL_DOCS, kind="collective"))
          if f.rule == "prerequisite"]
    assert "không tặng cho tập thể" in f.message and "Luật 06/2022/QH15" in f.article


def test_an_unknown_award_or_method_is_a_clear_error():
    from corpus.errors import UserError
    with pytest.raises(UserError, match="Guinness"):
        check_proposal(None, _bare("Kỷ lục Guinness thế giới", "2026-01-01"))
    with pytest.raises(UserError, match="năm thành tích 2027"):
        check_proposal(None, _bare("Giấy khen", "2026-01-01", year=2027))
    with pytest.raises(UserError, match="thuong_xuyen"):
        check_proposal(None, _bare("Giấy khen", "2026-01-01", method="hang_nam"))


def test_a_failure_names_the_nominee_and_what_is_missing(records_db):
    f, = _run(records_db, CASES[0])
    assert f.nominee == "Nguyễn Văn An"
    assert "2023" in f.message and "03 lần liên tục" in f.message


# --- the data files' examples -------------------------------------------------------------------

def _bare(award: str, on: str, year: int | None = None, attachments=(), kind="individual", province=None,
          method="thuong_xuyen"):
    return ProposalToCheck(award=award, unit_id=None, on=D.fromisoformat(on), year=year,
                           nominees=(Nominee("Nguyễn Văn A", kind),), attachments=tuple(attachments), province=province,
                           method=method)


@pytest.mark.parametrize("ex", examples("dossier"), ids=lambda e: f"{e['award']} {e['date']}")
def test_dossier_examples(ex):
    failures = check_proposal(None, _bare(ex["award"], ex["date"], kind=ex["for"]))
    assert sorted(f.document for f in failures if f.rule == "dossier") == sorted(ex["documents"])
    # with every document attached nothing of the dossier is missing
    full = check_proposal(None, _bare(ex["award"], ex["date"], kind=ex["for"], attachments=ex["documents"]))
    assert [f for f in full if f.rule == "dossier"] == []


@pytest.mark.parametrize("ex", examples("deadlines"), ids=lambda e: f"{e['award']} {e['date']}")
def test_deadline_examples(ex):
    failures = check_proposal(None, _bare(ex["award"], ex["date"], ex["year"], ALL_DOCS, province=ex.get("province"),
                                           method=ex.get("method", "thuong_xuyen")))
    assert any(f.rule == "deadline" for f in failures) is ex["late"], [f.message for f in failures]


@pytest.mark.parametrize("ex", examples("ratios"), ids=lambda e: f"{e['award']} {e['date']} {e.get('awarded')}/{e['of']}")
def test_ratio_examples(records_db, ex):
    award = default_catalogue().find(ex["award"], glossary_abbreviations())
    kind = award.recipients[0]
    rule = next(r for r in default_rules().ratios if any(r.key.matches(f) for f in award.facts)) 
    with records_db.session(actor="test") as s:
        r = Records(s)
        for i in range(ex["of"]):
            r.give(f"Người {i}", rule.of[0], [ex["year"]], r.plain, "collective" if "Cờ" in rule.of[0] else "individual")
        already = max(0, ex.get("awarded", 1) - 1)
        for i in range(already):
            r.give(f"Người {i}", award.name, [ex["year"]], r.plain, kind)
        proposal = ProposalToCheck(award=award.name, unit_id=r.plain.id, on=D.fromisoformat(ex["date"]), year=ex["year"],
                                   nominees=(Nominee("Người mới", kind),), attachments=ALL_DOCS,
                                   unit_headcount=ex.get("headcount"))
        failures = check_proposal(s, proposal)
    assert any(f.rule == "ratio" for f in failures) is ex["exceeded"], [f.message for f in failures]


@pytest.mark.parametrize("written,kind", [
    ("Biên bản bình xét thi đua", "bien_ban_hoi_dong"), ("bien ban xet khen thuong", "bien_ban_hoi_dong"),
    ("Văn bản đề nghị", "to_trinh"), ("Bản danh sách trích ngang", "danh_sach"),
    ("báo cáo tóm tắt thành tích", "bao_cao_thanh_tich"), ("Giấy chứng nhận sáng kiến", "chung_nhan_sang_kien"),
])
def test_the_names_the_texts_give_a_document_are_its_aliases(written, kind):
    from proposals.checks import document_kind
    assert document_kind(written).id == kind


# --- the data against the catalogue and the texts -----------------------------------------------

@pytest.mark.parametrize("kind,name", [("dossier", "dossier"), ("deadline", "deadlines"), ("limits", "ratios")])
def test_every_catalogue_fact_of_a_kind_is_checked_or_said_why_not(kind, name):
    rules = default_rules()
    find = {"dossier": rules.dossier_rule, "deadline": rules.deadline_rule, "limits": rules.ratio_rule}[kind]
    left = {(f.source.key, f.article, f.clause, f.quote[:50]) for a in default_catalogue().awards for f in a.facts
            if f.kind == kind and find(f) is None and not rules.is_not_checked(name, f)}
    assert left == set()


def test_a_typo_in_the_data_is_a_clear_error(tmp_path):
    from awards.catalogue import CatalogueError
    from proposals.check_rules import DATA
    for f in DATA.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "dossier.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("document: to_trinh,", "document: to_trinhh,", 1), encoding="utf-8")
    with pytest.raises(CatalogueError, match="to_trinhh"):
        load_rules(tmp_path)


def _section_text(kb, doc_id, section) -> str:
    doc = kb.document(doc_id) if doc_id else None
    return " ".join(" ".join(x for x in (s.heading, s.text) if x) for s in doc.sections
                    if section in (s.path or [s.id])) if doc else ""


@pytest.mark.slow
def test_every_rule_quote_is_in_the_section_it_links_to(bundled_kb):
    """Each dossier point and each rating a title implies resolves in the built knowledge base."""
    from awards.catalogue import Fact
    from proposals.check_run import Citer
    cat, rules, citer = default_catalogue(), default_rules(), Citer(bundled_kb)
    facts = {f for a in cat.awards for f in a.facts if f.source.in_corpus}
    quoted = []
    for rule in rules.dossier:
        fact = next(f for f in facts if rule.key.matches(f))
        quoted += [(fact, req.quote, req.clause, req.point) for req in rule.requires]
    for r in rules.ratings:
        quoted.append((Fact("criteria", cat.sources[r.key.source], r.key.article, r.quote, r.key.clause), r.quote, None, None))
    missing = []
    for fact, quote, clause, point in quoted:
        got = citer.cite(fact, quote, clause, point)
        if squash(quote) not in squash(_section_text(bundled_kb, got["doc_id"], got["section"])):
            missing.append((got["article"], quote))
    assert missing == []
    assert len(quoted) > 50


def test_titles_prove_the_rating_of_their_year(records_db):
    from proposals.check_records import history_of
    with records_db.session(actor="test") as s:
        r = Records(s)
        who = r.give("Nguyễn Thị Lan", "Lao động tiên tiến", [2024])
        r.give("Nguyễn Thị Lan", "Bằng khen của Chủ tịch UBND tỉnh", [2025])
        team = r.give("Phòng Tổ chức", "Tập thể lao động xuất sắc", [2025], kind="collective")
        lan = history_of(s, Nominee("Nguyễn Thị Lan", "individual", person_id=who.id), default_catalogue(), default_rules().ratings)
        group = history_of(s, Nominee("Phòng Tổ chức", "collective", collective_id=team.id), default_catalogue(), default_rules().ratings)
    assert (lan.years[2024].rating, lan.years[2024].titles) == ("tot", {"Lao động tiên tiến"})
    assert (lan.years[2025].rating, lan.years[2025].awards) == (None, {"Bằng khen của Bộ, ban, ngành, tỉnh"})
    assert group.years[2025].rating == "xuat_sac"


@pytest.mark.slow
def test_failures_link_to_their_sections(records_db, bundled_kb):
    linked = 0
    for case in [c for c in CASES if c.expect]:
        for f in _run(records_db, case, corpus=bundled_kb):
            assert f.doc_id and f.section, f
            doc = bundled_kb.document(f.doc_id)
            assert doc is not None and any(s.id == f.section for s in doc.sections)
            linked += 1
    assert linked >= 10
