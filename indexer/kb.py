"""The built knowledge base, opened for reading: documents, graph, registry, passages, search.

Everything is loaded once and shared by every request; documents are read lazily from their JSON
and kept in a small cache. Opening checks every file against the size (or sha256) its manifest
records and leases the folder, so a build never removes it while it is open. Embedding runs in a
background thread so the site answers with lexical search at once and switches to hybrid ranking
when the vectors cover the corpus.
"""
from __future__ import annotations

import json
import re
import threading
import weakref
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable

from corpus.errors import UserError
from corpus.graph import CitationGraph, Node
from corpus.ids import is_valid_id, names_number, slug
from corpus.models import Document, DocumentMeta
from corpus.registry import Registry, RegistryEntry
from corpus.status import Status, StatusDict
from corpus.vntext import fold
from glossary.load import Glossary

from . import kb_layout as layout
from .analysis import number_key
from .engines.base import LexicalIndex
from .engines.registry import lexical_engine
from .passages import Passage, read_passage
from .search import Searcher
from .vectors import VectorStore


# a number key's shape (indexer.analysis.number_key): number, year, type code
_NUMBER_SHAPE = re.compile(r"^(\d+(?:\.\d+)?)(?:[/-](\d{4}))?[/-]([a-z]+)")


class KnowledgeBaseMissing(UserError):
    pass


class KnowledgeBaseDamaged(UserError):
    pass


