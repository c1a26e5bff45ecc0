"""`tdkt build`: parse the corpus, resolve citations and index, into the build folder."""
from __future__ import annotations

import sys
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings


def register(sub) -> None:
    p = sub.add_parser("build", help="build the knowledge base from the corpus (incremental, atomic)")
    p.add_argument("--corpus-dir", type=Path,
                   help="raw documents to build from (default: setting TDKT_CORPUS_DIR, else the bundled corpus/documents)")
    p.add_argument("--build-dir", type=Path, help="where to write the knowledge base (default: build/, or $TDKT_BUILD_DIR)")
    p.add_argument("--embed", action="store_true", help="also embed every passage now (otherwise `tdkt serve` embeds in the background)")
    p.add_argument("--export-vectors", action="store_true",
                   help="with --embed: write the passages' vectors to indexer/data/ so they ship with the repository")
    p.add_argument("--force", action="store_true", help="rebuild even when the inputs have not changed")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(func=run)


def progress_printer(quiet: bool):
    def progress(message: str) -> None:
        if not quiet:
            print(f"  … {message}", file=sys.stderr, flush=True)
    return progress


def run(args) -> int:
    from indexer.build import build_kb
    from indexer.embed import make_embedder

    settings = Settings()
    corpus_dir = args.corpus_dir or settings.corpus_dir    # TDKT_CORPUS_DIR, by default the bundled corpus
    if not corpus_dir.is_dir():
        origin = "" if args.corpus_dir else " (setting TDKT_CORPUS_DIR)"
        raise UserError(f"corpus folder {corpus_dir}{origin} does not exist or is not a folder")
    embedder = make_embedder(settings.embedder) if args.embed else None
    if args.embed and embedder is None:
        raise UserError(f"--embed needs an embedder, but TDKT_EMBEDDER is {settings.embedder!r}")
    summary = build_kb(corpus_dir, args.build_dir or settings.build_dir, embedder=embedder,
                       progress=progress_printer(args.quiet), force=args.force, lexical_engine=settings.lexical_engine)
    for w in summary.warnings[:50]:
        print(f"warning: {w}", file=sys.stderr)
    if len(summary.warnings) > 50:
        print(f"warning: … and {len(summary.warnings) - 50} more (see manifest.json)", file=sys.stderr)
    print(summary.line())
    if args.export_vectors:
        if embedder is None:
            raise UserError("--export-vectors needs --embed")
        from indexer.kb import KnowledgeBase
        path, written, total = KnowledgeBase.open(args.build_dir or settings.build_dir).export_vectors(embedder.name)
        print(f"vectors: {written} of {total} passages written to {path}")
    return 0
