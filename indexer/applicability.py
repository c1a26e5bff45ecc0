"""Applicability: which texts answer the asker first.

A general question is answered from the national texts in force, in legal order (Luật → Nghị định
→ Quyết định / Chỉ thị of the Thủ tướng → Thông tư of Bộ Nội vụ), then the asker's province's
rules, then other ministries' and sectors' texts and other provinces'. A sector's text comes first
only when the question (or the chosen context) names that sector. A text not in force on the
context's date ranks below the rest, and "only texts in force" removes it.

Applied as a weight on the fused score (``rerank``): relevance still decides within a tier and
between close tiers. The weights (WEIGHTS) were set from the legal order above before any
measurement, not tuned on a query set; docs/EVALUATION.md has what they give.
"""
from __future__ import annotations

from functools import lru_cache

import datetime as _dt
import re
from dataclasses import dataclass

import numpy as np

from corpus.sectors import Sector, sector_by_key, sector_named, sector_of_symbol
from corpus.status import ENDED_STATES, NOT_YET, UNKNOWN, parse_date, state_on
from corpus.vntext import fold

from .passages import Passage

# Tiers of a text for a question that names no sector.
LAW, DECREE, GOVERNMENT, BNV, OWN_PROVINCE, SECTOR, OTHER_PROVINCE, OTHER = (
    "law", "decree", "government", "bnv", "own_province", "sector", "other_province", "other")


@dataclass(frozen=True)
class Weights:
    """Multipliers of the fused score, by tier and by state on the context's date."""
    law: float = 1.0
    decree: float = 1.0
    government: float = 0.8
    bnv: float = 0.85
    own_province: float = 0.85
    sector: float = 0.5
    other_province: float = 0.6
    other: float = 0.6
    named_sector: float = 1.15       # the sector the question names: first
    named_province: float = 1.0      # the province the question or context names
    in_force: float = 1.0
    unknown: float = 0.8
    ended: float = 0.35              # superseded / expired on the date
    not_yet: float = 0.6

    def tier(self, name: str) -> float:
        return float(getattr(self, name))


WEIGHTS = Weights()


@dataclass(frozen=True)
class Context:
    """Who asks: their province, their sector, the date that matters, and whether only texts in
    force on that date may answer. Chosen on the site, in `tdkt search` and in the API."""
    province: str | None = None
    sector: str | None = None        # a key of corpus/data/sectors.yaml, or a sector's name
    as_of: _dt.date | None = None    # default: today
    in_force_only: bool = False

    @property
    def day(self) -> _dt.date:
        return self.as_of or _dt.date.today()

    @classmethod
    def make(cls, province: str | None = None, sector: str | None = None, as_of=None,
             in_force_only: bool = False) -> "Context":
        return cls(province=(province or "").strip() or None, sector=(sector or "").strip() or None,
                   as_of=parse_date(as_of), in_force_only=bool(in_force_only))


def tier_of(p: Passage) -> str:
    """The tier of a passage's document when nobody names a sector or province."""
    sym = p.symbol or ""
    tail = sym.split("/")[-1] if sym else ""
    dtype = fold(p.doc_type or "")
    if p.province:
        return OTHER_PROVINCE
    if dtype in ("luat", "bo luat", "hien phap", "phap lenh") or re.search(r"(^|-)(QH|UBTVQH)\d*$", tail) \
            or tail.endswith("VPQH"):
        return LAW
    if tail.endswith("-CP") or tail == "CP":
        return DECREE
    if tail.endswith("TTg") or tail.endswith("/TW") or sym.endswith("/TW"):
        return GOVERNMENT
    if tail in ("TT-BNV", "QĐ-BNV") or tail.endswith("BTĐKT"):
        return BNV
    if sector_of_symbol(sym) is not None or dtype.startswith("thong tu"):
        return SECTOR
    return OTHER


