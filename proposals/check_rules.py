"""The pre-send check's rules as data (proposals/data/dossier.yaml, deadlines.yaml, ratios.yaml,
ratings.yaml): each rule names a fact of the award catalogue (source, article, clause) and says how
to check it — the documents it requires, the date it sets, the ratio it limits. Loaded once,
checked against the catalogue and the document kinds, so a typo in the data fails loudly."""
from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from awards.catalogue import Catalogue, CatalogueError, Fact, default_catalogue
from awards.pointers import squash
from corpus.vntext import nfc
from records.columns import layout

from .check_model import document_kinds

DATA = Path(__file__).parent / "data"
RATINGS = ("tot", "xuat_sac")
RATIO_OPS = ("at_most", "at_least", "more_than")
SCOPES = ("unit", "unit_tree")


@dataclass(frozen=True)
class RuleKey:
    """Which catalogue fact a rule is about."""
    source: str
    article: str
    clause: str | None = None
    quote_has: str | None = None

    def matches(self, fact: Fact) -> bool:
        return (fact.source.key == self.source and fact.article == self.article and fact.clause == self.clause
                and (not self.quote_has or squash(self.quote_has) in squash(fact.quote)))


@dataclass(frozen=True)
class Required:
    """One document a dossier rule lists (điểm ``point`` of ``clause``)."""
    document: str
    quote: str
    clause: str | None = None
    point: str | None = None
    awards: tuple[str, ...] = ()        # empty: every award the fact belongs to


@dataclass(frozen=True)
class DossierRule:
    key: RuleKey
    requires: tuple[Required, ...]


@dataclass(frozen=True)
class DeadlineRule:
    key: RuleKey
    message: str
    day: int | None = None
    month: int | None = None
    year: str = "same"                  # same | next: of the achievement year or the one after
    strict: bool = False                # "trước ngày": the day itself is late
    within_months: int | None = None
    methods: tuple[str, ...] = ()       # only for proposals of these phương thức (empty: every one)
    after_decision: str | None = None   # counted from the year of the nominee's last decision of this award

    def last_day(self, achievement_year: int) -> _dt.date:
        """The last day the dossier may be sent for an achievement of ``achievement_year`` (or, with
        ``after_decision``, for a nominee whose decision of that award is of that year)."""
        if self.within_months is not None:       # an annual achievement ends on 31/12
            y, m = achievement_year + (12 + self.within_months - 1) // 12, (self.within_months - 1) % 12 + 1
            return _dt.date(y, m, calendar.monthrange(y, m)[1])
        day = _dt.date(achievement_year + (1 if self.year == "next" else 0), self.month, self.day)
        return day - _dt.timedelta(days=1) if self.strict else day

    def named_day(self, achievement_year: int) -> _dt.date:
        """The day the text names (the strict rules' "trước ngày …")."""
        last = self.last_day(achievement_year)
        return last + _dt.timedelta(days=1) if self.strict else last


@dataclass(frozen=True)
class RatioRule:
    key: RuleKey
    op: str                             # at_most | at_least | more_than
    limit: int                          # per cent
    of: tuple[str, ...]                 # titles counted
    scope: str                          # unit | unit_tree
    message: str


@dataclass(frozen=True)
class ImpliedRating:
    title: str
    rating: str
    key: RuleKey
    quote: str


@dataclass
class CheckRules:
    dossier: list[DossierRule]
    deadlines: list[DeadlineRule]
    ratios: list[RatioRule]
    ratings: list[ImpliedRating]
    not_checked: dict[str, list[tuple[RuleKey, str]]]      # dossier | deadlines | ratios → (key, reason)

    def dossier_rule(self, fact: Fact) -> DossierRule | None:
        return next((r for r in self.dossier if r.key.matches(fact)), None)

    def deadline_rule(self, fact: Fact) -> DeadlineRule | None:
        return next((r for r in self.deadlines if r.key.matches(fact)), None)

    def ratio_rule(self, fact: Fact) -> RatioRule | None:
        return next((r for r in self.ratios if r.key.matches(fact)), None)

    def is_not_checked(self, kind: str, fact: Fact) -> bool:
        return any(k.matches(fact) for k, _ in self.not_checked.get(kind, []))


# --- loading --------------------------------------------------------------------------------------

def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot read the check's rules ({exc})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: expected a mapping with `rules`")
    return data


