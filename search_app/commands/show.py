"""`tdkt show ID`: one document's metadata and outline, from the built knowledge base."""
from __future__ import annotations

import json
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings


def register(sub) -> None:
    p = sub.add_parser("show", help="show one document's metadata and outline")
    p.add_argument("id", help="document id (as in /doc/ID) or its number/symbol, e.g. 200/KH-UBND")
    p.add_argument("--json", action="store_true", help="print the document's JSON model")
    p.add_argument("--build-dir", type=Path)
    p.set_defaults(func=run)


def find_document_id(kb, wanted: str) -> str:
    if kb.has_document(wanted):
        return wanted
    matches = kb.matching_ids(wanted)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UserError(f"{wanted!r} names {len(matches)} documents: {', '.join(matches[:10])}; give the id")
    raise UserError(f"no document {wanted!r} in the knowledge base (try `tdkt search {wanted}`)")


def run(args) -> int:
    from indexer.kb import KnowledgeBase

    kb = KnowledgeBase.open(args.build_dir or Settings().build_dir)
    doc = kb.document(find_document_id(kb, args.id))
    if args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))
        return 0
    date = doc.date.display() if doc.date else "—"
    print(f"{doc.doc_type or 'Văn bản'} {doc.symbol or '(không số)'} — {date} — {doc.issuer or '—'}")
    print(doc.title)
    print(f"id: {doc.id}   source: {doc.source_file}{'   (pháp điển: chỉ các điều đã pháp điển)' if doc.codified else ''}")
    for s in doc.sections:
        print(f"{'  ' * s.level}{s.label} {s.heading}".rstrip() + f"   [{s.id}]")
    return 0
