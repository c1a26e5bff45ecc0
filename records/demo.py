"""Synthetic records for a new user (`tdkt records demo`) and for the tests: decisions of real
provinces across 2015–2025 and some resistance-war awards of the 1980s, clearly labelled
("-DEMO" in every decision number, "Dữ liệu mẫu" in every line), the same for the same seed. The
rows come in the import file's layout and go through the import's own checks."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .columns import layout
from .db import Records
from .importing import ImportResult, Row, store_line, check_row
from .models import Movement
from .store import Store

DATA = Path(__file__).parent / "data" / "demo.yaml"
LABEL = "Dữ liệu mẫu (tổng hợp, không có thật)"
METHODS = ["thường xuyên"] * 6 + ["chuyên đề", "đột xuất", "cống hiến", "niên hạn"]


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@dataclass
class DemoUnit:
    name: str
    province: str
    level: str
    parent: str | None


def units() -> list[DemoUnit]:
    v, out = vocabulary(), []
    for prov, p in v["provinces"].items():
        top = f"Ủy ban nhân dân tỉnh {prov}"
        out.append(DemoUnit(top, prov, "tỉnh", None))
        out += [DemoUnit(f"{d} tỉnh {prov}", prov, "sở-ngành", top) for d in v["departments"]]
        for i, dist in enumerate(p["districts"]):
            dname = f"Ủy ban nhân dân huyện {dist}"
            out.append(DemoUnit(dname, prov, "huyện", top))
            for c in v["communes"][i::2][:3]:
                out.append(DemoUnit(f"Ủy ban nhân dân xã {c}, huyện {dist}", prov, "xã", dname))
    return out


def _basis(day: dt.date) -> str:
    for b in vocabulary()["basis"]:
        if day.isoformat() <= b["until"]:
            return "\n".join(b["lines"])
    raise AssertionError("the last basis has no end")


def _vn(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def rows(lines: int = 2000, seed: int = 16) -> list[list[Any]]:
    """About ``lines`` import rows (template column order), deterministic for ``seed``."""
    v, rnd = vocabulary(), random.Random(seed)
    keys = [c.key for c in layout().columns]
    all_units = units()
    people: list[tuple[str, str, int]] = []
    seen: set[tuple] = set()
    out: list[list[Any]] = []
    number = 0
    while len(out) < lines:
        number += 1
        prov = rnd.choice(list(v["provinces"]))
        here = [u for u in all_units if u.province == prov]
        kind = rnd.choices(["province", "district", "president", "prime_minister", "resistance"], [40, 35, 10, 10, 5])[0]
        day = (dt.date(1985, 1, 1) + dt.timedelta(days=rnd.randrange(365 * 5)) if kind == "resistance"
               else dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(4017)))
        if kind == "district":
            district = rnd.choice([u for u in here if u.level == "huyện"])
            issuer, signer = district.name, f"{rnd.choice(v['family_names'])} {rnd.choice(v['middle_names'])} {rnd.choice(v['given_names'])}"
            pool = [u for u in here if u.parent == district.name] + [district]
            num = f"{number}/QĐ-UBND-DEMO"
        elif kind in ("president", "resistance"):
            issuer, signer = ("Chủ tịch nước", "Chủ tịch nước") if kind == "president" else ("Chủ tịch Hội đồng Nhà nước", "Chủ tịch Hội đồng Nhà nước")
            pool, num = here, f"{number}/QĐ-CTN-DEMO"
        elif kind == "prime_minister":
            issuer, signer, pool, num = "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", here, f"{number}/QĐ-TTg-DEMO"
        else:
            issuer, signer, pool, num = here[0].name, v["provinces"][prov]["signer"], here, f"{number}/QĐ-UBND-DEMO"
        basis = None if kind == "resistance" else _basis(day)
        for _ in range(min(rnd.randint(1, 25), lines - len(out))):
            unit = rnd.choice(pool)
            award = rnd.choice(v["resistance"] if kind == "resistance" else v["awards"][kind])
            collective = kind != "resistance" and (award.startswith(("Cờ", "Tập thể")) or
                                                   (award.startswith(("Bằng khen", "Giấy khen", "Huân chương")) and rnd.random() < 0.25))
            if collective:
                name, recipient, birth = f"{rnd.choice(v['collectives'])} ({unit.name})", "tập thể", None
            elif people and rnd.random() < 0.3:
                name, uname, birth = rnd.choice(people)
                unit = next(u for u in all_units if u.name == uname)
                recipient = "cá nhân"
            else:
                fam, mid, giv = rnd.choice(v["family_names"]), rnd.choice(v["middle_names"]), rnd.choice(v["given_names"])
                name, recipient = f"{fam} {mid} {giv}", "cá nhân"
                birth = rnd.randint(1925, 1960) if kind == "resistance" else rnd.randint(1965, 2000)
                people.append((name, unit.name, birth))
            if (num, name, unit.name, award) in seen:
                continue    # one person once per award of a decision, as a real decision lists them
            seen.add((num, name, unit.name, award))
            cells = {"number": num, "date": _vn(day), "issuer": issuer, "signer": signer, "award": award,
                     "recipient_kind": recipient, "name": name, "unit": unit.name,
                     "year": None if kind == "resistance" else day.year - 1, "basis": basis,
                     "achievement": LABEL, "method": rnd.choice(METHODS) if kind in ("president", "prime_minister") else "thường xuyên",
                     "submitter": here[0].name if kind in ("president", "prime_minister") else None,
                     "birth_year": birth if recipient == "cá nhân" else None,
                     "period": rnd.choice(["chống Mỹ", "chống Mỹ", "chống Pháp"]) if kind == "resistance" else None}
            out.append([cells.get(k) for k in keys])
    return out


def movements(seed: int = 16) -> list[tuple[str, str, dt.date, str]]:
    """(kind, name, launched, unit) of the demo's phong trào thi đua: each province, 2015–2025."""
    v, rnd = vocabulary(), random.Random(seed + 1)
    out = []
    for prov in v["provinces"]:
        for year in range(2015, 2026):
            for kind, name in rnd.sample(v["movements"], 2):
                out.append((kind, f"{name} năm {year} (DEMO)", dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28)),
                            f"Ủy ban nhân dân tỉnh {prov}"))
    return out


def fill(db: Records, lines: int = 2000, seed: int = 16, actor: str = "demo") -> ImportResult:
    """Write the demo's units, lines and movements in one transaction (a second run adds nothing)."""
    lay = layout()
    where = {c.key: i for i, c in enumerate(lay.columns)}
    result = ImportResult(rows=lines)
    with db.session(actor=actor) as s, s.no_autoflush:
        store = Store(s)
        for u in units():
            store.unit(u.name, province=u.province, level=u.level, parent=store.unit(u.parent) if u.parent else None)
        for n, cells in enumerate(rows(lines, seed), start=2):
            r = Row(n, cells, where, lay)
            line = check_row(r)
            if line is None:
                raise AssertionError(f"demo row {n} fails the import's checks: {[str(e) for e in r.errors]}")
            store_line(store, line, result)
        s.flush()
        have = {(m.name, m.launched) for m in s.query(Movement)}
        for kind, name, launched, unit in movements(seed):
            if (name, launched) not in have:
                s.add(Movement(name=name, kind=kind, launched=launched, unit=store.unit(unit)))
    result.imported = True
    return result
