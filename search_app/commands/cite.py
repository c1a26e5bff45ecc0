"""`tdkt cite TEXT` / `tdkt cite -`: every citation in a text, normalised and resolved, as JSON.
`tdkt cite-eval`: the extractor's precision and recall against the hand-checked gold list.

The drafting check: paste a paragraph of a draft, see what each reference resolves to, whether it
is ambiguous or superseded, and the standard full form to copy.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from corpus.errors import UserError
from corpus.sources import DOCUMENTS_DIR

from ..settings import Settings

SEEDS_DIR = DOCUMENTS_DIR / "seeds"


def register(sub) -> None:
    p = sub.add_parser("cite", help="extract and resolve the citations in a text (JSON)",
                       description="Print one JSON object per citation found in TEXT (or standard input with '-').")
    p.add_argument("text", nargs="?", help="the text to check, or '-' to read standard input")
    p.add_argument("--build-dir", type=Path, help="knowledge base folder (default: TDKT_BUILD_DIR or build/)")
    p.add_argument("--province", help="the drafter's province (e.g. \"Bắc Ninh\"): picks among local documents cited without their issuer's name")
    p.set_defaults(func=run)
    e = sub.add_parser("cite-eval", help="precision and recall of citation extraction on a gold list",
                       description="Score the extractor. With FILE (a passage gold set such as "
                                   "tests/gold/tnt305_citations.yaml): precision, recall and F1 per category "
                                   "(numbered, by name, Party, joint, local). With --gold: the seeds' gold list "
                                   "(tests/gold/seed_citations.yaml). With --drafts: the drafting check.")
    e.add_argument("file", nargs="?", type=Path, help="a passage gold set (YAML list of passages with their citations)")
    e.add_argument("--gold", type=Path, default=None, help="the seeds' gold list, e.g. tests/gold/seed_citations.yaml")
    e.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="folder of the seed texts (default: the bundled corpus's seeds)")
    e.add_argument("--verbose", "-v", action="store_true", help="list every missed and spurious citation")
    e.add_argument("--drafts", type=Path, default=None,
                   help="score the drafting check instead, on drafts with planted errors "
                        "(e.g. tests/gold/draft_check_cases.yaml)")
    e.add_argument("--build-dir", type=Path, help="with --drafts: the knowledge base whose registry to check against")
    e.set_defaults(func=run_eval)


# --- tdkt cite ------------------------------------------------------------------------------------


def load_registry(build_dir: Path | None = None):
    """The built knowledge base's registry.json when there is one, else the data registry alone."""
    from corpus.registry import Registry
    path = Path(build_dir or Settings().build_dir) / "current" / "registry.json"
    if path.is_file():
        try:
            return Registry.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            print(f"tdkt cite: warning: {path} unreadable ({exc}); using the data registry", file=sys.stderr)
    return Registry.load()


def run(args) -> int:
    from corpus.citation_rows import cite_rows
    from corpus.vntext import nfc
    if args.text is None:
        raise UserError("nothing to cite: give the text as an argument, or '-' to read it from standard input")
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise UserError("the text is empty: give a passage that cites documents, e.g. "
                        "'Căn cứ Nghị định số 91/2017/NĐ-CP'")
    from pydantic import TypeAdapter

    from ..routes.api_models import LookupCitation

    rows = cite_rows(nfc(text), load_registry(args.build_dir), province=args.province)
    # the citation check's one model: /api/lookup's citations, with the fields this command knows
    checked = TypeAdapter(list[LookupCitation]).validate_python(rows)
    print(json.dumps([c.model_dump(mode="json", exclude_unset=True) for c in checked], ensure_ascii=False, indent=1))
    return 0


# --- tdkt cite-eval -------------------------------------------------------------------------------


def run_drafts(args) -> int:
    from corpus.citation_eval import score_drafts

    if not Path(args.drafts).is_file():
        raise UserError(f"{args.drafts}: no such file of drafts")
    s = score_drafts(args.drafts, load_registry(args.build_dir))
    print(f"planted errors caught on the right citation with the right kind: {s['caught']}/{s['planted']}; "
          f"correct drafts with a warning: {s['false_alarms']}/{s['correct']}")
    print("caught by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(s["by_kind"].items())))
    for case_id, outcome in s["failures"].items():
        print(f"  {case_id}: {outcome}")
    return 0


def run_eval(args) -> int:
    if args.drafts is not None:
        return run_drafts(args)
    if args.file is not None:
        from corpus.citation_eval import format_score, score_passages
        if not Path(args.file).is_file():
            raise UserError(f"{args.file}: no such gold file")
        print(format_score(score_passages(args.file), verbose=args.verbose))
        return 0
    from corpus.citation_eval import score_gold

    if args.gold is None:
        raise UserError("nothing to score: give a passage gold set (tdkt cite-eval tests/gold/tnt305_citations.yaml), "
                        "the seeds' gold list (--gold tests/gold/seed_citations.yaml) or drafts (--drafts FILE)")
    if not Path(args.gold).is_file():
        raise UserError(f"{args.gold}: no such gold file")
    if not Path(args.seeds).is_dir():
        raise UserError(f"--seeds {args.seeds}: no such folder of seed texts")
    s = score_gold(args.gold, args.seeds)
    print(f"precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
          f"({s['true_positives']} found, {s['false_positives']} spurious, {s['false_negatives']} missed)")
    print(f"on the matched ones: type agrees {s['type_agreement']:.3f}, date agrees {s['date_agreement']:.3f}, "
          f"span agrees {s['span_agreement']:.3f}")
    if args.verbose or s["missed"] or s["spurious"]:
        for m in s["missed"]:
            print(f"  missed:   {m}")
        for m in s["spurious"]:
            print(f"  spurious: {m}")
    if args.verbose:
        for m in s["span_diffs"]:
            print(f"  span:     {m}")
    return 0
