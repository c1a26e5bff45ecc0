"""`tdkt records …`: the TĐKT records database (issue 16). template, import, search, decision,
history, report, demo, bench. The database is TDKT_DATABASE_URL (default: records.sqlite3 in the
build folder), created on first use; every change is audited under "cli:<os user>"."""
from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings


def register(sub) -> None:
    p = sub.add_parser("records", help="the records database: import award decisions, look them up, report (TT 02/2023 forms)",
                       description="Award decisions and their recipients: import from Excel/CSV, lookup, reports.")
    p.add_argument("--database", help="SQLAlchemy URL of the records database (default: TDKT_DATABASE_URL or a SQLite file in the build folder)")
    rs = p.add_subparsers(dest="records_command", metavar="SUBCOMMAND")
    t = rs.add_parser("template", help="write the import template (.xlsx)")
    t.add_argument("out", type=Path, help="the .xlsx file to write")
    t.set_defaults(func=run_template)
    i = rs.add_parser("import", help="import award lines from an .xlsx or .csv file in the template's layout")
    i.add_argument("file", type=Path)
    i.add_argument("--accept-good-rows", action="store_true", help="import the good rows even when some rows have errors")
    i.set_defaults(func=run_import)
    s = rs.add_parser("search", help="award lines by name (accents optional), award, unit, period")
    s.add_argument("name", nargs="?", help='the name from its start, e.g. "nguyen van an"')
    s.add_argument("--award", help="only this award (catalogue name; abbreviations such as CSTĐ work)")
    s.add_argument("--unit", help="only this unit (and its sub-units)")
    s.add_argument("--from", dest="date_from", help="decisions from this date (YYYY-MM-DD or DD/MM/YYYY)")
    s.add_argument("--to", dest="date_to", help="decisions up to this date")
    s.add_argument("--limit", type=int, default=500)
    s.add_argument("--json", action="store_true", help="print a JSON list of award lines")
    s.add_argument("--xlsx", type=Path, help="also write the lines to this .xlsx (the import layout)")
    s.set_defaults(func=run_search)
    d = rs.add_parser("decision", help="a decision's recipients and its căn cứ lines checked against the knowledge base")
    d.add_argument("number", help="the decision's number, e.g. 1234/QĐ-UBND")
    d.add_argument("--build-dir", type=Path, help="knowledge base folder whose registry checks the căn cứ lines")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_decision)
    r = rs.add_parser("report", help="form 0601 or 0602 of Thông tư 02/2023/TT-BNV for a period")
    r.add_argument("form", help="0601 (phong trào thi đua) or 0602 (khen thưởng cấp Nhà nước)")
    r.add_argument("--from", dest="date_from", required=True)
    r.add_argument("--to", dest="date_to", required=True)
    r.add_argument("--json", action="store_true")
    r.add_argument("--xlsx", type=Path, help="write the form to this .xlsx")
    r.set_defaults(func=run_report)
    m = rs.add_parser("demo", help="fill the database with clearly labelled synthetic records (seeded)")
    m.add_argument("--lines", type=int, default=2000, help="about how many award lines (default 2000)")
    m.add_argument("--seed", type=int, default=16)
    m.set_defaults(func=run_demo)
    b = rs.add_parser("bench", help="time an import of 10,000 lines and lookups at 1,000,000 lines (a scratch SQLite file)")
    b.add_argument("--lines", type=int, default=1_000_000)
    b.add_argument("--import-lines", type=int, default=10_000)
    b.add_argument("--dir", type=Path, help="folder for the scratch databases (default: a temporary folder)")
    b.set_defaults(func=run_bench)
    u = rs.add_parser("unit-merge", help="record that a unit was merged into another (its history is kept)")
    u.add_argument("old", help="the unit that ends, e.g. \"Ủy ban nhân dân xã Hợp Thành\"")
    u.add_argument("into", help="the unit that takes it over")
    u.add_argument("--date", required=True, help="the first day of the merged unit (YYYY-MM-DD or DD/MM/YYYY)")
    u.set_defaults(func=run_unit_merge)
    mv = rs.add_parser("movement", help="record a phong trào thi đua launched by a unit (form 0601)")
    mv.add_argument("name")
    mv.add_argument("--unit", required=True)
    mv.add_argument("--kind", required=True, help="thường xuyên or chuyên đề (theo đợt)")
    mv.add_argument("--date", required=True, help="the day it was launched")
    mv.set_defaults(func=run_movement)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:   # no user name (a container without passwd entry)
        return "cli:unknown"


def _db(args):
    from records.db import open_db
    return open_db(args.database or Settings().records_url())


