"""Near-duplicate grouping (indexer.near_dup) on real passages of the bundled corpus and on small
synthetic cases. Real cases name their passages by document symbol, copy (full text or pháp điển
copy) and article label as written, never by ids computed by the code under test."""
from __future__ import annotations

import dataclasses
import itertools
import random
from collections import defaultdict

import pytest

from corpus.parse import parse_file
from corpus.sources import iter_sources
from indexer.build import make_ids_unique
from indexer.near_dup import (MIN_CHARS, THRESHOLD, group_results, jaccard, near_duplicate_groups,
                              normalise, shingles, similar_pairs)
from indexer.passages import Passage, passages_from_document

# The bundled files the real cases need (paths under corpus/documents).
FILES = [
    "extra/06_2022_QH15.txt",
    "extra/15_2003_QH11.txt",
    "extra/16_VBHN-VPQH.txt",
    "extra/03_2018_TT-BNG.txt",
    "extra/91_2017_NĐ-CP.txt",
    "extra/phapdien_29_1/01_2019_TT-VKSTC.txt",
    "extra/phapdien_29_1/03_2018_TT-BNG.txt",
    "extra/phapdien_29_1/07_2018_TT-BKHĐT.txt",
    "extra/phapdien_29_1/13_2018_TT-BGTVT.txt",
    "extra/phapdien_29_1/15_2003_QH11.txt",
    "extra/phapdien_29_1/17_2019_TT-NHNN.txt",
    "extra/phapdien_29_1/21_2018_TT-BTNMT.txt",
    "extra/phapdien_29_1/38_2018_TT-BYT.txt",
    "extra/phapdien_29_1/91_2017_NĐ-CP.txt",
]
FULL, PD = "full", "pháp điển"      # the full text, or the copy rebuilt from the Bộ pháp điển


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Passage], dict[tuple[str, str, str], Passage]]:
    """The passages of FILES, and an index (symbol, FULL|PD, label) -> passage."""
    sources = {s.rel: s for s in iter_sources()}
    docs, copy_of = [], {}
    for rel in FILES:
        for doc in parse_file(sources[rel]).documents:
            docs.append(doc)
            copy_of[id(doc)] = PD if "/phapdien_" in f"/{rel}" else FULL
    make_ids_unique(docs)           # a full text and its pháp điển copy share a symbol
    passages, index = [], {}
    for doc in docs:
        for p in passages_from_document(doc):
            passages.append(p)
            if p.label:
                index.setdefault((p.symbol, copy_of[id(doc)], p.label), p)
    return passages, index


@pytest.fixture(scope="module")
def groups(corpus) -> dict[str, str]:
    return near_duplicate_groups(corpus[0])


def _get(corpus, key: tuple[str, str, str]) -> Passage:
    assert key in corpus[1], f"no passage {key} in the bundled corpus"
    return corpus[1][key]


# (1) real near-identical articles of different documents: grouped
SAME = [
    # two ministries' circulars, the same article (Tòa/Toà spelled two ways, "của Chính phủ" dropped)
    (("13/2018/TT-BGTVT", PD, "Điều 35"), ("38/2018/TT-BYT", PD, "Điều 47")),
    # two circulars copying 91/2017/NĐ-CP Điều 77 (one drops "ngành của", one adds "tổ chức")
    (("21/2018/TT-BTNMT", PD, "Điều 35"), ("01/2019/TT-VKSTC", PD, "Điều 57")),
    (("21/2018/TT-BTNMT", PD, "Điều 35"), ("91/2017/NĐ-CP", FULL, "Điều 77")),
    # a decree article copied into a circular under another number
    (("07/2018/TT-BKHĐT", PD, "Điều 7"), ("91/2017/NĐ-CP", FULL, "Điều 5")),
    # a full text and its pháp điển copy
    (("03/2018/TT-BNG", FULL, "Điều 20"), ("03/2018/TT-BNG", PD, "Điều 20")),
    (("91/2017/NĐ-CP", FULL, "Điều 23"), ("91/2017/NĐ-CP", PD, "Điều 23")),
    # the consolidated Law against the pháp điển copy carrying a "[Ghi chú pháp điển: …]" note
    (("16/VBHN-VPQH", FULL, "Điều 36"), ("15/2003/QH11", PD, "Điều 36")),
]

