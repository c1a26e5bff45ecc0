"""`tdkt cite TEXT` / `tdkt cite -`: every citation in a text, normalised and resolved, as JSON.
`tdkt cite-eval`: the extractor's precision and recall against the hand-checked gold list.

The drafting check: paste a paragraph of a draft, see what each reference resolves to, whether it
is ambiguous or superseded, and the standard full form to copy.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from corpus.errors import UserError

from ..settings import REPO_ROOT, Settings

GOLD_FILE = REPO_ROOT / "tests" / "gold" / "seed_citations.yaml"
DRAFTS_FILE = REPO_ROOT / "tests" / "gold" / "draft_check_cases.yaml"
SEEDS_DIR = REPO_ROOT / "corpus" / "documents" / "seeds"


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
                                   "(numbered, by name, Party, joint, local). Without: the seeds' gold list.")
    e.add_argument("file", nargs="?", type=Path, help="a passage gold set (YAML list of passages with their citations)")
    e.add_argument("--gold", type=Path, default=GOLD_FILE, help="gold list (default: tests/gold/seed_citations.yaml)")
    e.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="folder of the seed texts")
    e.add_argument("--verbose", "-v", action="store_true", help="list every missed and spurious citation")
    e.add_argument("--drafts", nargs="?", type=Path, const=DRAFTS_FILE, default=None,
                   help="score the drafting check instead, on drafts with planted errors "
                        "(default file: tests/gold/draft_check_cases.yaml)")
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


def _name(registry, entry_id: str) -> str:
    e = registry.get(entry_id)
    return " ".join(x for x in (e.doc_type, e.canonical or e.symbol) if x) if e else entry_id


def cite_rows(text: str, registry, province: str | None = None) -> list[dict[str, Any]]:
    """One JSON-ready row per citation in ``text``, resolved against ``registry`` and checked as a
    draft (corpus.draft_check: problems, the full form of a first mention, not checkable papers).
    ``province``: the drafter's province, which picks among local documents cited without their
    issuer's name (without it such a citation is ambiguous: every province has a "Kế hoạch số
    12/KH-UBND")."""
    from corpus.draft_check import check_draft
    rows = []
    for checked in check_draft(text, registry, province=province or None, name_of=lambda i: _name(registry, i)):
        c, res = checked.citation, checked.resolution
        entry = res.entry
        row = {
            "span": [c.start, c.end], "text": c.text, "canonical": c.canonical, "type": c.doc_type,
            "number": c.number, "year": c.year, "date": c.date, "issuer": c.issuer, "pinpoint": c.pinpoint,
            "relation": c.relation, "resolved": (entry.corpus_doc_id or entry.id) if entry else None,
            "status": res.status, "note": "; ".join(n for n in (res.note, c.note) if n) or None, "full_form": entry.full_form() if entry else None,
            "first_mention": checked.first_mention, "checkable": checked.checkable,
        }
        if checked.check_note:
            row["check_note"] = checked.check_note
        row["warnings"] = [p.to_dict() for p in checked.problems]
        if res.status == "superseded":
            row["superseded_by"] = list(entry.status.get("by") or [])
        if res.status == "ambiguous":
            row["candidates"] = [e.id for e in res.candidates]
            row["candidate_details"] = [{"id": e.id, "canonical": e.canonical, "date": e.date, "issuer": e.issuer,
                                         "province": e.province, "title": e.title} for e in res.candidates]
        rows.append(row)
    return rows