class Applicability:
    """Per-passage arrays (tier, sector, province, effect dates) computed once per corpus, and the
    weights of one query's context computed over them with numpy."""

    def __init__(self, passages: list[Passage], weights: Weights = WEIGHTS):
        self.weights = weights
        self.tiers = [tier_of(p) for p in passages]
        self.sectors = [(s.key if (s := sector_of_symbol(p.symbol)) else None) for p in passages]
        self.provinces = [fold(p.province or "") for p in passages]
        self._province_names = sorted({p for p in self.provinces if p})
        self.state = [p.status or UNKNOWN for p in passages]
        self._eff = np.array([_ord(p.effective, 0) for p in passages], dtype=np.int64)
        self._end = np.array([_ord(p.ended, 10 ** 9) for p in passages], dtype=np.int64)
        self._ended_state = np.array([s in ENDED_STATES for s in self.state], dtype=bool)
        self._unknown = np.array([s == UNKNOWN for s in self.state], dtype=bool)
        self._not_yet = np.array([s == NOT_YET for s in self.state], dtype=bool)
        self._base = {}

    def sector_for(self, query: str, ctx: Context | None) -> Sector | None:
        named = sector_named(query)
        if named is None and ctx is not None:
            named = sector_by_key(ctx.sector)
        return named

    def province_for(self, query: str, ctx: Context | None) -> str | None:
        if ctx is not None and ctx.province:
            return fold(ctx.province)
        f = fold(query)
        for prov in self._province_names:
            if re.search(rf"(?<!\w){re.escape(prov)}(?!\w)", f):
                return prov
        return None

    def state_weights(self, day: _dt.date) -> tuple[np.ndarray, np.ndarray]:
        """(weight by state on ``day``, in force-or-unknown mask) for every passage."""
        d = day.toordinal()
        w = self.weights
        before = self._eff > d
        after = self._end <= d
        ended = after | (self._ended_state & (self._end >= 10 ** 9))   # ended with no date known
        not_yet = before | (self._not_yet & ~after & (self._eff == 0))
        out = np.full(len(self.state), w.in_force, dtype=np.float64)
        out[self._unknown & ~ended & ~not_yet] = w.unknown
        out[not_yet] = w.not_yet
        out[ended] = w.ended
        return out, ~(ended | not_yet)

    def weights_for(self, query: str, ctx: Context | None) -> np.ndarray:
        """The multiplier of every passage for this query and context."""
        sector = self.sector_for(query, ctx)
        province = self.province_for(query, ctx)
        w = self.weights
        key = (sector.key if sector else None, province)
        base = self._base.get(key)
        if base is None:
            vals = []
            for t, s, prov in zip(self.tiers, self.sectors, self.provinces):
                if sector is not None and s == sector.key:
                    vals.append(w.named_sector)
                elif province and prov == province:
                    vals.append(w.own_province * w.named_province if t == OTHER_PROVINCE else w.tier(t))
                else:
                    vals.append(w.tier(t))
            base = np.array(vals, dtype=np.float64)
            if len(self._base) > 256:
                self._base.clear()
            self._base[key] = base
        states, _ = self.state_weights(ctx.day if ctx else _dt.date.today())
        return base * states

    def allowed(self, ctx: Context | None) -> np.ndarray | None:
        """Mask of passages whose text is in force (or of unknown status) on the context's date,
        when the context asks for texts in force only."""
        if ctx is None or not ctx.in_force_only:
            return None
        return self.state_weights(ctx.day)[1]


def _ord(iso: str | None, default: int) -> int:
    d = parse_date(iso)
    return d.toordinal() if d else default


def rerank(ranked: list[tuple[str, float]], pos: dict[str, int], weights: np.ndarray,
           passages: list[Passage] | None = None, day: _dt.date | None = None) -> list[tuple[str, float]]:
    """The ranking with each score multiplied by its passage's weight (ties: id). With
    ``passages``: a text that has ended on ``day`` ranks below the best passage of its successor
    that the ranking holds ("hiệp y khen thưởng" is a word of the old decree only: its article
    still comes, after the article of the decree in force)."""
    out = {pid: s * float(weights[pos[pid]]) for pid, s in ranked}
    if passages is not None:
        best: dict[str, float] = {}
        for pid, s in out.items():
            d = passages[pos[pid]].doc_id
            best[d] = max(best.get(d, float("-inf")), s)
        when = day or _dt.date.today()
        for pid, s in out.items():
            p = passages[pos[pid]]
            if p.successor and p.successor in best and p.successor != p.doc_id and _ended_on(p, when):
                out[pid] = min(s, best[p.successor] * 0.999)
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


def _ended_on(p: Passage, day: _dt.date) -> bool:
    return _ended(p.status, p.effective, p.ended, day)


@lru_cache(maxsize=8192)   # a few dozen distinct statuses, asked for every candidate of every query
def _ended(state: str | None, effective: str | None, ended: str | None, day: _dt.date) -> bool:
    return state_on({"state": state, "effective": effective, "ended": ended}, day) in ENDED_STATES
