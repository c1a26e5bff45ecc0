"""`tdkt award NAME --recipient KIND --date D [--province P] [--json]`: the award file (criteria,
authority, proposer, dossier, deadlines, limits, money, prerequisites, căn cứ block) from the
catalogue and the built knowledge base. `tdkt eligible HISTORY.yaml --date D`: which awards a
history qualifies for by the prerequisites in force, and what it misses.
"""
from __future__ import annotations

import json
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings

SECTIONS = [("criteria", "Tiêu chuẩn"), ("authority", "Thẩm quyền quyết định"), ("proposer", "Thẩm quyền đề nghị"),
            ("dossier", "Hồ sơ"), ("deadline", "Thời hạn"), ("limits", "Tỷ lệ, giới hạn"), ("money", "Tiền thưởng"),
            ("prerequisites", "Điều kiện về thành tích trước")]


def register(sub) -> None:
    p = sub.add_parser("award", help="the award file: criteria, authority, dossier, deadlines, money and the căn cứ block",
                       description="Everything an award proposal needs, from the rules in force on DATE.")
    p.add_argument("name", nargs="?", help='the award, e.g. "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" or "CSTĐ cơ sở"')
    p.add_argument("--recipient", help="individual (cá nhân, the default), collective (tập thể) or household (hộ gia đình)")
    p.add_argument("--date", help="date of the decision (or of the achievement), YYYY-MM-DD; default today")
    p.add_argument("--province", help='the province whose own rules apply, e.g. "Bắc Ninh"')
    p.add_argument("--json", action="store_true", help="print the award file as JSON")
    p.add_argument("--list", action="store_true", help="list the awards of the catalogue")
    p.add_argument("--compare", action="store_true",
                   help="NAME is a family (Chiến sĩ thi đua, Cờ thi đua, Bằng khen, Danh hiệu tập thể) or an award: "
                        "its criteria side by side across levels, with the ministries' circulars, differences flagged")
    p.add_argument("--since", help="with --compare: also the rules of this earlier date (e.g. 2022-06-01)")
    p.add_argument("--build-dir", type=Path, help="knowledge base folder (default: TDKT_BUILD_DIR or build/)")
    p.set_defaults(func=run)
    e = sub.add_parser("eligible", help="which awards an award history qualifies for, and what it misses",
                       description="Read a history (YAML/JSON: kind, years: {YEAR: {rating, titles, awards, initiatives}}).")
    e.add_argument("history", type=Path, help="the history file")
    e.add_argument("--date", help="the date of the proposal, YYYY-MM-DD; default today")
    e.add_argument("--province", help="the province whose own rules apply")
    e.add_argument("--json", action="store_true", help="print the result as JSON")
    e.set_defaults(func=run_eligible)


def _day(value):
    import datetime as dt

    from awards.catalogue import parse_day
    return parse_day(value) if value else dt.date.today()


def run(args) -> int:
    from awards.catalogue import default_catalogue, parse_recipient
    if args.list:
        for a in default_catalogue().awards:
            print(f"{a.name}  [{a.category}; {', '.join(a.recipients)}]")
        return 0
    if not args.name:
        raise UserError("no award named: give one, e.g. tdkt award \"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh\" "
                        "(tdkt award --list shows them all)")
    recipient, day = parse_recipient(args.recipient or "individual"), _day(args.date)
    args.recipient_given = recipient if args.recipient else None
    from indexer.kb import KnowledgeBase
    if args.compare:
        return run_compare(args, KnowledgeBase.open(args.build_dir or Settings().build_dir), day)

    from awards.file import award_file

    from .. import urls
    kb = KnowledgeBase.open(args.build_dir or Settings().build_dir)
    result = award_file(kb, kb.registry, args.name, recipient, day, args.province, link=urls.doc)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    a = result["award"]
    print(f"{a['name']} — {a['recipient_label']} — ngày {day:%d/%m/%Y}" + (f" — {a['province']}" if a["province"] else ""))
    for key, title in SECTIONS:
        if result[key]:
            print(f"\n{title}:")
            for item in result[key]:
                where = " ".join(x for x in (item["clause"], item["article"], item["doc"]) if x)
                print(f"  - {item['text']}  ({where})")
    print("\nCăn cứ:")
    for line in result["basis"]:
        print(f"  {line}")
    for n in result["notices"]:
        print(f"\nLưu ý: {n}")
    return 0


def run_eligible(args) -> int:
    from awards.eligibility import eligibility, load_history
    result = eligibility(load_history(args.history), _day(args.date), args.province)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"{result['name'] or args.history} ({result['kind_label']}), ngày {result['date']}:")
    for row in result["qualifies"]:
        print(f"  đủ điều kiện: {row['award']} ({row['clause'] or ''} {row['article']} {row['doc']})".replace("( ", "("))
    for row in result["misses"]:
        print(f"  chưa đủ: {row['award']}: {'; '.join(row['missing'])} ({row['clause'] or ''} {row['article']} {row['doc']})".replace("( ", "("))
    return 0


def run_compare(args, kb, day) -> int:
    from awards.compare import compare

    from .. import urls
    days = [day] + ([_day(args.since)] if args.since else [])
    result = compare(kb, kb.registry, args.name, days, args.recipient_given, link=urls.doc)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"{result['family']}: {', '.join(result['awards'])} — {' / '.join(result['days'])}")
    for row in result["rows"]:
        print(f"\n{row['award']} — {row['kind']}")
        for d, items in row["cells"].items():
            for item in items:
                print(f"  [{d}] {item['text']}  ({' '.join(x for x in (item['clause'], item['article'], item['doc']) if x)})")
        for item in row["sector"]:
            print(f"  [{item['sector']}] {item['text']}  ({item['doc']})")
    for f in result["flags"]:
        print(f"\n⚠ {f['message']}")
    return 0
