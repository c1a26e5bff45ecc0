"""The knowledge base's layout on disk (see docs/ARCHITECTURE.md) and its atomic swap."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from corpus.models import Document

CURRENT = "current"
MANIFEST = "manifest.json"
GRAPH = "graph.json"
REGISTRY = "registry.json"
PASSAGES = "passages.jsonl"
LEXICAL = "lexical"
CACHE = "cache"
SHIPPED_VECTORS = Path(__file__).parent / "data"


ENGINE_SETTING = "TDKT_LEXICAL_ENGINE"


def lexical_engine_name() -> str:
    """The lexical engine setting (TDKT_LEXICAL_ENGINE): 'whoosh' (default) or 'tantivy'."""
    return (os.environ.get(ENGINE_SETTING) or "whoosh").strip().lower()


def lexical_engine_class(name: str):
    """The LexicalIndex class of an engine; a clear error when it is unknown or not installed."""
    from corpus.errors import UserError
    from indexer.engines import lexical_engine

    try:
        return lexical_engine(name)
    except ImportError as exc:
        raise UserError(f"lexical engine {name!r} is not installed ({exc}): pip install -e '.[bench]'") from exc


def default_build_dir() -> Path:
    env = os.environ.get("TDKT_BUILD_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "build"


def vectors_cache(build_dir: Path, model_name: str) -> Path:
    return Path(build_dir) / CACHE / f"vectors-{model_name}.npz"


def shipped_vectors(model_name: str) -> Path:
    """Vectors of the bundled corpus that ship in the repository (produced by `tdkt build --embed`)."""
    return SHIPPED_VECTORS / f"vectors-{model_name}.npz"


def current_kb(build_dir: Path) -> Path | None:
    link = Path(build_dir) / CURRENT
    if not link.is_symlink() and not link.exists():
        return None
    return link.resolve()


def is_complete(kb_dir: Path) -> bool:
    return (kb_dir / MANIFEST).is_file() and (kb_dir / LEXICAL).is_dir()


def swap_current(build_dir: Path, kb_dir: Path) -> None:
    """Point ``current`` at ``kb_dir`` in one atomic rename."""
    tmp = Path(build_dir) / f".{CURRENT}.tmp-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(kb_dir.name, tmp)
    os.replace(tmp, Path(build_dir) / CURRENT)


def remove_stale(build_dir: Path, keep: set[str]) -> None:
    """Remove old and half-written knowledge bases, keeping ``keep`` and the previous one a server may hold."""
    kbs = sorted((p for p in Path(build_dir).glob("kb-*") if p.name not in keep),
                 key=lambda p: p.stat().st_mtime, reverse=True)
    complete = [p for p in kbs if ".tmp-" not in p.name and is_complete(p)]
    for p in kbs:
        if p in complete[:1]:
            continue  # the previous knowledge base: a running server may still read it
        shutil.rmtree(p, ignore_errors=True)


def document_meta(doc: Document) -> dict:
    """What lists and facets need without loading every document."""
    return {
        "id": doc.id, "doc_type": doc.doc_type, "type_code": doc.type_code, "number": doc.number,
        "symbol": doc.symbol, "title": doc.title, "issuer": doc.issuer, "province": doc.province,
        "date": doc.date.iso() if doc.date else None, "year": doc.year, "codified": doc.codified,
        "draft": doc.draft, "source_file": doc.source_file, "sections": len(doc.sections),
    }
