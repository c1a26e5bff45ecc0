"""`tdkt proposals …`: registrations and award proposals (issue 17) from the command line — list a
unit's proposals (with the deadlines approaching), show one with its move log, and move one as the
unit holding it (receive, return with a reason, review, approve, reject). The pages and the API do
the rest (attachments, the pre-send check, the decision). Moves are logged under "cli:<os user>"."""
from __future__ import annotations

import json

from corpus.errors import UserError
from proposals import clock

from ..settings import Settings
from .records import actor


def register(sub) -> None:
    p = sub.add_parser("proposals", help="award proposals routed between levels: list, show, move",
                       description="Hồ sơ đề nghị khen thưởng: list a unit's, show one, move one as the unit holding it.")
    p.add_argument("--database", help="SQLAlchemy URL of the records database (default: TDKT_DATABASE_URL or a SQLite file in the build folder)")
    ps = p.add_subparsers(dest="proposals_command", metavar="SUBCOMMAND")
    ls = ps.add_parser("list", help="a unit's proposals, those sent to it, and the deadlines approaching")
    ls.add_argument("unit", help="the unit's code (records' Unit.code), e.g. XA-NOIDUE")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=run_list)
    sh = ps.add_parser("show", help="one proposal: recipients, attachments, check failures, move log")
    sh.add_argument("id", type=int)
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=run_show)
    mv = ps.add_parser("move", help="move a proposal for the unit that holds it")
    mv.add_argument("id", type=int)
    mv.add_argument("action", help="receive | return | review | approve | reject")
    mv.add_argument("--unit", required=True, help="the unit holding the proposal (its code)")
    mv.add_argument("--reason", help="why (required to return or reject)")
    mv.set_defaults(func=run_move)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _db(args):
    from proposals.db import open_proposals
    return open_proposals(args.database or Settings().records_url())


def run_list(args) -> int:
    from proposals import deadlines, dossier, views
    with _db(args).session() as s:
        unit = dossier.unit_by_code(s, args.unit)
        lists = views.unit_lists(s, unit.id)
        soon = deadlines.approaching(lists.pop("_awards"), clock.today(), unit.province)
    if args.json:
        print(json.dumps({**lists, "deadlines": [{"award": d.award, "day": d.day.isoformat(), "article": d.article}
                                                 for d in soon]}, ensure_ascii=False, indent=2))
        return 0
    for title, rows in (("Hồ sơ đơn vị đề nghị", lists["proposals"]), ("Hồ sơ cấp dưới gửi lên", lists["incoming"])):
        print(f"{title} ({len(rows)}):")
        for r in rows:
            print(f"  {r['id']:>5}  {r['status_label']:<32} {r['title']}  [{r['unit']} → {r['receiver']}]")
    for d in soon:
        print(f"Hạn {d.day:%d/%m/%Y} (còn {d.days_left} ngày): {d.award} — {d.article}")
    return 0


def run_show(args) -> int:
    from proposals import dossier, views
    with _db(args).session() as s:
        view = views.proposal(dossier.get(s, args.id), lambda _code: False)
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=2))
        return 0
    print(f"{view['id']}. {view['title']} — {view['status_label']} ({view['unit']['name']} → {view['receiver']['name']})")
    for r in view["recipients"]:
        print(f"  {r['kind_label']}: {r['name']}")
    for a in view["attachments"]:
        print(f"  tệp: {a['kind_label']}: {a['filename']} ({a['size']} bytes)")
    for f in view["failures"]:
        print(f"  chưa đạt: {f['message']} ({f['article']})")
    for m in view["moves"]:
        print(f"  {m['at']} {m['actor']} ({m['unit']}): {m['from_label']} → {m['to_label']}" + (f" — {m['reason']}" if m["reason"] else ""))
    return 0


def run_move(args) -> int:
    from proposals import dossier, workflow
    rule = workflow.workflow("proposal").rules.get(args.action)
    if rule is not None and (rule.by_form or rule.action == "submit"):
        raise UserError(f"“{rule.label}” is not a move of this command: use the proposal's page or the API "
                        "(the submit runs the pre-send check, the decision is entered with its number)")
    with _db(args).session(actor=actor()) as s:
        p = dossier.get(s, args.id)
        workflow.move(s, p, args.action, actor(), args.unit, args.reason)
        print(f"{p.id}: {workflow.workflow('proposal').label(p.status)}")
    return 0