# (2) real articles that must stay apart
APART = [
    # "Chiến sĩ thi đua cơ sở": the 2022 Law against the 2003 Law, the consolidated text and the
    # ministries' own criteria (paraphrases with different conditions)
    (("06/2022/QH15", FULL, "Điều 23"), ("15/2003/QH11", FULL, "Điều 23")),
    (("06/2022/QH15", FULL, "Điều 23"), ("16/VBHN-VPQH", FULL, "Điều 23")),
    (("06/2022/QH15", FULL, "Điều 23"), ("17/2019/TT-NHNN", PD, "Điều 12")),
    (("07/2018/TT-BKHĐT", PD, "Điều 11"), ("17/2019/TT-NHNN", PD, "Điều 12")),
    # one template, different rules: "Huân chương Lao động" hạng nhì vs hạng ba
    (("91/2017/NĐ-CP", FULL, "Điều 23"), ("91/2017/NĐ-CP", PD, "Điều 24")),
    # "Huân chương Độc lập" hạng nhì vs hạng nhất (Jaccard 0.72, the closest different rules seen)
    (("15/2003/QH11", PD, "Điều 37"), ("16/VBHN-VPQH", FULL, "Điều 36")),
    # the original 2003 article against its substantially amended consolidated text
    (("15/2003/QH11", FULL, "Điều 36"), ("16/VBHN-VPQH", FULL, "Điều 36")),
    # two ministries' own versions of 91/2017/NĐ-CP Điều 13 ("Các loại hình khen thưởng", 0.70)
    (("07/2018/TT-BKHĐT", PD, "Điều 5"), ("03/2018/TT-BNG", FULL, "Điều 11")),
]


@pytest.mark.parametrize("a,b", SAME, ids=lambda k: " ".join(k))
def test_real_near_duplicates_are_grouped(corpus, groups, a, b):
    pa, pb = _get(corpus, a), _get(corpus, b)
    assert pa.doc_id != pb.doc_id
    assert pa.id in groups and groups.get(pa.id) == groups.get(pb.id)


@pytest.mark.parametrize("a,b", APART, ids=lambda k: " ".join(k))
def test_real_different_articles_are_not_grouped(corpus, groups, a, b):
    pa, pb = _get(corpus, a), _get(corpus, b)
    assert groups.get(pa.id) is None or groups.get(pa.id) != groups.get(pb.id)
    sa, sb = shingles(normalise(pa.body)), shingles(normalise(pb.body))
    assert jaccard(sa, sb) < THRESHOLD


def test_the_2022_law_article_matches_its_renumbered_copy_only(corpus):
    """Điều 23 of 06/2022/QH15 copied as "Điều 5." into another document with one word changed
    groups with the original; Điều 24 of the Law (a different article) groups with neither."""
    d23 = _get(corpus, ("06/2022/QH15", FULL, "Điều 23"))
    d24 = _get(corpus, ("06/2022/QH15", FULL, "Điều 24"))
    body = "Điều 5. " + d23.body.replace("sau đây", "dưới đây", 1)
    copy = dataclasses.replace(d23, id="copy-doc#dieu-5", doc_id="copy-doc", section_id="dieu-5",
                               label="Điều 5", body=body)
    g = near_duplicate_groups([d23, d24, copy])
    assert g == {d23.id: min(d23.id, copy.id), copy.id: min(d23.id, copy.id)}


def test_law_2022_finds_no_duplicate_in_the_old_laws(corpus, groups):
    # the 2022 Law rewrote the 2003 Law: none of its articles is a copy of an old one
    assert not [p.id for p in corpus[0] if p.doc_id == "06-2022-qh15" and p.id in groups]


# (3) passages of one document are never grouped together
def test_one_document_is_never_grouped_with_itself(corpus, groups):
    doc_of = {p.id: p.doc_id for p in corpus[0]}
    members = defaultdict(list)
    for pid, key in groups.items():
        members[key].append(pid)
    for ms in members.values():
        assert len(ms) >= 2
        assert len({doc_of[m] for m in ms}) == len(ms), ms


def test_a_document_repeating_an_article_gives_one_member():
    a = _passage("doc-a#dieu-1", _words(0, 80))
    b1 = _passage("doc-b#dieu-1", _words(0, 80))
    b2 = _passage("doc-b#dieu-9", _words(0, 79) + " khác")
    assert near_duplicate_groups([b1, b2]) == {}
    g = near_duplicate_groups([a, b1, b2])
    assert g == {a.id: a.id, b1.id: a.id}           # b1 is the closer of doc-b's two


def test_whole_document_closing_preamble_and_short_bodies_are_never_grouped():
    text = _words(0, 60)
    short = "Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2018 và thay thế các văn bản trước."
    assert len(short) < MIN_CHARS
    cases = [("", text), ("closing", text), ("preamble", text), ("dieu-9", short)]
    for section, body in cases:
        ps = [_passage(f"doc-{c}#{section}", body) for c in "abc"]
        assert near_duplicate_groups(ps) == {}, section
    # the same bodies in ordinary sections are grouped
    ps = [_passage(f"doc-{c}#dieu-1", text) for c in "abc"]
    assert set(near_duplicate_groups(ps)) == {p.id for p in ps}


