"""The award catalogue (awards/data/catalogue.yaml): load, validate, find an award by name.

Each award carries facts (criteria, authority, proposer, dossier, deadline, limits, money,
prerequisites), each pointing at the article and clause of the text that states it. A fact applies
on a date when its source text does (Luật 2003 until 2023, Luật 2022 from 2024 …), so the same
award answers with the rules of 2022 or of 2026 depending on the date asked.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz.distance import DamerauLevenshtein

from corpus.errors import UserError
from corpus.metadata import PROVINCES
from corpus.vntext import fold, nfc
from glossary.load import default_glossary

CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.yaml"

FACT_KINDS = ("criteria", "authority", "proposer", "dossier", "deadline", "limits", "money", "prerequisites")
RECIPIENTS = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}
# What officers type for a recipient kind, folded.
_RECIPIENT_WORDS = {"individual": "individual", "ca nhan": "individual", "canhan": "individual", "person": "individual",
                    "collective": "collective", "tap the": "collective", "taphe": "collective", "group": "collective",
                    "household": "household", "ho gia dinh": "household", "gia dinh": "household", "family": "household"}
CATEGORIES = ("danh hiệu thi đua", "hình thức khen thưởng")
_ARTICLE = re.compile(r"^Điều \d+[a-z]?$")
_CLAUSE = re.compile(r"^khoản \d+$")
# Words that do not tell two award names apart ("Bằng khen của Chủ tịch …" ~ "Bằng khen Chủ tịch …").
_FILLER = {"cua", "danh", "hieu", "cap", "thanh", "pho", "truc", "thuoc", "trung", "uong"}
_WORD = re.compile(r"[a-z0-9]+")
# No award's name is longer; a longer text is not a name (and fuzzy matching it would cost).
MAX_NAME_CHARS = 200


class UnknownAward(UserError):
    """No award of the catalogue has this name (the message names the closest ones). ``vi``: the
    same for the site's pages and the records' import, in Vietnamese."""

    def __init__(self, message: str, name: str = "", suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.name, self.suggestions = name, tuple(suggestions)

    @property
    def vi(self) -> str:
        if not self.name.strip():
            return "Chưa chọn hình thức khen thưởng: ví dụ “Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh”"
        if self.suggestions:
            return f"Không có “{self.name}” trong danh mục khen thưởng; có phải: {'; '.join(self.suggestions)}?"
        return f"Không có “{self.name}” trong danh mục khen thưởng (Luật Thi đua, khen thưởng): xem danh sách ở ô chọn"


class CatalogueError(UserError):
    """The catalogue file is broken (an unknown source, a bad article label …)."""


@dataclass(frozen=True)
class Source:
    key: str
    symbol: str
    start: str | None = None          # ISO, first day its rules apply
    end: str | None = None            # ISO, last day
    province: str | None = None
    in_corpus: bool = True
    sector: str | None = None         # a ministry's circular for its sector: its period is the registry's

    def applies_on(self, day: _dt.date, province: str | None = None) -> bool:
        if self.start and day < _dt.date.fromisoformat(self.start):
            return False
        if self.end and day > _dt.date.fromisoformat(self.end):
            return False
        return not self.province or (province is not None and fold(province) == fold(self.province))


@dataclass(frozen=True)
class Fact:
    kind: str
    source: Source
    article: str
    quote: str
    clause: str | None = None
    recipients: tuple[str, ...] = ()   # empty: every recipient kind of the award
    note: str | None = None

    @property
    def doc(self) -> str:
        return self.source.symbol


@dataclass(frozen=True)
class Prerequisite:
    id: str
    fact: Fact
    any_of: tuple[tuple[dict, ...], ...]


@dataclass
class Award:
    name: str
    category: str
    level: str
    recipients: tuple[str, ...]
    facts: list[Fact]
    prerequisites: list[Prerequisite] = field(default_factory=list)
    glossary_term: str | None = None
    aliases: tuple[str, ...] = ()
    provincial_name: str | None = None
    sector_facts: list[Fact] = field(default_factory=list)   # ministries' circulars, for comparison only

    @property
    def glossary(self) -> str:
        return self.glossary_term or self.name

    def facts_on(self, day: _dt.date, recipient: str | None = None, province: str | None = None) -> list[Fact]:
        """The facts whose source applies on ``day`` (and in ``province``), for ``recipient``."""
        return [f for f in self.facts if f.source.applies_on(day, province)
                and (not recipient or not f.recipients or recipient in f.recipients)]


@dataclass
class Catalogue:
    sources: dict[str, Source]
    awards: list[Award]
    basis: list[dict[str, str]]
    families: dict[str, list[str]] = field(default_factory=dict)
    transitions: list[tuple[Fact, dict]] = field(default_factory=list)   # (pointer, {from, until, message …})
    _names: dict[str, Award] = field(default_factory=dict, repr=False)

    def add_names(self, award: Award, names: list[str]) -> None:
        for n in names:
            self._names.setdefault(name_key(n), award)

    def get(self, name: str) -> Award | None:
        return next((a for a in self.awards if a.name == name), None)

    def find(self, name: str, abbreviations: dict[str, str] | None = None) -> Award:
        """The award an officer means by ``name``: accents, case, "của", quotes and the glossary's
        abbreviations (CSTĐ, UBND, LĐTT) do not matter. Fails naming the closest awards."""
        if not name or not name.strip():
            raise UnknownAward("no award named: give an award, e.g. \"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh\"")
        if len(name) > MAX_NAME_CHARS:
            raise UserError(f"the award name is too long ({len(name)} characters): give the award's name, e.g. \"Giấy khen\"")
        key = name_key(expand_abbreviations(name, abbreviations or {}))
        # the name as typed too: a word may also be an abbreviation ("tú" of Thầy thuốc ưu tú is TU, Tỉnh ủy)
        keys = [k for typed in dict.fromkeys((key, name_key(name))) for k in dict.fromkeys((typed, _without_province(typed)))]
        for k in keys:
            if k in self._names:
                return self._names[k]
        for k in keys:
            close = self._close(k)
            if close is not None:
                return close
        suggestions = difflib.get_close_matches(key, list(self._names), n=3, cutoff=0.5)
        close_names = tuple(dict.fromkeys(self._names[s].name for s in suggestions))
        hint = "; ".join(close_names)
        raise UnknownAward(f"unknown award “{name}”" + (f": did you mean {hint}?" if hint else
                           ": see `tdkt award --list` for the awards of Luật Thi đua, khen thưởng"),
                           name, close_names)


    def _close(self, key: str) -> Award | None:
        """The one award whose name ``key`` writes with small typos (a letter wrong, missing or
        extra in a word; i for y) or with some of its words left out ("Bằng khen Thủ tướng"), not both:
        every word typed must be one of the name's words, in order. A word that is no word of the
        name ("Huân chương Không Có" is not Huân chương Dũng cảm) or a name that fits several
        awards ("Huân chương Lao động": hạng Nhất, Nhì, Ba) matches nothing."""
        typed = key.split()
        if not typed:
            return None
        found: dict[int, set[str]] = {}
        for names_key, award in self._names.items():
            typos = _typos_in(typed, names_key.split())
            if typos is not None:
                found.setdefault(typos, set()).add(award.name)
        if not found:
            return None
        best = found[min(found)]
        return self.get(next(iter(best))) if len(best) == 1 else None


MAX_TYPOS = 2


def _typos_in(typed: list[str], words: list[str]) -> int | None:
    """How many of ``typed`` are misspelt words of ``words`` when every typed word is found, in
    order, among ``words`` (some of them may be left out, if none is misspelt); None when a typed
    word is not there."""
    typos, j = 0, 0
    for t in typed:
        exact = next((i for i in range(j, len(words)) if _plain(words[i]) == _plain(t)), None)
        if exact is None:
            exact = next((i for i in range(j, len(words)) if _misspelt(t, words[i])), None)
            if exact is None:
                return None
            typos += 1
        j = exact + 1
    if typos and len(typed) < len(words):    # words left out and others misspelt: too far ("Huy hiệu Đảng")
        return None
    return typos if typos <= MAX_TYPOS else None


def _plain(word: str) -> str:
    return word.replace("y", "i")        # sĩ/sỹ, Thúy/Thúi are one spelling written two ways


def _misspelt(typed: str, word: str) -> bool:
    """``typed`` is ``word`` with one letter wrong, missing, extra or swapped (two in a long word);
    words of one or two letters must be exact."""
    a, b = _plain(typed), _plain(word)
    if min(len(a), len(b)) < 3:
        return False
    allowed = 2 if len(b) >= 8 else 1
    return DamerauLevenshtein.distance(a, b, score_cutoff=allowed) <= allowed


def _without_province(key: str) -> str:
    """The key without a province's name at its end ("… tỉnh Lạng Sơn" → "… tỉnh")."""
    for province in _province_keys():
        if key.endswith(" " + province):
            return key[: -len(province) - 1]
    return key


