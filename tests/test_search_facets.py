"""Facet counts over the matching set, and the filters that go with them: spellings of one value
count as one, shown in their most frequent spelling; the most frequent value first. Real spellings
seen in the corpus (Ủy/Uỷ ban, Bộ Nội vụ / Bộ nội vụ)."""
import pytest

from indexer.passages import Passage, finish
from indexer.search import Filters, Searcher


# (doc_type, issuer, province, year) of each passage; every passage matches the query
ROWS = [
    ("Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", 2021),
    ("Kế hoạch", "Uỷ ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", 2021),
    ("Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", 2022),
    ("Quyết định", "Bộ Nội vụ", None, 2022),
    ("quyết định", "Bộ nội vụ", None, 2023),
    ("Quyết định", "Bộ Nội vụ", None, None),
    ("Hướng dẫn", None, "Nghệ An", 2025),
]


class AllMatch:
    """A lexical index under which every passage matches, best first in passage order."""

    def __init__(self, passages):
        self.ids = [p.id for p in passages]

    def search(self, query, filters, limit):
        return [(pid, 1.0 / (i + 1)) for i, pid in enumerate(self.ids)][:limit]

    def count(self, query, filters):
        return len(self.ids)

    def vocabulary(self):
        return ["thi_đua"]


@pytest.fixture(scope="module")
def searcher():
    passages = [finish(Passage(id=f"d{i}#s", doc_id=f"d{i}", section_id="s", doc_type=t, issuer=iss,
                               province=prov, year=y, heading="Điều 1", body="thi đua khen thưởng"))
                for i, (t, iss, prov, y) in enumerate(ROWS)]
    return Searcher(passages, AllMatch(passages))


def test_spellings_of_one_value_count_as_one_in_the_most_frequent_spelling(searcher):
    f = searcher.search("thi đua", mode="lexical").facets
    assert f["issuer"] == {"Ủy ban nhân dân tỉnh Lạng Sơn": 3, "Bộ Nội vụ": 3}
    assert f["doc_type"] == {"Kế hoạch": 3, "Quyết định": 3, "Hướng dẫn": 1}
    assert f["province"] == {"Lạng Sơn": 3, "Nghệ An": 1}
    assert f["year"] == {"2021": 2, "2022": 2, "2023": 1, "2025": 1}
    assert list(f["year"]) == ["2021", "2022", "2023", "2025"]     # ties: first seen first


@pytest.mark.parametrize("filters, docs", [
    (Filters(issuer="Uỷ ban nhân dân tỉnh Lạng Sơn"), {"d0", "d1", "d2"}),   # any spelling filters all
    (Filters(issuer="bo noi vu"), {"d3", "d4", "d5"}),
    (Filters(doc_type="QUYẾT ĐỊNH", year_from=2023), {"d4"}),
    (Filters(province="Nghệ An"), {"d6"}),
    (Filters(province="Hà Giang"), set()),                                   # a value no passage has
    (Filters(year_to=2021), {"d0", "d1"}),                                   # no year: never in a range
])
def test_filters_compare_the_folded_value(searcher, filters, docs):
    allowed = searcher.allowed(filters)
    assert {searcher.passages[i].doc_id for i in range(len(searcher.passages)) if allowed[i]} == docs
