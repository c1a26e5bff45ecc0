"""Which unit receives a proposal: the level the award's deciding authority sits at (the award
catalogue's "authority" facts in force on the day, read by proposals/data/authority.yaml), found
among the proposing unit's ancestors (records' Unit.parent).

The nearest unit above the proposer whose level is one of the award's levels receives it; an award
decided above the province (trung-uong) goes to the top of the tree (the province forwards it); an
award whose levels no unit above matches goes to the unit just above."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml

from awards.catalogue import Award
from corpus.errors import UserError
from corpus.vntext import fold
from records.models import Unit

AUTHORITY_FILE = Path(__file__).parent / "data" / "authority.yaml"
CENTRAL = "trung-uong"


@lru_cache(maxsize=1)
def _table() -> dict:
    return yaml.safe_load(AUTHORITY_FILE.read_text(encoding="utf-8"))


def level_of(quote: str) -> str | None:
    """The level of the authority a catalogue quote names ("Chủ tịch Ủy ban nhân dân cấp xã quyết định …" → xã)."""
    text = fold(quote)
    return next((r["level"] for r in _table()["rules"] if fold(r["words"]) in text), None)


def deciding_levels(award: Award, day: dt.date, province: str | None = None) -> list[str]:
    """The levels that decide ``award`` on ``day``, in the catalogue's order, without repeats."""
    levels = [level_of(f.quote) for f in award.facts_on(day, province=province) if f.kind == "authority"]
    return list(dict.fromkeys(lv for lv in levels if lv))


def _ancestors(unit: Unit) -> list[Unit]:
    out, seen, u = [], {unit.id}, unit.parent
    while u is not None and u.id not in seen:
        out.append(u)
        seen.add(u.id)
        u = u.parent
    return out


def receiving_unit(unit: Unit, award: Award, day: dt.date) -> Unit:
    """The unit that receives ``unit``'s proposal of ``award`` made on ``day``."""
    above = _ancestors(unit)
    if not above:
        raise UserError(f"đơn vị “{unit.name}” không có cấp trên trong cơ sở dữ liệu: "
                        "không có nơi nhận hồ sơ đề nghị (ghi đơn vị cấp trên của nó)")
    levels = deciding_levels(award, day, unit.province)
    same = _table().get("same_level") or {}
    wanted = {lv2 for lv in levels for lv2 in same.get(lv, [lv])}
    for u in above:
        if u.level in wanted:
            return u
    return above[-1] if CENTRAL in levels else above[0]


def central_issuer(award: Award, day: dt.date) -> str | None:
    """Who issues the decision of an award decided above the province ("Thủ tướng Chính phủ"), or None.
    A delegation ("ủy quyền cho Thủ tướng Chính phủ … quyết định tặng") names the signer, so it comes first."""
    facts = [f for f in award.facts_on(day) if f.kind == "authority"]
    for f in sorted(facts, key=lambda f: "uy quyen" not in fold(f.quote)):
        text = fold(f.quote)
        rule = next((r for r in _table()["rules"] if fold(r["words"]) in text), None)
        if rule and rule.get("issuer"):
            return rule["issuer"]
    return None