def test_no_chaining():
    """A ~ B ~ C ~ D ~ E (each shifted by 10 words of 100: Jaccard 0.81), A and C only 0.66:
    every member is similar to its group's centre, so A and E never share a group."""
    ps = [_passage(f"doc-{c}#dieu-1", _words(10 * i, 10 * i + 100)) for i, c in enumerate("abcde")]
    sims = {k: round(v, 2) for k, v in similar_pairs(ps).items()}
    assert sims == {("doc-a#dieu-1", "doc-b#dieu-1"): 0.81, ("doc-b#dieu-1", "doc-c#dieu-1"): 0.81,
                    ("doc-c#dieu-1", "doc-d#dieu-1"): 0.81, ("doc-d#dieu-1", "doc-e#dieu-1"): 0.81}
    g = near_duplicate_groups(ps)
    assert g == {"doc-a#dieu-1": "doc-a#dieu-1", "doc-b#dieu-1": "doc-a#dieu-1",
                 "doc-c#dieu-1": "doc-a#dieu-1", "doc-d#dieu-1": "doc-d#dieu-1",
                 "doc-e#dieu-1": "doc-d#dieu-1"}


def test_normalise_ignores_label_case_spacing_notes_and_tone_placement():
    base = _words(0, 40)
    variants = [
        "Điều 23. " + base,
        "Điều 7.  " + base.upper(),
        "[Ghi chú pháp điển: có nội dung được sửa đổi bởi Điều 1 Luật số 39/2013/QH13]\n" + base,
        base.replace(" ", "\n  "),
        "1. " + base,
    ]
    want = shingles(normalise(base))
    for v in variants:
        assert shingles(normalise(v)) == want, v
    assert shingles(normalise("hoá học hoà bình thuỷ lợi toà án")) == shingles(normalise("hóa học hòa bình thủy lợi tòa án"))
    # numbers are words: "5 năm" is not "3 năm"
    assert shingles(normalise("xét tặng 5 năm một lần")) != shingles(normalise("xét tặng 3 năm một lần"))


def test_similar_pairs_is_exact(corpus):
    """The prefix-filtered join finds exactly the pairs a brute-force comparison finds."""
    ps = corpus[0]
    for t in (0.5, THRESHOLD):
        el = [p for p in ps if p.section_id not in ("", "closing", "preamble")
              and len(normalise(p.body)) >= MIN_CHARS]
        sets = [(p.id, p.doc_id, shingles(normalise(p.body))) for p in el]
        want = {}
        for (a, da, sa), (b, db, sb) in itertools.combinations(sets, 2):
            if da != db and min(len(sa), len(sb)) >= t * max(len(sa), len(sb)):
                j = jaccard(sa, sb)
                if j >= t:
                    want[(a, b) if a < b else (b, a)] = j
        got = similar_pairs(ps, t)
        assert got.keys() == want.keys()
        assert all(abs(got[k] - want[k]) < 1e-12 for k in want)


# (5) determinism
def test_same_groups_whatever_the_input_order(corpus, groups):
    ps = list(corpus[0])
    assert len(set(groups.values())) >= 50          # the case is not trivial
    for seed in range(3):
        random.Random(seed).shuffle(ps)
        assert near_duplicate_groups(ps) == groups
    assert near_duplicate_groups(list(reversed(corpus[0]))) == groups


# (4) group_results
GROUPS = {"a1": "a1", "a2": "a1", "a3": "a1", "b1": "b1", "b2": "b1"}
RESULTS = [
    # ranked (id, score) best first -> (best member, its score, other members in rank order)
    ([], []),
    ([("x", 3.0), ("y", 2.0)], [("x", 3.0, []), ("y", 2.0, [])]),
    ([("a2", 5.0), ("x", 4.0), ("a1", 3.0), ("a3", 1.0)], [("a2", 5.0, ["a1", "a3"]), ("x", 4.0, [])]),
    ([("x", 9.0), ("b2", 8.0), ("a3", 7.0), ("b1", 6.0), ("a1", 5.0), ("y", 4.0)],
     [("x", 9.0, []), ("b2", 8.0, ["b1"]), ("a3", 7.0, ["a1"]), ("y", 4.0, [])]),
    # a group with one member in the list is a plain entry
    ([("b1", 2.0), ("z", 1.0)], [("b1", 2.0, []), ("z", 1.0, [])]),
    # a repeated id is kept once
    ([("a1", 2.0), ("a1", 1.5), ("a2", 1.0)], [("a1", 2.0, ["a2"])]),
]


@pytest.mark.parametrize("ranked,want", RESULTS)
def test_group_results(ranked, want):
    assert group_results(ranked, GROUPS) == want


def test_group_results_with_real_groups(corpus, groups):
    a = _get(corpus, ("13/2018/TT-BGTVT", PD, "Điều 35"))
    b = _get(corpus, ("38/2018/TT-BYT", PD, "Điều 47"))
    other = _get(corpus, ("06/2022/QH15", FULL, "Điều 23"))
    ranked = [(b.id, 0.9), (other.id, 0.8), (a.id, 0.7)]
    assert group_results(ranked, groups) == [(b.id, 0.9, [a.id]), (other.id, 0.8, [])]


# --- helpers ----------------------------------------------------------------------------------
def _words(start: int, stop: int) -> str:
    return " ".join(f"từ{i:03d}" for i in range(start, stop))


def _passage(pid: str, body: str) -> Passage:
    doc_id, section_id = pid.split("#")
    return Passage(id=pid, doc_id=doc_id, section_id=section_id, body=body)
