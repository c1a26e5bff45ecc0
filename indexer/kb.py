"""The built knowledge base, opened for reading: documents, graph, registry, passages, search.

Everything is loaded once and shared by every request; documents are read lazily from their JSON
and kept in a small cache. Embedding runs in a background thread so the site answers with lexical
search at once and switches to hybrid ranking when the vectors cover the corpus.
"""
from __future__ import annotations

import json
import threading
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

from corpus.errors import UserError
from corpus.ids import is_valid_id
from corpus.models import Document

from . import kb_layout as layout


class KnowledgeBaseMissing(UserError):
    pass


class KnowledgeBaseDamaged(UserError):
    pass


class KnowledgeBase:
    def __init__(self, build_dir: Path, kb_dir: Path, manifest: dict):
        self.build_dir = Path(build_dir)
        self.dir = kb_dir
        self.manifest = manifest
        self._status = {"state": "lexical-only", "done": 0, "total": 0, "message": ""}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._document = lru_cache(maxsize=256)(self._load_document)

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, build_dir: Path | None = None) -> "KnowledgeBase":
        """Open the current knowledge base; a clear error when it is missing or damaged."""
        build_dir = Path(build_dir or layout.default_build_dir())
        kb_dir = layout.current_kb(build_dir)
        if kb_dir is None:
            raise KnowledgeBaseMissing(f"no knowledge base in {build_dir}: run `tdkt build` first")
        if not kb_dir.is_dir():
            raise KnowledgeBaseDamaged(f"{build_dir}/current points at {kb_dir.name}, which is missing: run `tdkt build`")
        try:
            manifest = json.loads((kb_dir / layout.MANIFEST).read_text(encoding="utf-8"))
            manifest["counts"], manifest["documents"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KnowledgeBaseDamaged(f"knowledge base {kb_dir} is incomplete or damaged ({type(exc).__name__}): run `tdkt build --force`") from exc
        kb = cls(build_dir, kb_dir, manifest)
        kb.check()
        return kb

    def check(self) -> None:
        """Fail now, with a message, rather than answer every search with nothing."""
        for name in (layout.PASSAGES, layout.GRAPH, layout.REGISTRY):
            if not (self.dir / name).is_file():
                raise KnowledgeBaseDamaged(f"knowledge base {self.dir} lacks {name}: run `tdkt build --force`")
        try:
            self.lexical
        except Exception as exc:
            raise KnowledgeBaseDamaged(f"the lexical index in {self.dir / layout.LEXICAL} cannot be opened ({type(exc).__name__}: {exc}): run `tdkt build --force`") from exc

    # --- documents -----------------------------------------------------------------------
    def documents_meta(self) -> list[dict]:
        return self.manifest["documents"]

    @cached_property
    def _meta_by_id(self) -> dict[str, dict]:
        return {m["id"]: m for m in self.manifest["documents"]}

    def has_document(self, doc_id: str) -> bool:
        return doc_id in self._meta_by_id

    def document(self, doc_id: str) -> Document | None:
        """The document, or None for an unknown or malformed id (never a path outside the kb)."""
        if not is_valid_id(doc_id) or doc_id not in self._meta_by_id:
            return None
        return self._document(doc_id)

    def _load_document(self, doc_id: str) -> Document:
        data = json.loads((self.dir / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
        return Document.from_dict(data)

    @cached_property
    def graph(self):
        from corpus.graph import CitationGraph
        return CitationGraph.from_dict(json.loads((self.dir / layout.GRAPH).read_text(encoding="utf-8")))

    @cached_property
    def registry(self):
        from corpus.registry import Registry
        return Registry.from_dict(json.loads((self.dir / layout.REGISTRY).read_text(encoding="utf-8")))

    @cached_property
    def glossary(self):
        try:
            from glossary.load import Glossary
            return Glossary.load()
        except Exception:
            return None

    # --- search --------------------------------------------------------------------------
    @cached_property
    def passages(self):
        from indexer.passages import Passage
        with open(self.dir / layout.PASSAGES, encoding="utf-8") as fh:
            return [Passage.from_dict(json.loads(line)) for line in fh if line.strip()]

    @cached_property
    def lexical(self):
        engine = layout.lexical_engine_class(self.manifest.get("lexical_engine", "whoosh"))
        return engine.open(self.dir / layout.LEXICAL)

    @cached_property
    def searcher(self):
        from indexer.search import Searcher
        return Searcher(self.passages, self.lexical, vectors=None, embedder=None, glossary=self.glossary)

    # --- vectors -------------------------------------------------------------------------
    def load_vectors(self, model_name: str):
        """The cached vectors for this model, seeded from the vectors shipped with the corpus."""
        from indexer.vectors import VectorStore
        cache = layout.vectors_cache(self.build_dir, model_name)
        store = VectorStore.load(cache) if cache.exists() else None
        shipped = layout.shipped_vectors(model_name)
        if shipped.exists():
            seed = VectorStore.load(shipped)
            if store is None:
                store = seed
            else:
                store.merge(seed)
        return store or VectorStore.empty(model_name)

    def embed_missing(self, embedder, progress: Callable[[str], None] | None = None, batch: int = 16) -> None:
        """Embed passages without a cached vector, saving as it goes; then turn hybrid ranking on."""
        store = self.load_vectors(embedder.name)
        missing = store.missing(self.passages)
        total = len(self.passages)
        done = total - len(missing)
        self._set_status("embedding" if missing else "ready", done, total)
        cache = layout.vectors_cache(self.build_dir, embedder.name)
        cache.parent.mkdir(parents=True, exist_ok=True)
        for i in range(0, len(missing), batch):
            chunk = missing[i:i + batch]
            store.add([p.content_hash for p in chunk], embedder.embed_passages([p.text for p in chunk]))
            done += len(chunk)
            self._set_status("embedding", done, total)
            if progress and (i // batch) % 10 == 0:
                progress(f"embedding {done}/{total} passages")
            if (i // batch) % 50 == 49:
                store.save(cache)
        if missing or not cache.exists():
            store.save(cache)
        self.searcher.set_vectors(store, embedder)
        self._set_status("ready", total, total)

    def export_vectors(self, model_name: str, path: Path | None = None) -> tuple[Path, int, int]:
        """Write the vectors of this knowledge base's passages (only those) to ``path`` — by
        default the file that ships in the repository — and return (path, written, passages)."""
        from indexer.vectors import VectorStore
        store = self.load_vectors(model_name)
        matrix, mask = store.matrix_for(self.passages)
        out = VectorStore.empty(model_name)
        hashes = [p.content_hash for p, ok in zip(self.passages, mask) if ok]
        out.add(hashes, matrix[mask])
        path = Path(path or layout.shipped_vectors(model_name))
        out.save(path)
        return path, len(out), len(self.passages)

    def start_background_embedding(self, embedder) -> None:
        if embedder is None or (self._thread and self._thread.is_alive()):
            return

        def run():
            try:
                self.embed_missing(embedder)
            except Exception as exc:  # the site keeps serving lexical search
                self._set_status("lexical-only", 0, 0, f"embedding failed: {type(exc).__name__}: {exc}")

        self._thread = threading.Thread(target=run, name="tdkt-embed", daemon=True)
        self._thread.start()

    def _set_status(self, state: str, done: int, total: int, message: str = "") -> None:
        with self._lock:
            self._status = {"state": state, "done": done, "total": total, "message": message}

    def embedding_status(self) -> dict:
        with self._lock:
            return dict(self._status)
