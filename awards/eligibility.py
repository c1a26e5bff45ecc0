"""Eligibility from an award history: which awards a person or a collective now qualifies for by
the prerequisites in force on a date (two consecutive CSTĐ cơ sở, five years since a Bằng khen …),
which they miss and why, citing the article.

A history is a small YAML/JSON mapping:

    name: Nguyễn Thị A
    kind: individual            # individual (cá nhân) | collective (tập thể)
    years:
      2024: {rating: hoàn thành xuất sắc nhiệm vụ, titles: [Lao động tiên tiến, CSTĐ cơ sở], initiatives: 1}
      2025: {rating: xuat_sac, titles: [LĐTT, CSTĐCS], awards: [Bằng khen của Chủ tịch UBND tỉnh]}

Years count up to the one before the date (a decision of 15/01/2026 rewards 2025 and earlier).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from corpus.errors import UserError
from corpus.vntext import fold, nfc

from .catalogue import RECIPIENTS, Catalogue, Prerequisite, default_catalogue, glossary_abbreviations, parse_recipient

RATINGS = {"xuat_sac": 3, "tot": 2, "hoan_thanh": 1, "khong": 0}
RATING_LABELS = {"xuat_sac": "hoàn thành xuất sắc nhiệm vụ", "tot": "hoàn thành tốt nhiệm vụ trở lên"}


@dataclass
class Year:
    rating: str | None = None
    titles: set[str] = field(default_factory=set)
    awards: set[str] = field(default_factory=set)
    initiatives: int = 0


@dataclass
class History:
    name: str
    kind: str
    years: dict[int, Year]


def _rating(value: Any, where: str) -> str | None:
    if value is None:
        return None
    key = fold(str(value)).replace("_", " ")
    if "xuat sac" in key:
        return "xuat_sac"
    if "khong" in key:
        return "khong"
    if "tot" in key:
        return "tot"
    if "hoan thanh" in key:
        return "hoan_thanh"
    raise UserError(f"{where}: unknown rating “{value}”: use hoàn thành xuất sắc nhiệm vụ (xuat_sac), "
                    "hoàn thành tốt nhiệm vụ (tot), hoàn thành nhiệm vụ, không hoàn thành nhiệm vụ")


def parse_history(data: Any, catalogue: Catalogue | None = None, where: str = "history") -> History:
    """A History from the parsed YAML/JSON; award names are matched as `tdkt award` matches them."""
    cat = catalogue or default_catalogue()
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        raise UserError(f"{where}: expected a mapping with `kind` and `years` (year: {{rating, titles, awards}})")
    kind = parse_recipient(data.get("kind") or "individual")
    years: dict[int, Year] = {}
    for raw_year, entry in data["years"].items():
        try:
            y = int(raw_year)
        except (TypeError, ValueError):
            raise UserError(f"{where}: “{raw_year}” is not a year") from None
        entry = entry or {}
        if not isinstance(entry, dict):
            raise UserError(f"{where}: year {y}: expected {{rating, titles, awards, initiatives}}")
        names = lambda key: {cat.find(str(n), glossary_abbreviations()).name for n in entry.get(key) or []}
        try:
            years[y] = Year(rating=_rating(entry.get("rating"), f"{where}: year {y}"), titles=names("titles"),
                            awards=names("awards"), initiatives=int(entry.get("initiatives") or 0))
        except UserError as exc:      # keep the kind (an unknown award stays UnknownAward)
            raise type(exc)(f"{where}: year {y}: {exc}") from None
        except ValueError:
            raise UserError(f"{where}: year {y}: initiatives must be a number") from None
    return History(name=nfc(str(data.get("name") or "")), kind=kind, years=years)


def load_history(path: Path, catalogue: Catalogue | None = None) -> History:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"{path}: cannot read the history ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML/JSON ({str(exc).splitlines()[0]})") from None
    return parse_history(data, catalogue, where=str(path))


# --- conditions -----------------------------------------------------------------------------------

def _year_meets(y: Year | None, conds: list[dict]) -> bool:
    if y is None:
        return False
    for c in conds:
        if "title" in c and c["title"] in y.titles:
            return True
        if "award" in c and c["award"] in y.awards:
            return True
        if "rating" in c and y.rating and RATINGS[y.rating] >= RATINGS[c["rating"]]:
            return True
        # a title implies the rating it requires: "Chiến sĩ thi đua cơ sở" needs hoàn thành xuất sắc
    return False


def _label(conds: list[dict]) -> str:
    parts = [c.get("title") or c.get("award") or RATING_LABELS[c["rating"]] for c in conds]
    return " hoặc ".join(parts)


def _streak(h: History, last: int, conds: list[dict]) -> list[int]:
    years, y = [], last
    while _year_meets(h.years.get(y), conds):
        years.append(y)
        y -= 1
    return sorted(years)


@dataclass
class Outcome:
    met: bool
    reasons: list[str]
    window: list[int]
    short: int = 0          # how much is missing in all (years, times, initiatives): the closest way in wins


def _alternative(h: History, last: int, alt: tuple[dict, ...]) -> Outcome:
    streak_c = next((c for c in alt if "streak" in c), None)
    before = next((c["before_streak"] for c in alt if "before_streak" in c), None)
    reasons: list[str] = []
    window: list[int] = []
    short = 0
    if before is not None:
        got = [y for y, yr in h.years.items() if y <= last and _year_meets(yr, [before])]
        if not got:
            return Outcome(False, [f"chưa được tặng {before.get('award') or before.get('title')}"], [], short=99)
        window = list(range(max(got) + 1, last + 1))
    if streak_c is not None:
        need, conds = int(streak_c["streak"]), streak_c["each"]
        if before is not None:
            ok = [y for y in window if _year_meets(h.years.get(y), conds)]
            broken = [y for y in window if y not in ok]
            if broken:
                short += len(broken)
                reasons.append(f"năm {', '.join(map(str, broken))} không đạt {_label(conds)} (cần liên tục từ "
                               f"{window[0]} đến {last})")
            elif len(window) < need:
                short += need - len(window)
                reasons.append(f"thiếu {need - len(window)} năm {_label(conds)} liên tục (có {len(window)} năm "
                               f"kể từ sau khi được tặng, cần {need})")
        elif before is None:
            window = _streak(h, last, conds)
            if len(window) < need:
                short += need - len(window)
                msg = f"thiếu {need - len(window)} năm {_label(conds)} liên tục"
                gap = (window[0] - 1) if window else last
                earlier = [y for y, yr in h.years.items() if y < gap and _year_meets(yr, conds)]
                if earlier:
                    msg += f" (chuỗi bị gián đoạn năm {gap})"
                else:
                    msg += f" (có {len(window)}, cần {need}, tính đến năm {last})"
                reasons.append(msg)
    for c in alt:
        if "count" in c:
            name = c.get("title") or c.get("award")
            got = sum(1 for y in window if _year_meets(h.years.get(y), [{k: v for k, v in c.items() if k in ("title", "award")}]))
            if got < int(c["count"]):
                short += int(c["count"]) - got
                reasons.append(f"thiếu {int(c['count']) - got} lần {name} trong thời gian đó (có {got}, cần {c['count']})")
        if "initiatives" in c:
            got = sum(h.years[y].initiatives for y in window if y in h.years)
            if got < int(c["initiatives"]):
                short += int(c["initiatives"]) - got
                reasons.append(f"thiếu {int(c['initiatives']) - got} sáng kiến được công nhận trong thời gian đó "
                               f"(có {got}, cần {c['initiatives']})")
    return Outcome(met=not reasons, reasons=reasons, window=window, short=short)


def check_prerequisite(h: History, p: Prerequisite, day: _dt.date) -> Outcome:
    """Met by any alternative; else the reasons of the alternative that misses least."""
    last = day.year - 1
    outcomes = [_alternative(h, last, alt) for alt in p.any_of]
    met = [o for o in outcomes if o.met]
    return met[0] if met else min(outcomes, key=lambda o: (o.short, len(o.reasons)))


def eligibility(h: History, day: _dt.date, province: str | None = None, catalogue: Catalogue | None = None,
                link=None) -> dict[str, Any]:
    """Every award with a checkable prerequisite in force on ``day`` for this kind of recipient."""
    cat = catalogue or default_catalogue()
    rows = []
    for award in cat.awards:
        if h.kind not in award.recipients:
            continue
        for p in award.prerequisites:
            if (p.fact.recipients and h.kind not in p.fact.recipients) or not p.fact.source.applies_on(day, province):
                continue
            o = check_prerequisite(h, p, day)
            rows.append({"award": award.name, "prerequisite": p.id, "met": o.met, "missing": o.reasons,
                         "years": o.window, "doc": p.fact.doc, "article": p.fact.article,
                         "clause": p.fact.clause, "text": p.fact.quote})
    return {"name": h.name, "kind": h.kind, "kind_label": RECIPIENTS[h.kind], "date": day.isoformat(),
            "last_year": day.year - 1, "qualifies": [r for r in rows if r["met"]],
            "misses": [r for r in rows if not r["met"]]}
