"""The asker's context on the site, in the API and in `tdkt search`: province, sector, the date
that matters ("áp dụng tại ngày") and whether only texts in force on that date may answer.

It travels in the URL (``province_ctx``, ``sector``, ``as_of``, ``in_force`` — ``province`` is
already the facet filter on the document's province) and, on the site, in the ``tdkt_ctx`` cookie
set when the user submits the context form, read when the URL carries no context. Nothing from
either is trusted: each value is checked (a province of the knowledge base, a sector of
corpus/data/sectors.yaml, a real date, a yes/no) and a bad one is dropped with a short Vietnamese
note, never an error. The library's ``Context`` (indexer/applicability.py) does the ranking.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl, quote, unquote, urlencode

from corpus.sectors import Sector, sector_by_key, sectors
from corpus.status import parse_date
from corpus.vntext import fold
from indexer.applicability import Context
from indexer.kb import KnowledgeBase

from .urls import CONTEXT_KEYS  # the URL parameters of the context, in the order links carry them

# Hidden field of the context form: "the user submitted the form" (remember it; an unticked box is off).
FORM_KEY = "ctx"
COOKIE = "tdkt_ctx"
COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_VALUE_CHARS = 120
MIN_YEAR, MAX_YEAR = 1900, 2200
NONE_VALUES = {"", "—", "-", "–"}
TRUE_VALUES = {"1", "on", "true", "yes", "co", "bat"}
FALSE_VALUES = {"0", "off", "false", "no", "khong", "tat"}
# Centrally-run cities: "thành phố Hà Nội", the others "tỉnh Bắc Ninh".
CITIES = {fold(c) for c in ("Hà Nội", "Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")}


def _clean(value: Any) -> str:
    """A parameter value as text: printable, spaces collapsed, bounded."""
    if value is None:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)[:MAX_VALUE_CHARS * 2])
    return " ".join(text.split())[:MAX_VALUE_CHARS]


def vn_date(day: _dt.date) -> str:
    """15/01/2026."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def place_name(province: str) -> str:
    """"tỉnh Bắc Ninh", "thành phố Hà Nội"."""
    folded = fold(province)
    if folded.startswith(("tinh ", "thanh pho ")):
        return province[0].lower() + province[1:]
    return f"thành phố {province}" if folded in CITIES else f"tỉnh {province}"


@dataclass
class SiteContext:
    province: str | None = None
    sector: Sector | None = None
    as_of: _dt.date | None = None        # None: today
    in_force: bool = False
    notes: list[str] = field(default_factory=list)
    origin: str = "default"              # "url", "cookie" or "default"

    @property
    def day(self) -> _dt.date:
        return self.as_of or _dt.date.today()

    def library(self) -> Context:
        """The library's Context for Searcher.search."""
        return Context(province=self.province, sector=self.sector.key if self.sector else None,
                       as_of=self.as_of, in_force_only=self.in_force)

    def is_default(self, default_in_force: bool = True) -> bool:
        return not (self.province or self.sector or self.as_of) and self.in_force == default_in_force

    def url_params(self, default_in_force: bool | None = True) -> dict[str, str | None]:
        """The context as URL parameters. ``in_force`` is left out when it is the default of the
        place the link goes to (the site: on); ``default_in_force=None`` always writes it (the
        API, whose default is off, or the cookie)."""
        in_force = None if default_in_force is not None and self.in_force == default_in_force else ("1" if self.in_force else "0")
        return {"province_ctx": self.province, "sector": self.sector.key if self.sector else None,
                "as_of": self.as_of.isoformat() if self.as_of else None, "in_force": in_force}

    def cookie_value(self) -> str:
        """Only characters a cookie may hold unquoted (letters, digits, %-._~)."""
        kept = {k: v for k, v in self.url_params(None).items() if v}
        return quote(urlencode(kept), safe="")

    def summary(self, favoured: str | None = None) -> str:
        """"Áp dụng: tỉnh Bắc Ninh · ngành Tư pháp · tại ngày 15/01/2026 · chỉ văn bản còn hiệu lực";
        ``favoured``: the sector the ranking favoured (the query may name one)."""
        parts = []
        if self.province:
            parts.append(place_name(self.province))
        if favoured and self.sector is None:
            parts.append(f"ngành {favoured} (theo câu hỏi)")
        elif favoured and favoured != self.sector.name:
            parts.append(f"ngành {favoured} (theo câu hỏi, thay cho ngành {self.sector.name} đã chọn)")
        elif self.sector:
            parts.append(f"ngành {self.sector.name}")
        parts.append(f"tại ngày {vn_date(self.day)}")
        parts.append("chỉ văn bản còn hiệu lực" if self.in_force else "gồm cả văn bản hết hoặc chưa có hiệu lực")
        return "Áp dụng: " + " · ".join(parts)

    def to_dict(self, favoured: str | None = None) -> dict[str, Any]:
        """What the API and the page say about the context used."""
        return {"province": self.province, "sector": self.sector.key if self.sector else None,
                "sector_name": self.sector.name if self.sector else None, "as_of": self.day.isoformat(),
                "as_of_chosen": self.as_of is not None, "in_force_only": self.in_force,
                "favoured_sector": favoured, "origin": self.origin, "notes": list(self.notes),
                "summary": self.summary(favoured)}