def _day(value: str | None, what: str) -> dt.date | None:
    from awards.catalogue import parse_day
    if not value:
        return None
    try:
        return parse_day(value)
    except UserError:
        raise UserError(f"{what} “{value}” không phải ngày: ghi 2025-01-31 hoặc 31/01/2025") from None


def run_template(args) -> int:
    from records.exporting import write_template
    if args.out.suffix.lower() != ".xlsx":
        raise UserError(f"{args.out}: the template is an Excel file: give a name ending in .xlsx")
    print(write_template(args.out))
    return 0


def run_import(args) -> int:
    from records.importing import import_file
    result = import_file(_db(args), args.file, actor=actor(), accept_good_rows=args.accept_good_rows)
    for e in result.errors:
        print(f"{args.file}: {e}", file=sys.stderr)
    if result.errors and not result.imported:
        print(f"tdkt records import: {len(result.errors)} lỗi trong {args.file}: không nhập dòng nào "
              "(sửa các dòng trên, hoặc dùng --accept-good-rows để nhập các dòng đúng)", file=sys.stderr)
        return 2
    skipped = len({e.row for e in result.errors})
    print(f"{args.file}: {result.summary()}" + (f", bỏ qua {skipped} dòng lỗi" if skipped else "")
          + f" ({result.decisions_added} quyết định mới)")
    return 0


def run_search(args) -> int:
    from records.exporting import write_lines
    from records.lookup import Query, search
    q = Query(name=args.name, award=args.award, unit=args.unit, date_from=_day(args.date_from, "--from"),
              date_to=_day(args.date_to, "--to"), limit=max(1, args.limit))
    with _db(args).session() as s:
        rows = search(s, q)
    if args.xlsx:
        write_lines(rows, args.xlsx)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r['name']}\t{r['award']}\t{r['decision_number']} ngày {r['decision_date_vn']}\t{r['unit'] or ''}\t{r['year'] or ''}")
        if not rows:
            print("không tìm thấy", file=sys.stderr)
    return 0


def run_decision(args) -> int:
    from records.lookup import check_basis, decision, find_decisions

    from .cite import load_registry
    with _db(args).session() as s:
        found = find_decisions(s, args.number)
        if not found:
            raise UserError(f"không có quyết định số “{args.number}” trong cơ sở dữ liệu")
        out = [decision(s, d.id) for d in found]
    registry = load_registry(args.build_dir)
    for d in out:
        d["basis"] = check_basis(d["basis_lines"], registry, on=dt.date.fromisoformat(d["date"]))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for d in out:
        print(f"Quyết định {d['number']} ngày {d['date_vn']} của {d['issuer']} (người ký: {d['signer']})")
        for b in d["basis"]:
            flags = "; ".join(p["message"] for c in b["citations"] for p in c["problems"])
            print(f"  {'!' if b['flagged'] else ' '} {b['line']}" + (f"  — {flags}" if flags else ""))
        for r in d["lines"] + d["resistance"]:
            print(f"  {r['name']}\t{r['award']}\t{r['unit'] or ''}\t{r.get('year') or r.get('period') or ''}")
    return 0


def run_report(args) -> int:
    from records import reports
    start, end = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    with _db(args).session() as s:
        form = reports.compute(s, args.form, start, end)
    if args.xlsx:
        reports.write_xlsx(form, args.xlsx)
        print(args.xlsx, file=sys.stderr if args.json else sys.stdout)
    if args.json or not args.xlsx:
        print(json.dumps(form.to_dict(), ensure_ascii=False, indent=1))
    return 0


def run_demo(args) -> int:
    from records.demo import fill
    if args.lines < 1 or args.lines > 2_000_000:
        raise UserError("--lines must be between 1 and 2,000,000")
    result = fill(_db(args), lines=args.lines, seed=args.seed, actor=actor())
    print(f"dữ liệu mẫu (DEMO, tổng hợp, không có thật): {result.summary()}")
    return 0


def run_unit_merge(args) -> int:
    from records.changes import merge_unit
    with _db(args).session(actor=actor()) as s:
        old = merge_unit(s, args.old, args.into, _day(args.date, "--date"))
        print(f"{old.name}: sáp nhập vào {old.merged_into.name} từ {args.date} (lịch sử khen thưởng được giữ)")
    return 0


def run_movement(args) -> int:
    from records.changes import add_movement
    with _db(args).session(actor=actor()) as s:
        m, new = add_movement(s, args.name, args.unit, args.kind, _day(args.date, "--date"))
        print(f"{m.name}: {'đã ghi' if new else 'đã có'}")
    return 0


def run_bench(args) -> int:
    from records.bench import run
    print(json.dumps(run(lines=args.lines, import_lines=args.import_lines, folder=args.dir), ensure_ascii=False, indent=1))
    return 0
