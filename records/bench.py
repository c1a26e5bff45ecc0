"""`tdkt records bench`: how long an import of 10,000 award lines takes, and how fast lookups
answer at 1,000,000 lines (a scratch SQLite database filled with bulk inserts of demo-like rows;
the audit log is not written for the filler, only for the timed import). Not a test: run it by
hand and record the numbers in docs/BENCHMARKS.md."""
from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from awards.catalogue import default_catalogue

from .columns import layout
from .db import open_db
from .demo import rows as demo_rows
from .demo import units as demo_units
from .demo import vocabulary
from .importing import import_file
from .lookup import Query, search
from .models import AwardKind, AwardLine, Decision, Person, Unit
from .store import award_kind_id, folded


def _write_xlsx(rows: list[list[Any]], out: Path) -> Path:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([c.header for c in layout().columns])
    for r in rows:
        ws.append(r)
    wb.save(out)
    return out


def time_import(folder: Path, lines: int) -> dict[str, Any]:
    f = _write_xlsx(demo_rows(lines, seed=99), folder / "import.xlsx")
    db = open_db(f"sqlite:///{folder / 'import.sqlite3'}")
    t = time.perf_counter()
    result = import_file(db, f, actor="bench")
    return {"lines": lines, "added": result.added, "seconds": round(time.perf_counter() - t, 2)}


def fill_bulk(url: str, lines: int, seed: int = 7) -> None:
    """``lines`` award lines over ~lines/3 people and ~lines/25 decisions, by bulk insert."""
    v, rnd = vocabulary(), random.Random(seed)
    db = open_db(url)
    kinds = [a for a in default_catalogue().awards if a.level]
    with db.engine.begin() as conn:
        conn.execute(insert(AwardKind.__table__), [{"id": award_kind_id(a), "name": a.name, "level": a.level,
                                                     "category": a.category, "recipients": ",".join(a.recipients)}
                                                    for a in kinds])
        us = demo_units()
        conn.execute(insert(Unit.__table__), [{"id": i + 1, "code": f"u{i}", "name": u.name, "name_folded": folded(u.name),
                                               "level": u.level, "province": u.province} for i, u in enumerate(us)])
        n_people, n_dec = max(1, lines // 3), max(1, lines // 25)
        people = []
        for i in range(n_people):
            name = f"{rnd.choice(v['family_names'])} {rnd.choice(v['middle_names'])} {rnd.choice(v['given_names'])}"
            people.append({"id": i + 1, "full_name": name, "name_folded": folded(name), "birth_year": rnd.randint(1960, 2000),
                           "unit_id": rnd.randint(1, len(us))})
        for k in range(0, n_people, 50_000):
            conn.execute(insert(Person.__table__), people[k:k + 50_000])
        days = [dt.date(2015, 1, 1) + dt.timedelta(days=rnd.randrange(4017)) for _ in range(n_dec)]
        conn.execute(insert(Decision.__table__), [{"id": i + 1, "number": f"{i + 1}/QĐ-UBND-BENCH", "date": days[i],
                                                   "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn", "signer": "x"}
                                                  for i in range(n_dec)])
        ids = [award_kind_id(a) for a in kinds if "individual" in a.recipients]
        batch, seen = [], set()
        while len(seen) < lines:
            d, p, k = rnd.randint(1, n_dec), rnd.randint(1, n_people), rnd.choice(ids)
            if (d, p, k) in seen:
                continue
            seen.add((d, p, k))
            batch.append({"decision_id": d, "recipient_key": f"p:{p}", "person_id": p, "award_kind_id": k,
                          "unit_id": people[p - 1]["unit_id"], "decision_date": days[d - 1], "year": days[d - 1].year - 1,
                          "method": "thuong_xuyen", "recipient_folded": people[p - 1]["name_folded"]})
            if len(batch) == 50_000:
                conn.execute(insert(AwardLine.__table__), batch)
                batch = []
        if batch:
            conn.execute(insert(AwardLine.__table__), batch)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")


def time_lookups(url: str, repeat: int = 5) -> dict[str, Any]:
    db = open_db(url)
    cases = {
        "name (full: nguyen van an)": Query(name="nguyen van an"),
        "name (Lê Thị Thu Hà, accents)": Query(name="Lê Thị Thu Hà"),
        "name (family name only: tran, 500 newest)": Query(name="tran"),
        "name (family name only: Nguyễn, 500 newest)": Query(name="Nguyễn"),
        "name (family name only: nguyen, 100 newest: the API's default)": Query(name="nguyen", limit=100),
        "award + year (Giấy khen, 2025)": Query(award="Giấy khen", date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31)),
        "unit + year": Query(unit="Ủy ban nhân dân huyện Cao Lộc", date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)),
    }
    out = {}
    for label, q in cases.items():
        times, cpu, n = [], [], 0
        for _ in range(repeat):
            with db.session() as s:
                t, c = time.perf_counter(), time.process_time()
                n = len(search(s, q))
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
        out[label] = {"results": n, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
                      "cpu_median_ms": round(statistics.median(cpu), 1)}   # CPU time: what a loaded machine hardly changes
    return out


def run(lines: int = 1_000_000, import_lines: int = 10_000, folder: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tdkt-records-bench-") as tmp:
        where = Path(folder or tmp)
        where.mkdir(parents=True, exist_ok=True)
        report: dict[str, Any] = {"import": time_import(where, import_lines)}
        url = f"sqlite:///{where / 'lookup.sqlite3'}"
        t = time.perf_counter()
        fill_bulk(url, lines)
        report["fill"] = {"lines": lines, "seconds": round(time.perf_counter() - t, 1)}
        report["lookup"] = time_lookups(url)
        return report