def match_province(value: str, provinces: Iterable[str]) -> str | None:
    """The knowledge base's spelling of a province typed with or without accents, or "tỉnh …"."""
    want = fold(value)
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if want.startswith(prefix) and len(want) > len(prefix):
            want = want[len(prefix):]
            break
    return next((p for p in provinces if fold(p) == want), None)


def parse_in_force(value: str) -> bool | None:
    v = fold(value)
    if v in TRUE_VALUES:
        return True
    if v in FALSE_VALUES:
        return False
    return None


def has_context(params: Mapping[str, Any]) -> bool:
    """Does the URL carry any context parameter?"""
    return any(params.get(k) is not None for k in CONTEXT_KEYS)


def read_cookie(raw: str | None) -> dict[str, str]:
    """The cookie's parameters (only context keys; anything malformed is dropped)."""
    if not raw or len(raw) > 2000:
        return {}
    try:
        pairs = parse_qsl(unquote(raw), keep_blank_values=False)
    except ValueError:
        return {}
    return {k: v for k, v in pairs if k in CONTEXT_KEYS}


def read_context(params: Mapping[str, Any], provinces: Iterable[str], *, cookie: str | None = None,
                 default_in_force: bool = True, form: bool = False) -> SiteContext:
    """The context from the URL parameters, or (when the URL has none) from the cookie.

    ``default_in_force``: on for the site, off for the API. ``form``: the values come from the
    context form, where an unticked box sends nothing and so means off. Bad URL values are dropped
    with a note; bad cookie values are dropped silently (the user did not just type them)."""
    provinces = list(provinces)
    if has_context(params) or form:
        source, origin, quiet = params, "url", False
    elif cookie:
        source, origin, quiet = read_cookie(cookie), "cookie", True
        if not source:
            origin = "default"
    else:
        source, origin, quiet = {}, "default", True
    ctx = SiteContext(in_force=default_in_force, origin=origin)

    def note(text: str) -> None:
        if not quiet:
            ctx.notes.append(text)

    province = _clean(source.get("province_ctx"))
    if province not in NONE_VALUES:
        ctx.province = match_province(province, provinces)
        if ctx.province is None:
            note(f"Không có tỉnh/thành phố “{province}” trong kho văn bản: đã bỏ qua.")
    sector = _clean(source.get("sector"))
    if sector not in NONE_VALUES:
        ctx.sector = sector_by_key(sector)
        if ctx.sector is None:
            note(f"Không có ngành “{sector}”: đã bỏ qua.")
    as_of = _clean(source.get("as_of"))
    if as_of:
        day = parse_date(as_of)
        if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
            note(f"Ngày áp dụng “{as_of}” không hợp lệ: dùng ngày hôm nay.")
        elif day != _dt.date.today():   # today is the default: a link need not freeze it
            ctx.as_of = day
    in_force = _clean(source.get("in_force"))
    if in_force:
        flag = parse_in_force(in_force)
        if flag is None:
            note(f"Giá trị “{in_force}” của “chỉ văn bản còn hiệu lực” không hợp lệ (dùng 1 hoặc 0): đã bỏ qua.")
        else:
            ctx.in_force = flag
    elif form:
        ctx.in_force = False
    return ctx


def province_options(kb: KnowledgeBase) -> list[str]:
    """The provinces of the knowledge base's documents, in Vietnamese alphabetical order."""
    return kb.provinces


def sector_options() -> list[dict[str, str]]:
    return [{"key": s.key, "name": s.name} for s in sectors()]