@lru_cache(maxsize=1)
def _province_keys() -> tuple[str, ...]:
    return tuple(sorted({name_key(p) for p in PROVINCES}, key=len, reverse=True))


def name_key(name: str) -> str:
    words = [w for w in _WORD.findall(fold(nfc(name)).replace("-", " ")) if w not in _FILLER]
    return " ".join(words)


def expand_abbreviations(text: str, abbreviations: dict[str, str]) -> str:
    """"CSTĐ cơ sở" → "chiến sĩ thi đua cơ sở" with ``abbreviations`` {folded abbreviation: term}."""
    return " ".join(abbreviations.get(fold(w), w) for w in re.split(r"\s+", nfc(text).strip()))


def parse_recipient(value: str | None) -> str:
    key = fold(value or "").strip().replace("_", " ")
    if key in _RECIPIENT_WORDS:
        return _RECIPIENT_WORDS[key]
    raise UserError(f"unknown recipient kind “{value}”: use individual (cá nhân), collective (tập thể) "
                    "or household (hộ gia đình)")


def parse_day(value: Any) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    text = str(value or "").strip()
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            try:
                return _dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
    raise UserError(f"bad date “{value}”: write it as YYYY-MM-DD (2026-01-15) or DD/MM/YYYY (15/01/2026)")


