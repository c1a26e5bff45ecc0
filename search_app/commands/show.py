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


def _names_number(key: str, doc_id: str, symbol: str | None, number: str | None, doc_type: str | None = None) -> bool:
    """Does the slugged number ``key`` name this document? Its id or symbol exactly, its id without
    the year ("34-ct-tw" → "34-ct-tw-2014"), or, in another order, its number with parts of its
    symbol, type and year ("nd-30-2020" → "30-2020-nd-cp", "luat-06-2022"): the number itself must be one of the parts."""
    from corpus.ids import slug
    if key == doc_id or (symbol and slug(symbol) == key) or doc_id.startswith(key + "-"):
        return True
    parts = key.split("-")
    numbers = [p for p in parts if p.isdigit()]
    own = set(doc_id.split("-")) | set(slug(symbol or "").split("-")) | set(slug(doc_type or "").split("-"))
    return bool(number and numbers) and number.lstrip("0") in {n.lstrip("0") for n in numbers} and set(parts) <= own


def matching_ids(kb, wanted: str, registry: bool = False) -> list[str]:
    """The documents ``wanted`` (an id or a number in any spelling: "200/KH-UBND", "34-ct-tw",
    "nd-30-2020") may name: the corpus's, then (``registry``) the documents it only cites or the
    registry knows. The page /doc/<number> and `tdkt show` both resolve numbers here."""
    from corpus.ids import slug
    key = slug(wanted)
    if not key:
        return []
    found = [m["id"] for m in kb.documents_meta() if _names_number(key, m["id"], m.get("symbol"), m.get("number"), m.get("doc_type"))]
    if registry and getattr(kb, "registry", None) is not None:
        seen = set(found)
        for e in kb.registry.entries:
            if e.id not in seen and _names_number(key, e.id, e.canonical or e.symbol, e.number, e.doc_type):
                seen.add(e.corpus_doc_id or e.id)
                found.append(e.corpus_doc_id or e.id)
    return list(dict.fromkeys(found))


def find_document_id(kb, wanted: str) -> str:
    if kb.has_document(wanted):
        return wanted
    matches = matching_ids(kb, wanted)
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