def run(args) -> int:
    from corpus.vntext import nfc
    if args.text is None:
        raise UserError("nothing to cite: give the text as an argument, or '-' to read it from standard input")
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise UserError("the text is empty: give a passage that cites documents, e.g. "
                        "'Căn cứ Nghị định số 91/2017/NĐ-CP'")
    rows = cite_rows(nfc(text), load_registry(args.build_dir), province=args.province)
    print(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


# --- tdkt cite-eval -------------------------------------------------------------------------------


def _key(canonical: str | None) -> str:
    from corpus.registry import key
    return key(canonical)


def _occurrences(items: list[tuple[str, Any]]) -> dict[tuple[str, int], Any]:
    """(canonical key, n-th occurrence) → item: the n-th citation of a document in a seed."""
    seen: Counter = Counter()
    out = {}
    for k, item in items:
        seen[k] += 1
        out[(k, seen[k])] = item
    return out


def score_gold(gold_path: Path = GOLD_FILE, seeds_dir: Path = SEEDS_DIR) -> dict[str, Any]:
    """Precision and recall of ``extract_citations`` on the seeds, matched by seed + canonical +
    occurrence; also how often type and date agree on the matched ones. Short forms (resolved
    against earlier text) are outside the gold list's scope and not counted."""
    from corpus.citations import extract_citations
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8")) or {}
    tp = fp = fn = type_ok = date_ok = text_ok = 0
    missed, spurious, span_diffs = [], [], []
    for seed, expected in sorted(gold.items()):
        text = (Path(seeds_dir) / seed).read_text(encoding="utf-8")
        found = [c for c in extract_citations(text) if not c.short_form]
        want = _occurrences([(_key(g["canonical"]), g) for g in expected or []])
        got = _occurrences([(_key(c.canonical), c) for c in found])
        for k, g in want.items():
            c = got.get(k)
            if c is None:
                fn += 1
                missed.append(f"{seed}: {g['text']}")
                continue
            tp += 1
            type_ok += c.doc_type == g.get("type")
            date_ok += (c.date or None) == (str(g["date"]) if g.get("date") else None)
            same_text = " ".join(c.text.split()) == " ".join(g["text"].split())
            text_ok += same_text
            if not same_text:
                span_diffs.append(f"{seed}: found {' '.join(c.text.split())!r}, gold {g['text']!r}")
        for k, c in got.items():
            if k not in want:
                fp += 1
                spurious.append(f"{seed}: {c.text!r} → {c.canonical}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "true_positives": tp, "false_positives": fp,
            "false_negatives": fn, "type_agreement": type_ok / tp if tp else 1.0,
            "date_agreement": date_ok / tp if tp else 1.0, "span_agreement": text_ok / tp if tp else 1.0,
            "missed": missed, "spurious": spurious, "span_diffs": span_diffs}


def draft_outcome(case: dict[str, Any], registry) -> tuple[str, list[dict[str, Any]]]:
    """("caught" or what went wrong, the rows) for one draft of the drafting-check set: the
    planted citation (the nth whose text contains ``at``) must carry exactly the planted kind,
    every other citation no warning; a correct draft (``error: null``) no warning at all."""
    rows = cite_rows(case["draft"], registry)
    error = case.get("error")
    if not error:
        alarms = [r["text"] for r in rows if r["warnings"]]
        return ("correct" if not alarms else f"false alarm on {alarms}"), rows
    hits = [r for r in rows if error["at"] in r["text"]]
    planted = hits[error["nth"] - 1] if len(hits) >= error["nth"] else None
    if planted is None:
        return "citation not found", rows
    others = [r["text"] for r in rows if r is not planted and r["warnings"]]
    kinds = sorted({w["kind"] for w in planted["warnings"]})
    if others:
        return f"warnings elsewhere: {others}", rows
    return ("caught" if kinds == [error["kind"]] else f"kinds {kinds}, planted {error['kind']}"), rows


def score_drafts(path: Path, registry) -> dict[str, Any]:
    """How many planted errors the drafting check catches on the right citation with the right
    kind, and how many correct drafts it warns about."""
    cases = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    outcomes = {c["id"]: draft_outcome(c, registry)[0] for c in cases}
    planted = [c["id"] for c in cases if c.get("error")]
    correct = [c["id"] for c in cases if not c.get("error")]
    return {"planted": len(planted), "caught": sum(outcomes[i] == "caught" for i in planted),
            "correct": len(correct), "false_alarms": sum(outcomes[i] != "correct" for i in correct),
            "by_kind": dict(Counter(c["error"]["kind"] for c in cases if c.get("error") and outcomes[c["id"]] == "caught")),
            "failures": {i: o for i, o in outcomes.items() if o not in ("caught", "correct")}}


def run_drafts(args) -> int:
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
    if not Path(args.gold).is_file():
        raise UserError(f"{args.gold}: no such gold file")
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
