"""Near-duplicate passages: the same article copied into several documents, grouped into one result.

Why: a full text and its codified copy (pháp điển), the 2003 Law and its consolidated text
(16/VBHN-VPQH), a decree article copied into a ministry circular: one answer can fill a results
page. The searcher shows one member per group ("cùng nội dung trong N văn bản") and lists the
others under it.

Public entry points:
    near_duplicate_groups(passages, threshold=THRESHOLD) -> {passage id: group key}
    group_results(ranked, groups) -> [(best member id, its score, [other members' ids, rank order])]
    similar_pairs(passages, threshold) -> {(id1, id2): Jaccard}    the pairs the groups are made of

Measure: Jaccard similarity of the sets of word 5-shingles of the normalised body (`normalise`,
`words`, `shingles`). It is computed exactly, not estimated (no MinHash): candidate pairs come from
prefix filtering — the "All-Pairs" set-similarity join: if J(x, y) >= t, the n - ceil(t*n) + 1
rarest shingles of x and those of y (in one global order, rarest first) share one — and each
candidate's Jaccard is then computed on the full sets. Shingles are 64-bit hashes (numpy), so
"exact" holds up to a hash collision (~1e-19 per pair of shingles). The bundled corpus takes
~0.4 s (2.6k passages), 8k ~1.5 s, 100k ~30 s.

Grouping: the similar pairs (from different documents only) form a graph. In each connected
component the member with the most similar neighbours (ties: the smallest id) is the centre; the
centre and its similar neighbours form one group — at most one passage per document, the most
similar one — and the rest of the component is grouped again the same way. Every member is thus
similar to its group's centre: no chaining A~B~C into one group when A and C differ. Since the
Jaccard distance is a metric, two members of one group have Jaccard >= 2*t - 1 (0.6 at the
default). A group's key is the smallest id among its members.

Deterministic: the output depends on the set of passages only, not on their order (duplicate ids:
the first passage with the id is used).
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from corpus.vntext import normalize_tone_word

from .passages import Passage

# Jaccard of word 5-shingles at or above which two passages are "the same content". Chosen on the
# bundled corpus (all pairs of eligible passages from different documents, exact Jaccard):
#   * >= 0.95: a full text and its codified copy (91/2017/NĐ-CP, 03/2018/TT-BNG, 12/2019/TT-BNV),
#     unchanged articles of 15/2003/QH11 vs 16/VBHN-VPQH, decree articles copied verbatim into a
#     circular (07/2018/TT-BKHĐT Điều 7 = 91/2017/NĐ-CP Điều 5; 13/2018/TT-BGTVT Điều 35 vs
#     38/2018/TT-BYT Điều 47, 0.98).
#   * 0.80–0.95: the same article with a word or phrase dropped or added: 152/2025/NĐ-CP Điều 51 vs
#     91/2017/NĐ-CP Điều 70 (0.92), 01/2019/TT-VKSTC Điều 57 vs 21/2018/TT-BTNMT Điều 35 (0.82),
#     151/2018/TT-BQP Điều 13 vs 91/2017/NĐ-CP Điều 13 (0.84), items of the plans 0124/KH-UBND and
#     982/KH-UBND (0.88, 0.90). Also (a limit of any word measure) an old article against its
#     amended text when the amendment changed one number: 15/2003/QH11 Điều 68 "hai năm" vs its
#     codified "5 năm" (0.90).
#   * 0.70–0.80: adapted restatements (151/2018/TT-BQP re-writing decree articles for the army,
#     0.71–0.79; 06/2022/QH15 Điều 61 vs 15/2003/QH11 Điều 59, 0.74) — and the first *different*
#     rules: "Huân chương Độc lập" hạng nhất vs hạng nhì of 15/2003/QH11 (0.72), one template
#     with two words changed.
#   * 0.60–0.70: more template siblings ("Huân chương Lao động" hạng nhì vs hạng ba of 91/2017/NĐ-CP
#     against its codified copy, 0.65) and ministries' own versions of a decree article.
#   * <= 0.46: every pair of the "Chiến sĩ thi đua cơ sở" articles of the ministry circulars (NHNN,
#     BKHĐT, BTP, BTTTT, TANDTC, BCA, BYT) and the Laws: paraphrases with different conditions,
#     not copies — grouping them would hide one ministry's rule behind another's.
# 0.8 keeps the first two bands and stays 0.08 above the closest different rules seen (0.72); it
# gives up the adapted restatements of 0.70–0.80, which are shown separately as before.
THRESHOLD = 0.8
SHINGLE = 5
# A body shorter than this (characters, normalised) is too generic to group ("Thông tư này có hiệu
# lực thi hành kể từ ngày …" is the same in a hundred documents and says nothing about them).
MIN_CHARS = 150
# Sections never grouped: the whole-document passage, the closing formulas and the preamble — it
# says which document this is and on what legal bases ("Căn cứ …"), and the codified documents'
# preambles share an editorial note (NGUỒN: …) that puts two different documents at 0.55–0.80.
SKIP_SECTIONS = {"", "closing", "preamble"}

# Editorial notes in square brackets: "[Ghi chú pháp điển: có nội dung được sửa đổi …]", "[pic]".
_NOTE = re.compile(r"\[[^\[\]]{0,500}\]")
# A consolidated text's footnote left inline by the converter (16/VBHN-VPQH): "55 Khoản này được
# sửa đổi, bổ sung theo quy định tại khoản 36 Điều 1 của Luật số 39/2013/QH13 …, có hiệu lực kể từ
# ngày 01 tháng 6 năm 2014" (matched on the lowercased text).
_FOOTNOTE = re.compile(
    r"\b\d{1,3} (?:khoản|điều|điểm|mục|chương|cụm từ|tên|phần)[^.;]{0,120}?(?:được|bị) "
    r"(?:sửa đổi|bổ sung|bãi bỏ|thay thế|đính chính)[^.;]{0,250}?có hiệu lực(?: thi hành)? kể từ ngày "
    r"[^.;]{0,30}?\d{4}\.?")
# A leading label: "Điều 23." "Điều 1.2.LQ.23." "Chương II" "Mục 3." then "II." "1." "1.2." "a)".
_LABEL = re.compile(
    r"^(?:(?:điều|chương|mục|phần|khoản|điểm)\s+[\w.]*\w[.:]?\s+)?"
    r"(?:(?:[ivxlc]+|\d+(?:\.\d+)*)[.)]\s+|[a-zđ]\)\s+)?")


def normalise(body: str) -> str:
    """The text compared: NFC, lowercase (accents kept), editorial notes dropped (bracketed notes,
    a consolidated text's inline footnotes), whitespace collapsed, and the leading label ("Điều 23.",
    "II.", "1.", "a)") removed."""
    text = unicodedata.normalize("NFC", body or "").lower()
    if "[" in text:
        text = _NOTE.sub(" ", text)
    text = " ".join(text.split())
    if "hiệu lực" in text:
        text = " ".join(_FOOTNOTE.sub(" ", text).split())
    return _LABEL.sub("", text, count=1)


# The words compared. Punctuation is not a word (so “…” and "…" are alike); a single letter is
# not one either — it is a point label ("a)", "đ)") that one copy of an article writes and another
# drops or turns into a dash, and each would cost five shingles. Numbers are kept, even one digit:
# "5 năm" and "3 năm" are different rules.
_TOKEN = re.compile(r"\w{2,}|\d")


@lru_cache(maxsize=1 << 18)
def _tone(word: str) -> str:
    return normalize_tone_word(word)


def words(text: str) -> list[str]:
    """The words of a normalised text, each with one tone-mark placement ("hoá" = "hóa", "toà" =
    "tòa": the same word typed two ways)."""
    return [_tone(w) for w in _TOKEN.findall(text)]


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    """The set of word k-shingles of a normalised text (a text of k words or fewer: one shingle).
    The reference definition; `similar_pairs` computes the same sets as 64-bit hashes."""
    w = words(text)
    if len(w) <= k:
        return {tuple(w)} if w else set()
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def eligible(p: Passage) -> bool:
    """Whether a passage may be grouped at all (see SKIP_SECTIONS and MIN_CHARS)."""
    return p.section_id not in SKIP_SECTIONS and len(normalise(p.body)) >= MIN_CHARS


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads small integers over 64 bits (uint64 arithmetic wraps)."""
    x = (x + np.uint64(0x9E3779B97F4A7C15)) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class _Shingles:
    """The k-shingles of every text (as `shingles` defines them) as 64-bit hashes.

    ``hashes``/``owner``: one entry per distinct (text, shingle), sorted by (hash, owner);
    ``window``/``start``: every window in text order (text t owns window[start[t]:start[t+1]]).
    Words are numbered in order of first appearance (texts come in id order, the new words of one
    text alphabetically), so the numbers and hashes are the same in every run; a shingle hashes
    the mixed numbers of its k words."""

    def __init__(self, texts: list[str], k: int = SHINGLE) -> None:
        word_no: dict[str, int] = {}
        flat = array("q")
        lengths = np.zeros(len(texts), dtype=np.int64)
        for t, text in enumerate(texts):
            tokens = _TOKEN.findall(text)
            new = set(tokens).difference(word_no)
            for w in sorted(new):
                word_no[w] = len(word_no)
            if 0 < len(tokens) < k:
                tokens += [""] * (k - len(tokens))   # a short text is one shingle: pad it to k words
                word_no.setdefault("", len(word_no))
            flat.extend(map(word_no.__getitem__, tokens))
            lengths[t] = len(tokens)
        # tone-mark variants of a word share a number: that of the first form seen ("" pads)
        form_no: dict[str, int] = {}
        remap = np.fromiter((form_no.setdefault(_tone(w) if w else "", n) for w, n in word_no.items()),
                            dtype=np.uint64, count=len(word_no))
        vals = _mix(remap[np.frombuffer(flat, dtype=np.int64)]) if len(flat) else np.zeros(0, np.uint64)
        del flat, remap
        m = max(len(vals) - k + 1, 0)                  # windows over the concatenated texts
        h = np.zeros(m, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                h = h * np.uint64(0x100000001B3) + vals[j:j + m]
        h = _mix(h)
        del vals
        # keep the windows that lie inside one text
        ends = np.cumsum(lengths)
        owner = np.repeat(np.arange(len(texts)), lengths)[:m]
        inside = np.arange(m) + k <= ends[owner]
        self.window, owner = h[inside], owner[inside]
        del h, inside
        self.start = np.concatenate([[0], np.cumsum(np.maximum(lengths - k + 1, 0))])
        order = np.argsort(self.window, kind="stable")   # stable: by (hash, owner)
        hashes, owner = self.window[order], owner[order]
        del order
        keep = np.ones(len(hashes), dtype=bool)
        keep[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        self.hashes, self.owner = hashes[keep], owner[keep]

    def set_of(self, t: int) -> set[int]:
        return set(self.window[self.start[t]:self.start[t + 1]].tolist())


def similar_pairs(passages: Sequence[Passage], threshold: float = THRESHOLD) -> dict[tuple[str, str], float]:
    """Every pair (id1 < id2) of eligible passages of different documents whose Jaccard of word
    5-shingles is >= threshold, with that Jaccard. Exact (up to 64-bit hash collisions): prefix
    filtering finds every such pair and each candidate's Jaccard is computed on the full sets."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    # one passage per id, read in id order: the result cannot depend on the input's order
    by_id: dict[str, Passage] = {}
    for p in passages:
        by_id.setdefault(p.id, p)
    ids: list[str] = []
    docs: list[str] = []
    texts: list[str] = []
    for pid in sorted(by_id):
        p = by_id[pid]
        if p.section_id in SKIP_SECTIONS:
            continue
        text = normalise(p.body)
        if len(text) >= MIN_CHARS:
            ids.append(pid)
            docs.append(p.doc_id)
            texts.append(text)
    if len(texts) < 2:
        return {}
    sh = _Shingles(texts)
    hashes, owner = sh.hashes, sh.owner
    size = np.bincount(owner, minlength=len(texts))               # distinct shingles per text
    # document frequency of each entry's shingle (entries are sorted by hash)
    new = np.ones(len(hashes), dtype=bool)
    new[1:] = hashes[1:] != hashes[:-1]
    run = np.cumsum(new) - 1
    df = np.bincount(run)[run]
    # Prefix filtering needs one global order of shingles, rarest first: by (df, hash). A shingle
    # of one text only is shared with none; the unshared ones come first in every prefix, so a text
    # whose prefix (n - ceil(t*n) + 1 shingles) holds no shared one has no partner at all.
    shared = df > 1
    n_shared = np.bincount(owner[shared], minlength=len(texts))
    need = size - np.ceil(threshold * size - 1e-9).astype(np.int64) + 1
    room = need - (size - n_shared)                                 # shared shingles in the prefix
    sel = shared & (room[owner] > 0)
    h, o, d = hashes[sel], owner[sel], df[sel]
    order = np.lexsort((h, d, o))                                   # by text, then (df, hash)
    h, o = h[order], o[order]
    first = np.searchsorted(o, o, side="left")
    in_prefix = (np.arange(len(o)) - first) < room[o]
    h, o = h[in_prefix], o[in_prefix]
    # texts sharing a prefix shingle are the candidates
    order = np.lexsort((o, h))
    h, o = h[order], o[order]
    bounds = np.flatnonzero(np.r_[True, h[1:] != h[:-1], True])
    starts, ends = bounds[:-1], bounds[1:]
    multi = ends - starts >= 2
    candidates: set[tuple[int, int]] = set()
    for a, b in zip(starts[multi].tolist(), ends[multi].tolist()):
        members = o[a:b].tolist()
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                if docs[x] != docs[y]:
                    candidates.add((x, y))
    if not candidates:
        return {}
    # exact Jaccard of each candidate on its full sets
    sets: dict[int, set[int]] = {}

    def shingle_set(t: int) -> set[int]:
        s = sets.get(t)
        if s is None:
            s = sets[t] = sh.set_of(t)
        return s

    eps = 1e-9
    out: dict[tuple[str, str], float] = {}
    for x, y in sorted(candidates):
        small, large = sorted((int(size[x]), int(size[y])))
        if small < threshold * large - eps:                        # length filter
            continue
        j = jaccard(shingle_set(x), shingle_set(y))
        if j >= threshold - eps:
            out[(ids[x], ids[y]) if ids[x] < ids[y] else (ids[y], ids[x])] = j
    return out


def _components(nodes: Iterable[str], edges: dict[str, dict[str, float]]) -> list[list[str]]:
    parent: dict[str, str] = {n: n for n in nodes}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a in sorted(edges):
        for b in edges[a]:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    comps: dict[str, list[str]] = defaultdict(list)
    for n in sorted(parent):
        comps[find(n)].append(n)
    return [comps[k] for k in sorted(comps)]


def near_duplicate_groups(passages: Sequence[Passage], threshold: float = THRESHOLD) -> dict[str, str]:
    """{passage id: group key} for every passage in a group of >= 2 near-identical passages of
    different documents; the key is the smallest id in the group. Passages in no group are absent.

    Never grouped: whole-document passages (section_id ""), the "closing" and "preamble" sections,
    bodies shorter than MIN_CHARS, and two passages of one document. Similarity: exact Jaccard of
    word 5-shingles of `normalise(p.body)` >= threshold. Every member of a group is similar to the
    group's centre (see the module doc)."""
    doc_of: dict[str, str] = {}
    for p in passages:
        doc_of.setdefault(p.id, p.doc_id)
    edges: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), j in similar_pairs(passages, threshold).items():
        edges[a][b] = j
        edges[b][a] = j
    out: dict[str, str] = {}
    for comp in _components(edges, edges):
        free = set(comp)
        while len(free) >= 2:
            def degree(n: str) -> int:
                return sum(1 for m in edges[n] if m in free)
            centre = min(sorted(free), key=lambda n: -degree(n))   # most neighbours, then smallest id
            if degree(centre) == 0:
                break
            group, taken = [centre], {doc_of[centre]}
            # the most similar first, so a document with two candidates gives its closer one
            for m in sorted((m for m in edges[centre] if m in free), key=lambda m: (-edges[centre][m], m)):
                if doc_of[m] not in taken:
                    group.append(m)
                    taken.add(doc_of[m])
            key = min(group)
            for m in group:
                out[m] = key
            free.difference_update(group)
    return out


def group_results(ranked: list[tuple[str, float]], groups: dict[str, str]) -> list[tuple[str, float, list[str]]]:
    """Collapse a ranked list (passage id, score), best first, to one entry per group: the
    best-ranked member with its score and the other members present in ``ranked``, in rank order.
    Passages in no group pass through with an empty list. A repeated id is kept once."""
    out: list[tuple[str, float, list[str]]] = []
    slot: dict[str, int] = {}          # group key (or own id) -> index in out
    seen: set[str] = set()
    for pid, score in ranked:
        if pid in seen:
            continue
        seen.add(pid)
        key = groups.get(pid)
        if key is None:
            out.append((pid, score, []))
        elif key in slot:
            out[slot[key]][2].append(pid)
        else:
            slot[key] = len(out)
            out.append((pid, score, []))
    return out