# --- loading --------------------------------------------------------------------------------------

def _source(key: str, raw: dict) -> Source:
    if not raw.get("symbol"):
        raise CatalogueError(f"catalogue: source {key} has no symbol")
    return Source(key=key, symbol=nfc(raw["symbol"]), start=_iso(raw.get("from")), end=_iso(raw.get("until")),
                  province=raw.get("province"), in_corpus=raw.get("in_corpus", True))


def _iso(value: Any) -> str | None:
    return None if value is None else str(value)


def _fact(raw: dict, sources: dict[str, Source], where: str, award_recipients: tuple[str, ...]) -> Fact:
    kind, src = raw.get("kind", "prerequisites"), raw.get("source")
    if kind not in FACT_KINDS:
        raise CatalogueError(f"catalogue: {where}: unknown fact kind “{kind}”")
    if src not in sources:
        raise CatalogueError(f"catalogue: {where}: unknown source “{src}”")
    article, clause = str(raw.get("article") or ""), raw.get("clause")
    if not _ARTICLE.match(article) or (clause and not _CLAUSE.match(clause)):
        raise CatalogueError(f"catalogue: {where}: article/clause must read “Điều N” / “khoản K”, not {article!r} {clause!r}")
    if not raw.get("quote"):
        raise CatalogueError(f"catalogue: {where}: a fact needs the words of the text it rests on (quote)")
    recips = tuple(raw.get("for") or ())
    bad = [r for r in recips if r not in award_recipients]
    if bad:
        raise CatalogueError(f"catalogue: {where}: recipient {bad} is not one of the award's {list(award_recipients)}")
    return Fact(kind=kind, source=sources[src], article=article, clause=clause, quote=nfc(raw["quote"]),
                recipients=recips, note=raw.get("note"))


