"""What a snippet costs: the same whatever the passage's shape.

A document that is one 2-million-character line made every search that matched it take seconds:
the window scan compared every hit with every other. The work is counted, not timed: an operation
counter (one tick for every line of indexer/search.py the interpreter runs, loop iterations
included) must grow linearly with the hits and stop growing past the scan bound. Behaviour on
normal passages is unchanged: every real fixture passage gives the snippet the quadratic scan gave.
"""
from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings, strategies as st

import indexer.search as search
from indexer.passages import Passage, passages_from_document
from indexer.query import parse_query
from test_search_lexical import GlossaryStub, load_documents

SEARCH_PY = search.__file__


def ops(fn, *args) -> int:
    """Lines of indexer/search.py executed while calling fn(*args) (loop iterations count)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != SEARCH_PY:
            return None
        if event == "line":
            count += 1
        return tracer

    fn(*args)  # warm the caches (_iy_form): count the steady state
    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(old)
    return count


FILLER = "Ủy ban nhân dân tỉnh ban hành văn bản hướng dẫn tổ chức thực hiện nhiệm vụ. "
UNIT = "Phong trào thi đua năm 2022 gắn với khen thưởng. " + FILLER


def passage(chars: int, unit: str = UNIT) -> Passage:
    text = (unit * (chars // len(unit) + 1))[:chars]
    return Passage(id="x#1", doc_id="x", section_id="1", text=text, body=text)


QUERY = parse_query("phong trào thi đua khen thưởng")


def test_snippet_work_grows_linearly_with_the_hits():
    small, large = passage(len(UNIT) * 50), passage(len(UNIT) * 200)    # 300 and 1,200 hits
    a, b = ops(search.snippet, small, QUERY), ops(search.snippet, large, QUERY)
    # four times the hits: about four times the work when linear, sixteen when quadratic
    assert b <= 6 * a, f"{a} → {b} operations for 4× the hits"


def test_snippet_work_is_bounded_whatever_the_passage_length():
    at_bound = passage(search.SNIPPET_SCAN_CHARS)
    a = ops(search.snippet, at_bound, QUERY)
    twice = ops(search.snippet, passage(2 * search.SNIPPET_SCAN_CHARS), QUERY)
    assert twice <= 1.2 * a, f"{a} operations at the bound, {twice} at twice the bound"
    huge = passage(2_000_000)                         # one 2-million-character line
    b = ops(search.snippet, huge, QUERY)
    assert b <= 1.2 * a, f"{a} operations at the bound, {b} for 2,000,000 characters"
    text = search.snippet_text(search.snippet(huge, QUERY))
    assert "«Phong trào thi đua»" in text and len(text) < 2 * search.SNIPPET_CHARS


def test_one_endless_word_costs_no_more():
    # a hit, then no space at all: the walk to the word's end ("do not cut words") is bounded
    word = passage(2_000_000, unit="thi đua " + "a" * 2_000_000)
    few = passage(search.SNIPPET_SCAN_CHARS, unit="thi đua " + "a" * 2_000_000)
    assert ops(search.snippet, word, QUERY) <= 1.2 * ops(search.snippet, few, QUERY)
    assert len(search.snippet_text(search.snippet(word, QUERY))) < 2 * search.SNIPPET_CHARS


def test_hits_past_the_bound_are_not_weighed(monkeypatch):
    many = passage(search.SNIPPET_SCAN_CHARS, unit="thi đua ")         # a hit every 4 characters
    weighed = []
    inner = search._best_window
    monkeypatch.setattr(search, "_best_window", lambda found, width: weighed.append(len(found)) or inner(found, width))
    search.snippet(many, QUERY)
    assert weighed == [search.SNIPPET_MAX_HITS]


# --- unchanged on normal passages --------------------------------------------------------
def snippet_before(p: Passage, pq, width: int = search.SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """The snippet as it was before the scan was made linear (every hit against every other): the
    reference for passages of normal length."""
    text = p.body or p.text
    forms, folded = search._query_forms(pq)
    numbers = {r.text for r in pq.doc_refs if r.key}
    found = []
    words = [(m.start(), m.end(), search._iy_form(m.group(0), folded)) for m in search._WORD.finditer(text)]
    pairs = search._query_pairs(pq) if folded else set()
    for i, (start, end, f) in enumerate(words):
        if f not in forms:
            continue
        if folded and len(f) <= search.SHORT_FOLDED and len(pairs) > 0:
            prev = words[i - 1][2] if i else None
            nxt = words[i + 1][2] if i + 1 < len(words) else None
            if (prev, f) not in pairs and (f, nxt) not in pairs:
                continue
        found.append((start, end, f))
    for n in numbers:
        for m in re.finditer(re.escape(n), text):
            found.append((m.start(), m.end(), n))
    found.sort()
    hits = search._merge_hits([(s, e) for s, e, _ in found], text)
    if len(text) <= width:
        start, end = 0, len(text)
    elif not found:
        start, end = 0, width
    else:
        best, best_score = found[0][0], -1.0
        for s0, _, _ in found:
            lo, hi = s0 - width // 4, s0 + width * 3 // 4
            inside = [f for s1, e1, f in found if lo <= s1 and e1 <= hi]
            score = len(set(inside)) + 0.01 * len(inside)
            if score > best_score:
                best, best_score = s0, score
        start = max(0, best - width // 4)
        end = min(len(text), start + width)
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
    pieces = [("…", False)] if start > 0 else []
    pos = start
    for s, e in hits:
        if s < pos or e > end:
            continue
        if s > pos:
            pieces.append((text[pos:s], False))
        pieces.append((text[s:e], True))
        pos = e
    if pos < end:
        pieces.append((text[pos:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


QUERIES = ["tiêu chuẩn chiến sĩ thi đua cơ sở", "chien si thi dua co so", "hồ sơ đề nghị xét tặng", "ho so",
           "Bằng khen của Thủ tướng Chính phủ", "91/2017/NĐ-CP", "Luật Thi đua, khen thưởng 06/2022/QH15",
           "cstđ", "lao dong tien tien", "Hồ Chí Minh", "năm", "quỹ thi đua khen thưởng", "Điều 24"]


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_of_real_passages_are_unchanged(query):
    pq = parse_query(query, glossary=GlossaryStub())
    passages = [p for d in load_documents() for p in passages_from_document(d)]
    assert passages
    for p in passages:
        assert search.snippet(p, pq) == snippet_before(p, pq), p.id
        for width in (40, 120):
            assert search.snippet(p, pq, width) == snippet_before(p, pq, width), (p.id, width)


def window_before(found, width):
    best, best_score = found[0][0], -1.0
    for s0, _, _ in found:
        lo, hi = s0 - width // 4, s0 + width * 3 // 4
        inside = [f for s1, e1, f in found if lo <= s1 and e1 <= hi]
        score = len(set(inside)) + 0.01 * len(inside)
        if score > best_score:
            best, best_score = s0, score
    return best


hit = st.tuples(st.integers(0, 400), st.integers(0, 30), st.sampled_from("abcd")).map(
    lambda t: (t[0], t[0] + t[1], t[2]))


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.lists(hit, min_size=1, max_size=60), st.integers(4, 200))
def test_the_two_pointer_window_picks_what_the_quadratic_scan_picked(found, width):
    found = sorted(found)   # overlapping and nested hits (a number over its words) included
    assert search._best_window(found, width) == window_before(found, width)
