"""The award catalogue (awards/data/catalogue.yaml): every fact's quote is in the section it points
to, every award of Luật 06/2022 Chương II–III is there, names agree with the glossary, and the
sources' validity periods agree with the registry."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from awards.catalogue import CatalogueError, default_catalogue, load
from awards.pointers import describe_missing, locate_all
from corpus.status import parse_date
from glossary.load import Glossary

CAT = load()

# Articles of Luật 06/2022 that state one award's criteria. Left out on purpose: the list articles
# (19, 20, 33 Huân chương, 54 Huy chương, 59 danh hiệu vinh dự, 68 the two prizes together, 72
# Bằng khen) and the ones that leave the award to other bodies (32, 76).
AWARD_ARTICLES = [21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, *range(34, 54), 55, 56, 57, 58,
                  *range(60, 68), 69, 70, 71, 73, 74, 75]


def test_every_award_article_of_chapters_2_and_3_has_an_award():
    cited = {int(f.article.split()[1]) for a in CAT.awards for f in a.facts
             if f.kind == "criteria" and f.doc == "06/2022/QH15"}
    assert [n for n in AWARD_ARTICLES if n not in cited] == []


def test_every_pointer_resolves_to_a_section_containing_its_quote(bundled_kb):
    facts = list({f for a in CAT.awards for f in a.facts + a.sector_facts if f.source.in_corpus}
                 | {f for f, _ in CAT.transitions})
    found = locate_all(bundled_kb, facts)
    assert len(facts) > 250
    assert sorted(describe_missing(f) for f, loc in found.items() if loc is None) == []


def test_a_wrong_quote_is_reported(bundled_kb):
    """The pointer check can fail: a quote moved to the wrong clause is not found."""
    award = CAT.get("Bằng khen của Bộ, ban, ngành, tỉnh")
    fact = next(f for f in award.facts if f.clause == "khoản 5" and f.article == "Điều 74")
    from dataclasses import replace
    moved = replace(fact, clause="khoản 1")
    assert locate_all(bundled_kb, [moved])[moved] is None


def test_names_agree_with_the_glossary():
    g = Glossary.load()
    terms = {e.term: e for e in g.entries}
    problems = []
    for a in CAT.awards:
        entry = terms.get(a.glossary)
        if entry is None:
            problems.append(f"{a.name}: no glossary term “{a.glossary}”")
            continue
        if a.glossary_term and a.glossary_term not in a.name:
            problems.append(f"{a.name}: does not name its glossary term “{a.glossary_term}”")
        law_articles = {f.article for f in a.facts if f.kind == "criteria" and f.doc == "06/2022/QH15"}
        linked = {k.label for k in entry.links if k.symbol == "06/2022/QH15"}
        if linked and law_articles and not (linked & law_articles):
            problems.append(f"{a.name}: glossary links {sorted(linked)}, catalogue criteria {sorted(law_articles)}")
    assert problems == []


def test_every_award_term_of_the_glossary_is_in_the_catalogue():
    """Glossary terms for one award (not the group names: Huân chương, Bằng khen …) are catalogued."""
    groups = {"Danh hiệu thi đua", "Hình thức khen thưởng", "Chiến sĩ thi đua", "Huân chương", "Huy chương",
              "Danh hiệu vinh dự nhà nước", "Bằng khen", "Khen thưởng công trạng", "Khen thưởng phong trào thi đua",
              "Khen thưởng quá trình cống hiến", "Khen thưởng theo niên hạn", "Khen thưởng đối ngoại"}
    named = {a.glossary for a in CAT.awards}
    missing = [e.term for e in Glossary.load().entries
               if e.category in ("danh hiệu thi đua", "hình thức khen thưởng") and e.term not in groups
               and any(k.symbol == "06/2022/QH15" for k in e.links) and e.term not in named]
    assert missing == []


def test_source_periods_agree_with_the_registry():
    """A source's first and last day match the registry's effective/ended dates (ended is the first
    day no longer in force, `until` the last day in force)."""
    from corpus.registry import Registry
    reg = Registry.load()
    for s in CAT.sources.values():
        e = next((x for x in reg.entries if x.canonical == s.symbol), None)
        if e is None or s.province:
            continue
        ended = parse_date(e.status.get("ended"))
        if s.end and ended:
            assert dt.date.fromisoformat(s.end) + dt.timedelta(days=1) == ended, s.key
        eff = parse_date(e.status.get("effective") or e.effective)
        if s.start and eff and s.key != "luat2003":
            assert dt.date.fromisoformat(s.start) == eff, s.key


@pytest.mark.parametrize("typed, name", [
    ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Bằng khen của Bộ, ban, ngành, tỉnh"),
    ("bang khen cua chu tich uy ban nhan dan tinh", "Bằng khen của Bộ, ban, ngành, tỉnh"),
    ("Bằng khen UBND tỉnh", "Bằng khen của Bộ, ban, ngành, tỉnh"),
    ("CSTĐ cơ sở", "Chiến sĩ thi đua cơ sở"),
    ("CSTĐCS", "Chiến sĩ thi đua cơ sở"),
    ("chiến sĩ thi đua cấp tỉnh", "Chiến sĩ thi đua Bộ, ban, ngành, tỉnh"),
    ("LĐTT", "Lao động tiên tiến"),
    ("Lao động tiên tiến", "Lao động tiên tiến"),
    ("Bằng khen Thủ tướng Chính phủ", "Bằng khen của Thủ tướng Chính phủ"),
    ("“Tập thể lao động xuất sắc”", "Tập thể lao động xuất sắc"),
    ("Huân chương Lao động hạng Ba", "Huân chương Lao động hạng Ba"),
    ("huan chuong lao dong hang ba", "Huân chương Lao động hạng Ba"),
    ("Cờ thi đua của UBND tỉnh", "Cờ thi đua của Bộ, ban, ngành, tỉnh"),
    ("thủ tục đơn giản", "Khen thưởng theo thủ tục đơn giản"),
])
def test_award_names_are_matched_tolerantly(typed, name):
    from awards.catalogue import glossary_abbreviations
    assert default_catalogue().find(typed, glossary_abbreviations()).name == name


def test_an_unknown_award_names_the_closest():
    from corpus.errors import UserError
    with pytest.raises(UserError, match="Bằng khen của Thủ tướng"):
        default_catalogue().find("Bằng khen Thủ tướng cho doanh nghiệp xuất khẩu tiêu biểu")
    with pytest.raises(UserError, match="unknown award"):
        default_catalogue().find("Huy hiệu Đảng")


def test_a_broken_catalogue_names_the_award(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("sources: {a: {symbol: X}}\nawards:\n- {name: Giấy khen, category: hình thức khen thưởng, "
                   "recipients: [individual], facts: [{kind: criteria, source: b, article: Điều 1, quote: x}]}\n",
                   encoding="utf-8")
    with pytest.raises(CatalogueError, match="Giấy khen.*unknown source"):
        load(bad)
    bad.write_text("sources: {a: {symbol: X}}\nawards:\n- {name: Giấy khen, category: hình thức khen thưởng, "
                   "recipients: [individual], facts: [{kind: criteria, source: a, article: Article 1, quote: x}]}\n",
                   encoding="utf-8")
    with pytest.raises(CatalogueError, match="Điều N"):
        load(bad)