def load(path: Path | str = CATALOGUE_FILE) -> Catalogue:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    sources = {k: _source(k, v) for k, v in (data.get("sources") or {}).items()}
    groups = data.get("groups") or {}
    awards = []
    for i, raw in enumerate(data.get("awards") or []):
        name = nfc(raw.get("name") or "")
        where = f"award {i + 1} “{name}”"
        recipients = tuple(raw.get("recipients") or ())
        if not name or raw.get("category") not in CATEGORIES or not recipients or any(r not in RECIPIENTS for r in recipients):
            raise CatalogueError(f"catalogue: {where}: needs a name, a category ({' | '.join(CATEGORIES)}) and recipients")
        facts = []
        for g in raw.get("uses") or []:
            if g not in groups:
                raise CatalogueError(f"catalogue: {where}: unknown group “{g}”")
            facts += [_fact(f, sources, f"{where}, group {g}", recipients) for f in groups[g]]
        facts += [_fact(f, sources, where, recipients) for f in raw.get("facts") or []]
        prereqs = []
        for p in raw.get("prerequisites") or []:
            fact = _fact(p | {"kind": "prerequisites"}, sources, f"{where}, prerequisite {p.get('id')}", recipients)
            prereqs.append(Prerequisite(id=p["id"], fact=fact, any_of=tuple(tuple(alt) for alt in p.get("any_of") or [])))
            facts.append(fact)
        awards.append(Award(name=name, category=raw["category"], level=raw.get("level", ""), recipients=recipients,
                            facts=facts, prerequisites=prereqs, glossary_term=raw.get("glossary"),
                            aliases=tuple(nfc(a) for a in raw.get("aliases") or ()),
                            provincial_name=raw.get("provincial_name")))
    sectors = {k: Source(key=k, symbol=nfc(v["symbol"]), sector=v.get("sector") or k)
               for k, v in (data.get("sector_sources") or {}).items()}
    by_name = {a.name: a for a in awards}
    for rule in data.get("sector_rules") or []:
        award = by_name.get(rule.get("award"))
        if award is None:
            raise CatalogueError(f"catalogue: sector rule for unknown award “{rule.get('award')}”")
        award.sector_facts += [_fact(f, sectors, f"sector rule of “{award.name}”", award.recipients)
                               for f in rule.get("facts") or []]
    families = {k: list(v) for k, v in (data.get("families") or {}).items()}
    for fam, names in families.items():
        missing = [n for n in names if n not in by_name]
        if missing:
            raise CatalogueError(f"catalogue: family “{fam}” names unknown awards {missing}")
    transitions = []
    for i, t in enumerate(data.get("transitions") or []):
        fact = _fact(t | {"kind": "limits"}, sources, f"transition {i + 1}", tuple(RECIPIENTS))
        transitions.append((fact, {"from": _iso(t.get("from")), "until": _iso(t.get("until")), "message": t.get("message", ""),
                                   "unless_province_rules": bool(t.get("unless_province_rules"))}))
    cat = Catalogue(sources=sources, awards=awards, basis=list(data.get("basis") or []), families=families,
                    transitions=transitions)
    for a in awards:
        cat.add_names(a, [a.name, *a.aliases, *([a.provincial_name] if a.provincial_name else [])])
    return cat


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The shipped catalogue, with the glossary's variants as extra names of each award."""
    cat = load()
    try:
        g = default_glossary()
    except Exception:   # the catalogue works without the glossary (names as written only)
        return cat
    by_term = {e.term: e for e in g.entries} if hasattr(g, "entries") else {}
    for a in cat.awards:
        e = by_term.get(a.name)
        if e is not None:     # variants name this award only when it is the glossary term itself
            cat.add_names(a, list(e.variants) + list(e.abbreviations))
    return cat


@lru_cache(maxsize=1)
def glossary_abbreviations() -> dict[str, str]:
    """{folded abbreviation: full term} from the glossary (CSTĐ → Chiến sĩ thi đua, UBND → Ủy ban nhân dân)."""
    try:
        g = default_glossary()
    except Exception:
        return {}
    out: dict[str, str] = {}
    for e in getattr(g, "entries", []):
        for abbr in e.abbreviations:
            out.setdefault(fold(abbr), e.term)
    return out
