"""`tdkt registry import-national PATH`: make corpus/data/national_documents.jsonl.gz (the national
registry) from the Bộ pháp điển's document metadata (../shared/bulk/phapdien_documents.jsonl.gz)."""
from __future__ import annotations

from pathlib import Path

from corpus.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("registry", help="the registry of known documents")
    rs = p.add_subparsers(dest="registry_cmd", required=True)
    imp = rs.add_parser("import-national", help="convert the pháp điển document list into the national registry data file")
    imp.add_argument("path", type=Path, help="phapdien_documents.jsonl.gz (e.g. ../shared/bulk/phapdien_documents.jsonl.gz)")
    imp.add_argument("--out", type=Path, help="where to write (default corpus/data/national_documents.jsonl.gz)")
    imp.set_defaults(func=run)


def run(args) -> int:
    from corpus.national import NATIONAL_FILE, convert

    if not args.path.is_file():
        raise UserError(f"{args.path}: no such file (the pháp điển document list, phapdien_documents.jsonl.gz)")
    try:
        n = convert(args.path, args.out or NATIONAL_FILE)
    except (OSError, EOFError) as exc:
        raise UserError(f"{args.path}: cannot be read as JSON lines ({exc})") from exc
    print(f"{n} national documents written to {args.out or NATIONAL_FILE}")
    return 0