class KnowledgeBase:
    def __init__(self, build_dir: Path, kb_dir: Path, manifest: dict, lease: "layout.Lease | None" = None):
        self.build_dir = Path(build_dir)
        self.dir = kb_dir
        self.manifest = manifest
        self._status = {"state": "lexical-only", "done": 0, "total": 0, "message": ""}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self._document = lru_cache(maxsize=256)(self._load_document)
        self._status_by_id: dict[str, StatusDict] = {}   # status_dict(): one read of a document per id
        # the lease keeps a build from removing this folder; released by close() or when collected
        self._release = weakref.finalize(self, lease.release) if lease else None

    # --- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, build_dir: Path | None = None, verify: str = "sizes") -> "KnowledgeBase":
        """Open the current knowledge base; a clear error when it is missing or damaged.

        ``verify="sizes"`` (the default) checks every file against the size its manifest records
        (one stat per file: ~2 ms for the bundled corpus); ``"full"`` also checks each file's sha256
        (reads every byte: ~30 ms for the bundled corpus's 27 MB, 197 files); ``tdkt build`` and `tdkt serve`
        verify fully. While open, the folder is leased: no build removes it (see ``close``).
        """
        build_dir = Path(build_dir or layout.DEFAULT_BUILD_DIR)
        kb_dir, lease = cls._lease_current(build_dir)
        try:
            try:
                manifest = json.loads((kb_dir / layout.MANIFEST).read_text(encoding="utf-8"))
                manifest["counts"], manifest["documents"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise KnowledgeBaseDamaged(f"knowledge base {kb_dir} is incomplete or damaged ({type(exc).__name__}): run `tdkt build --force`") from exc
            kb = cls(build_dir, kb_dir, manifest, lease)
            kb.check(hashes=verify == "full")
        except BaseException:
            lease.release()
            raise
        return kb

    @staticmethod
    def _lease_current(build_dir: Path) -> tuple[Path, "layout.Lease"]:
        """The folder ``current`` points at, leased. A build may swap ``current`` and remove the folder
        it pointed at between our reading the link and taking the lease: then look again."""
        for attempt in range(5):
            kb_dir = layout.current_kb(build_dir)
            if kb_dir is None:
                raise KnowledgeBaseMissing(f"no knowledge base in {build_dir}: run `tdkt build` first")
            try:
                return kb_dir, layout.take_lease(kb_dir)
            except (FileNotFoundError, NotADirectoryError, BlockingIOError):
                if layout.current_kb(build_dir) == kb_dir:   # not a swap in progress: really missing
                    break
        raise KnowledgeBaseDamaged(f"{build_dir}/current points at {kb_dir.name}, which is missing: run `tdkt build`")

    def check(self, hashes: bool = False) -> None:
        """Fail now, with a message naming the file, rather than answer every search with nothing."""
        for name in (layout.PASSAGES, layout.GRAPH, layout.REGISTRY):
            if not (self.dir / name).is_file():
                raise KnowledgeBaseDamaged(f"knowledge base {self.dir} lacks {name}: run `tdkt build --force`")
        problem = layout.file_problem(self.dir, self.manifest.get("files") or {}, hashes=hashes)
        if problem:
            raise KnowledgeBaseDamaged(f"knowledge base {self.dir} is damaged: {problem}: run `tdkt build`")
        try:
            self.lexical
        except Exception as exc:
            raise KnowledgeBaseDamaged(f"the lexical index in {self.dir / layout.LEXICAL} cannot be opened ({type(exc).__name__}: {exc}): run `tdkt build --force`") from exc

    def close(self) -> None:
        """Stop background embedding and release the lease (a build may then remove the folder)."""
        self._closed.set()
        if self._release:
            self._release()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read_json(self, rel: str):
        """A JSON file of the knowledge base; one that does not parse is named in the error."""
        try:
            return json.loads((self.dir / rel).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnowledgeBaseDamaged(f"knowledge base {self.dir}: {rel} cannot be read "
                                       f"({type(exc).__name__}: {exc}): run `tdkt build`") from exc

    # --- documents -----------------------------------------------------------------------
    def documents_meta(self) -> list[DocumentMeta]:
        """One metadata row per corpus document (Document.meta(): corpus.models.META_FIELDS), in build order."""
        return self.manifest["documents"]

    @cached_property
    def corpus_meta(self) -> dict[str, DocumentMeta]:
        """id → metadata row of every corpus document."""
        return {m["id"]: m for m in self.manifest["documents"]}

    @cached_property
    def provinces(self) -> list[str]:
        """The provinces of the corpus documents, in Vietnamese alphabetical order (accents folded)."""
        return sorted({m["province"] for m in self.documents_meta() if m.get("province")}, key=lambda p: (fold(p), p))

    @cached_property
    def registry_by_number(self) -> dict[tuple[str, str, str], list[RegistryEntry]]:
        """Registry entries by ("code", type code, number) and ("type", folded type name, number),
        so a short form ("ct 19", "luật 06/2022") finds documents outside the corpus too."""
        index: dict[tuple[str, str, str], list[RegistryEntry]] = {}
        for e in self.registry.entries:
            m = _NUMBER_SHAPE.match(number_key(e.canonical or e.symbol or ""))
            if not m:
                continue
            number = m.group(1).lstrip("0") or "0"
            index.setdefault(("code", m.group(3), number), []).append(e)
            if e.doc_type:
                index.setdefault(("type", fold(e.doc_type), number), []).append(e)
        return index

    def has_document(self, doc_id: str) -> bool:
        return doc_id in self.corpus_meta

    def registry_entry(self, doc_id: str) -> RegistryEntry | None:
        """What the registry knows of ``doc_id`` (a corpus document, or one the corpus only cites)."""
        return self.registry.get(doc_id)

    def graph_node(self, doc_id: str) -> Node | None:
        """The citation graph's node for ``doc_id`` (a cited document carries what the corpus says of it)."""
        return self.graph.nodes.get(doc_id)

    def is_known(self, doc_id: str) -> bool:
        """Is there anything to show for this id: a corpus document, a registry entry or a graph node?"""
        return self.has_document(doc_id) or self.registry_entry(doc_id) is not None or self.graph_node(doc_id) is not None

    def page_id(self, doc_id: str) -> str:
        """The id whose page shows ``doc_id``: the corpus copy when the registry knows one under another id."""
        if self.has_document(doc_id):
            return doc_id
        entry = self.registry_entry(doc_id)
        corpus_id = entry.corpus_doc_id if entry is not None else None
        return corpus_id if corpus_id and self.has_document(corpus_id) else doc_id

    def status_dict(self, doc_id: str | None) -> StatusDict:
        """The status (corpus.status.Status as a dict) of a corpus document (its JSON's ``status``)
        or, for a document the corpus only cites, of its registry entry; {} when nothing is known.
        Kept per id, so a page of results does not read every document again."""
        if not doc_id:
            return {}
        cached = self._status_by_id.get(doc_id)
        if cached is None:
            doc = self.document(doc_id)
            status: Any = doc.status if doc is not None else None
            if not status:
                entry = self.registry_entry(doc_id)
                status = entry.status if entry is not None else None
            if isinstance(status, str):
                status = {"state": status}
            cached = self._status_by_id[doc_id] = dict(status) if isinstance(status, dict) else {}
        return cached

    def status(self, doc_id: str | None) -> Status:
        return Status.from_dict(self.status_dict(doc_id))

    def matching_ids(self, wanted: str, registry: bool = False) -> list[str]:
        """The documents ``wanted`` (an id or a number in any spelling: "200/KH-UBND", "34-ct-tw",
        "nd-30-2020") may name: the corpus's, then (``registry``) the documents it only cites or the
        registry knows. The page /doc/<number> and `tdkt show` both resolve numbers here."""
        key = slug(wanted)
        if not key:
            return []
        found = [m["id"] for m in self.documents_meta()
                 if names_number(key, m["id"], m.get("symbol"), m.get("number"), m.get("doc_type"))]
        if registry:
            seen = set(found)
            for e in self.registry.entries:
                if e.id not in seen and names_number(key, e.id, e.canonical or e.symbol, e.number, e.doc_type):
                    seen.add(e.corpus_doc_id or e.id)
                    found.append(e.corpus_doc_id or e.id)
        return list(dict.fromkeys(found))

    def document(self, doc_id: str) -> Document | None:
        """The document, or None for an unknown or malformed id (never a path outside the kb)."""
        if not is_valid_id(doc_id) or doc_id not in self.corpus_meta:
            return None
        return self._document(doc_id)

    def _load_document(self, doc_id: str) -> Document:
        return Document.from_dict(self._read_json(f"documents/{doc_id}.json"))

    @cached_property
    def graph(self) -> CitationGraph:
        return CitationGraph.from_dict(self._read_json(layout.GRAPH))

    @cached_property
    def registry(self) -> Registry:
        return Registry.from_dict(self._read_json(layout.REGISTRY))

    @cached_property
    def glossary(self) -> Glossary | None:
        try:
            return Glossary.load()
        except Exception:
            return None

    # --- search --------------------------------------------------------------------------
    @cached_property
    def passages(self) -> list[Passage]:
        out, n, shared = [], 0, {}
        try:
            with open(self.dir / layout.PASSAGES, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        out.append(read_passage(json.loads(line), shared))  # text not held twice
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KnowledgeBaseDamaged(f"knowledge base {self.dir}: {layout.PASSAGES} line {n} cannot be read "
                                       f"({type(exc).__name__}): run `tdkt build`") from exc
        return out

    @cached_property
    def lexical(self) -> LexicalIndex:
        engine = lexical_engine(self.manifest.get("lexical_engine", "whoosh"))
        return engine.open(self.dir / layout.LEXICAL)

    @cached_property
    def searcher(self) -> Searcher:
        return Searcher(self.passages, self.lexical, vectors=None, embedder=None, glossary=self.glossary)

    # --- vectors -------------------------------------------------------------------------
    def load_vectors(self, model_name: str):
        """The cached vectors for this model, seeded from the vectors shipped with the corpus."""
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
        """Embed passages without a cached vector, saving as it goes; then turn hybrid ranking on.

        Server processes of one build folder (`tdkt serve --workers N`) share the work: one embeds
        while holding the cache's lock, the others wait for it and then read what it saved."""
        store = self.load_vectors(embedder.name)
        missing = store.missing(self.passages)
        total = len(self.passages)
        done = total - len(missing)
        # never "ready" before the vectors are in the searcher: the site keeps answers by this state,
        # so a lexical answer given meanwhile would be kept as the hybrid one (and served for good)
        self._set_status("embedding", done, total)
        cache = layout.vectors_cache(self.build_dir, embedder.name)
        cache.parent.mkdir(parents=True, exist_ok=True)
        if missing:
            with layout.exclusive(cache.with_name(cache.name + ".lock"),
                                  on_wait=lambda: self._set_status("embedding", done, total, "another server process is embedding")):
                store = self.load_vectors(embedder.name)   # what another process saved meanwhile
                missing = store.missing(self.passages)
                done = total - len(missing)
                self._embed_into(store, missing, embedder, cache, done, total, progress, batch)
        else:
            self._embed_into(store, missing, embedder, cache, done, total, progress, batch)

    def _embed_into(self, store, missing, embedder, cache: Path, done: int, total: int,
                    progress: Callable[[str], None] | None, batch: int) -> None:
        for i in range(0, len(missing), batch):
            if self._closed.is_set():   # closed (a server moved to a newer build): keep what is done
                store.save(cache)
                return
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
        store = self.load_vectors(model_name)
        matrix, mask = store.matrix_for(self.passages)
        out = VectorStore.empty(model_name)
        hashes = [p.content_hash for p, ok in zip(self.passages, mask) if ok]
        out.add(hashes, matrix[mask])
        path = Path(path or layout.shipped_vectors(model_name))
        out.save(path)
        return path, len(out), len(self.passages)

    def use_vectors(self, embedder, embed_missing: bool = False) -> bool:
        """Give the searcher its vectors (semantic and hybrid ranking) when the cache covers every
        passage; with ``embed_missing``, embed the passages it lacks first. False when it stays
        lexical (no embedder, or vectors missing and not embedded)."""
        if embedder is None:
            return False
        store = self.load_vectors(embedder.name)
        if store.missing(self.passages):
            if not embed_missing:
                return False
            self.embed_missing(embedder)
            store = self.load_vectors(embedder.name)
        self.searcher.set_vectors(store, embedder)
        return True

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