def _key(raw: dict, cat: Catalogue, where: str) -> RuleKey:
    if raw.get("source") not in cat.sources:
        raise CatalogueError(f"{where}: unknown source “{raw.get('source')}” (awards/data/catalogue.yaml sources)")
    return RuleKey(raw["source"], str(raw.get("article") or ""), raw.get("clause"),
                   nfc(raw["quote_has"]) if raw.get("quote_has") else None)


def _awards(names: list, cat: Catalogue, where: str) -> tuple[str, ...]:
    bad = [n for n in names if cat.get(nfc(n)) is None]
    if bad:
        raise CatalogueError(f"{where}: unknown awards {bad}")
    return tuple(nfc(n) for n in names)


def _dossier(raw: dict, i: int, cat: Catalogue, kinds: set[str]) -> DossierRule:
    where = f"dossier.yaml rule {i + 1}"
    reqs = []
    for r in raw.get("requires") or []:
        if r.get("document") not in kinds:
            raise CatalogueError(f"{where}: unknown document kind “{r.get('document')}” (proposals/data/documents.yaml)")
        reqs.append(Required(r["document"], nfc(r["quote"]), r.get("clause"), r.get("point"),
                             _awards(r.get("awards") or [], cat, where)))
    return DossierRule(_key(raw, cat, where), tuple(reqs))


def _deadline(raw: dict, i: int, cat: Catalogue) -> DeadlineRule:
    where = f"deadlines.yaml rule {i + 1}"
    by = raw.get("by") or {}
    if bool(by) == (raw.get("within_months") is not None) or (by and by.get("year", "same") not in ("same", "next")):
        raise CatalogueError(f"{where}: give either `by: {{day, month, year: same|next}}` or `within_months`")
    methods = tuple(raw.get("methods") or ())
    bad = [m for m in methods if m not in layout().methods]
    if bad:
        raise CatalogueError(f"{where}: unknown methods {bad}: use {list(layout().methods)}")
    after = _awards([raw["after_decision"]], cat, where)[0] if raw.get("after_decision") else None
    return DeadlineRule(_key(raw, cat, where), nfc(raw.get("message") or ""), by.get("day"), by.get("month"),
                        by.get("year", "same"), bool(by.get("strict")), raw.get("within_months"), methods, after)


def _ratio(raw: dict, i: int, cat: Catalogue) -> RatioRule:
    where = f"ratios.yaml rule {i + 1}"
    ops = [op for op in RATIO_OPS if op in raw]
    if len(ops) != 1 or raw.get("scope") not in SCOPES:
        raise CatalogueError(f"{where}: give one of {RATIO_OPS} and a scope ({' | '.join(SCOPES)})")
    return RatioRule(_key(raw, cat, where), ops[0], int(raw[ops[0]]), _awards(raw.get("of") or [], cat, where),
                     raw["scope"], nfc(raw.get("message") or ""))


def _rating(raw: dict, i: int, cat: Catalogue) -> ImpliedRating:
    where = f"ratings.yaml line {i + 1}"
    if raw.get("rating") not in RATINGS:
        raise CatalogueError(f"{where}: rating must be one of {RATINGS}")
    return ImpliedRating(_awards([raw.get("title")], cat, where)[0], raw["rating"], _key(raw, cat, where), nfc(raw["quote"]))


def load_rules(folder: Path = DATA, catalogue: Catalogue | None = None, kinds: set[str] | None = None) -> CheckRules:
    cat = catalogue or default_catalogue()
    kinds = kinds if kinds is not None else {k.id for k in document_kinds()}
    raw = {name: _read(folder / f"{name}.yaml") for name in ("dossier", "deadlines", "ratios")}
    ratings = _read(folder / "ratings.yaml").get("implies") or []
    not_checked = {name: [(_key(n, cat, f"{name}.yaml not_checked"), n.get("reason", "")) for n in data.get("not_checked") or []]
                   for name, data in raw.items()}
    return CheckRules(dossier=[_dossier(r, i, cat, kinds) for i, r in enumerate(raw["dossier"].get("rules") or [])],
                      deadlines=[_deadline(r, i, cat) for i, r in enumerate(raw["deadlines"].get("rules") or [])],
                      ratios=[_ratio(r, i, cat) for i, r in enumerate(raw["ratios"].get("rules") or [])],
                      ratings=[_rating(r, i, cat) for i, r in enumerate(ratings)], not_checked=not_checked)


@lru_cache(maxsize=1)
def default_rules() -> CheckRules:
    return load_rules()


def examples(name: str) -> list[dict[str, Any]]:
    """The ``examples`` of one data file (dossier, deadlines, ratios), for the tests."""
    return list(_read(DATA / f"{name}.yaml").get("examples") or [])
