"""`tdkt build`: raw corpus → parsed documents → citations → graph → passages → index, atomically.

Incremental: each source file's parse result is cached by the file's content hash (and the parser's
code version), vectors are cached by passage content hash. Atomic: the new knowledge base is
written into a temporary folder, renamed to a name no folder has, and only then is the ``current``
symlink swapped with ``os.replace`` (SWAP_STEPS); a crash at any point leaves a complete knowledge
base serving, and no build removes the folder ``current`` points at, the previous one, or one a
reader leases. Verified: the manifest records every file's size and sha256; an unchanged build
whose files do not match is rebuilt, naming the file. Deterministic: the same inputs give the same
documents, ids and passages, in the same order.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from corpus.citations import extract_document_citations
from corpus.errors import SourceError, UserError
from corpus.models import Document
from corpus.parse import parse_file
from corpus.registry import Registry
from corpus.render import to_markdown
from corpus.resolve import resolve_corpus
from corpus.sources import SourceFile, iter_sources
from glossary.load import Glossary

from . import kb_layout as layout
from .engines.registry import DEFAULT_ENGINE
from .engines.registry import lexical_engine as lexical_engine_class
from .kb import KnowledgeBase, KnowledgeBaseDamaged
from .near_dup import near_duplicate_groups
from .passages import passages_from_document

Progress = Callable[[str], None]
_CODE_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuildSummary:
    kb_dir: Path
    documents: int = 0
    sections: int = 0
    passages: int = 0
    citations: int = 0
    sources: int = 0
    parsed: int = 0          # files parsed this time (the rest came from the cache)
    refused: int = 0
    warnings: list[str] = field(default_factory=list)
    up_to_date: bool = False
    repaired: str = ""       # why the current knowledge base was rebuilt although its inputs had not changed
    seconds: float = 0.0
    lexical_engine: str = "tantivy"

    def line(self) -> str:
        state = "up to date" if self.up_to_date else f"built in {self.seconds:.1f} s"
        if self.repaired:
            state = f"rebuilt in {self.seconds:.1f} s because {self.repaired}"
        return (f"{self.documents} documents, {self.sections} sections, {self.passages} passages, "
                f"{self.citations} citations from {self.sources} files ({self.parsed} parsed, "
                f"{self.refused} refused), {len(self.warnings)} warnings; {state}: {self.kb_dir}")


def code_version() -> str:
    """A hash of the code and data that shape the knowledge base: a change to either rebuilds."""
    h = hashlib.sha256()
    for pkg in ("corpus", "glossary", "indexer"):
        root = _CODE_ROOT / pkg
        for p in sorted(root.rglob("*")):
            if p.suffix in {".py", ".yaml", ".json"} and "documents" not in p.parts and p.is_file():
                h.update(p.relative_to(_CODE_ROOT).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _noop(_: str) -> None:
    pass


def parse_sources(sources: list[SourceFile], cache_dir: Path, version: str,
                  progress: Progress = _noop) -> tuple[list[Document], list[str], int, int]:
    """Parse every source (or take it from the cache); bad files become warnings, never a crash."""
    docs: list[Document] = []
    warnings: list[str] = []
    seen_hashes: dict[str, str] = {}
    parsed = refused = 0
    cache_dir.mkdir(parents=True, exist_ok=True)
    for i, source in enumerate(sources, 1):
        if i % 10 == 0 or i == len(sources):
            progress(f"parsing {i}/{len(sources)} files")
        try:
            content_hash = source.content_hash()
        except OSError as exc:
            warnings.append(f"{source.rel}: cannot be read ({exc.strerror or exc})")
            refused += 1
            continue
        if content_hash in seen_hashes:
            warnings.append(f"{source.rel}: same content as {seen_hashes[content_hash]}; kept once")
            continue
        seen_hashes[content_hash] = source.rel
        cached = cache_dir / f"{content_hash}-{version}.json"
        if cached.exists():
            try:
                data = json.loads(cached.read_text(encoding="utf-8"))
                docs.extend(Document.from_dict(d) for d in data["documents"])
                warnings.extend(data.get("warnings", []))
                continue
            except (ValueError, KeyError, TypeError):
                cached.unlink(missing_ok=True)  # a damaged cache entry is re-parsed
        try:
            result = parse_file(source)
        except SourceError as exc:
            warnings.append(str(exc))
            refused += 1
            continue
        except Exception as exc:  # a parser bug on one file must not lose the others
            warnings.append(f"{source.rel}: could not be parsed ({type(exc).__name__}: {exc}); skipped")
            refused += 1
            continue
        parsed += 1
        for doc in result.documents:
            doc.content_hash = doc.content_hash or content_hash
            doc.provenance = doc.provenance or dict(source.provenance)
        docs.extend(result.documents)
        warnings.extend(result.warnings)
        _write_atomic(cached, json.dumps({"documents": [d.to_dict() for d in result.documents],
                                          "warnings": result.warnings}, ensure_ascii=False))
    return docs, warnings, parsed, refused


# A copy with less than this share of the fullest copy's text is a fragment: it never keeps the id.
FRAGMENT_SHARE = 0.25


def _text_size(doc: Document) -> int:
    return sum(len(s.heading) + len(s.text) for s in doc.sections)


def _rank(doc: Document, fullest: int) -> tuple:
    """Which copy keeps a shared id (higher wins): not a fragment, then a full text over a codified
    copy (pháp điển), then one whose provenance is recorded, then more text, then more sections."""
    size = _text_size(doc)
    return (size >= FRAGMENT_SHARE * fullest, not doc.codified, bool(doc.provenance), size, len(doc.sections))


def _describe(doc: Document, fullest: int) -> str:
    kind = "codified copy" if doc.codified else "full text"
    size = _text_size(doc)
    fragment = ", a fragment" if size < FRAGMENT_SHARE * fullest else ""
    return f"{kind}, {len(doc.sections)} sections, {size} characters{fragment}"


def make_ids_unique(docs: list[Document], claims: dict[str, str] | None = None) -> list[str]:
    """Two files may claim one document (the same symbol in one year): the fuller, better-sourced
    copy keeps the id (see ``_rank``), the others get a suffix ("<id>-phap-dien" for a codified copy,
    "<id>-2" …), and each such pair is a warning naming both files. ``claims``, when given, receives
    {new id of a losing copy: the id it claimed}, so registry entries can point at the winner."""
    warnings = []
    groups: dict[str, list[Document]] = {}
    for doc in docs:
        groups.setdefault(doc.id, []).append(doc)
    taken = set(groups)
    renamed: dict[tuple[str, str], str] = {}
    for doc_id, group in groups.items():
        if len(group) < 2:
            continue
        fullest = max(_text_size(d) for d in group)
        ranked = sorted(group, key=lambda d: _rank(d, fullest), reverse=True)  # stable: ties keep corpus order
        winner = ranked[0]
        for doc in ranked[1:]:
            base = f"{doc_id}-phap-dien" if doc.codified else doc_id
            new, n = base, 2
            while new in taken:
                new, n = f"{base}-{n}", n + 1
            taken.add(new)
            renamed[(doc.source_file, doc_id)] = new
            if claims is not None:
                claims[new] = doc_id
            warnings.append(f"{doc.source_file} and {winner.source_file} both claim document {doc_id}: "
                            f"{winner.source_file} keeps the id ({_describe(winner, fullest)}); "
                            f"{doc.source_file} is {new} ({_describe(doc, fullest)})")
            doc.id = new
    # links inside one file point at the renamed sibling
    for doc in docs:
        for link in doc.links:
            new = renamed.get((doc.source_file, link.get("target", "")))
            if new:
                link["target"] = new
    return warnings


def extract_citations(docs: list[Document], progress: Progress = _noop) -> list[str]:
    warnings = []
    for i, doc in enumerate(docs, 1):
        if i % 20 == 0 or i == len(docs):
            progress(f"citations {i}/{len(docs)} documents")
        try:
            doc.citations = extract_document_citations(doc)
        except Exception as exc:  # keep the document, without its citations
            doc.citations = []
            warnings.append(f"{doc.source_file}: citations of {doc.id} not extracted ({type(exc).__name__}: {exc})")
    return warnings


def resolve(docs: list[Document], claims: dict[str, str] | None = None):
    """The registry (data + corpus) and the citation graph. A document two files claim is the copy
    that kept its id (``claims`` from make_ids_unique): its entry never points at a losing copy."""
    claims = claims or {}
    registry = Registry.load()
    registry.add_corpus_documents(sorted(docs, key=lambda d: d.id in claims))   # winners first
    for e in registry.entries:
        winner = claims.get(e.corpus_doc_id or "")
        if winner and e.id != e.corpus_doc_id:   # a full-text fragment took over the entry of its document
            e.corpus_doc_id = winner
    graph = resolve_corpus(docs, registry)
    return registry, graph


def check_glossary(docs: list[Document]) -> list[str]:
    labels = {(d.symbol or "", s.label.strip().rstrip(".")) for d in docs for s in d.sections}
    symbols = {d.symbol for d in docs if d.symbol}

    def section_exists(symbol: str, label: str) -> bool:
        return symbol in symbols and (not label or (symbol, label.strip().rstrip(".")) in labels)

    try:
        glossary = Glossary.load()
        return [f"glossary: {e}" for e in glossary.validate(section_exists)]
    except Exception as exc:
        return [f"glossary: {exc}"]


def _problem(build_dir: Path) -> str | None:
    """Why the current knowledge base cannot serve (a file missing, truncated or changed — checked
    against the sizes and sha256s in its manifest —, an index that does not open), or None."""
    try:
        with KnowledgeBase.open(build_dir, verify="full"):
            return None
    except Exception as exc:
        if isinstance(exc, UserError):
            return str(exc).split(": run `tdkt build")[0]     # the advice is what this build does
        return f"the current knowledge base does not open ({type(exc).__name__}: {exc})"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _build_hash(sources: list[SourceFile], version: str, engine: str) -> str:
    h = hashlib.sha256(f"{version}:{engine}".encode())
    for s in sources:
        h.update(s.rel.encode())
        h.update(s.content_hash().encode())
    return h.hexdigest()[:16]


def write_kb(target: Path, docs, registry, graph, passages, summary: BuildSummary, progress: Progress) -> None:
    (target / "documents").mkdir(parents=True)
    for doc in docs:
        (target / "documents" / f"{doc.id}.json").write_text(
            json.dumps(doc.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        try:
            md = to_markdown(doc)
        except Exception as exc:
            md = ""
            summary.warnings.append(f"{doc.source_file}: Markdown rendering of {doc.id} failed ({exc})")
        (target / "documents" / f"{doc.id}.md").write_text(md, encoding="utf-8")
    (target / layout.GRAPH).write_text(json.dumps(graph.to_dict(), ensure_ascii=False), encoding="utf-8")
    (target / layout.REGISTRY).write_text(json.dumps(registry.to_dict(), ensure_ascii=False), encoding="utf-8")
    with open(target / layout.PASSAGES, "w", encoding="utf-8") as fh:
        for p in passages:
            fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
    progress(f"lexical index: {len(passages)} passages")
    lexical_engine_class(summary.lexical_engine).build(target / layout.LEXICAL, passages)


# The swap, step by step. A crash (or kill) after any step leaves a complete knowledge base current:
# the previous one up to "swapped", the new one from then on; the folder ``current`` points at is
# never removed or replaced. Tests inject a crash at each step through ``_reached``.
SWAP_STEPS = (
    "written",        # the new knowledge base is in kb-<hash>.tmp-<pid>, without a manifest: never served
    "manifest",       # its manifest (counts, documents, every file's size and sha256) is written: complete
    "renamed",        # renamed to an unused final name (kb-<hash>, or kb-<hash>-2 … if that one exists)
    "linked",         # a new symlink .current.tmp-<pid> points at it
    "swapped",        # ``current`` replaced by that symlink (os.replace: atomic)
    "stale-renamed",  # an old folder no reader leases renamed to kb-….trash-<pid>, then deleted
    "cleaned",        # old folders removed; the previous knowledge base and leased ones kept
)


def _reached(step: str) -> None:
    """Called at each step of SWAP_STEPS (a hook for the tests' crash injection)."""


def _manifest(kb_dir: Path) -> dict:
    try:
        return json.loads((kb_dir / layout.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _engine_name(name: str | None, build_dir: Path) -> str:
    """The engine asked for, else the current knowledge base's, else the default."""
    if name is None:
        current = layout.current_kb(build_dir)
        name = (_manifest(current).get("lexical_engine") if current else None) or DEFAULT_ENGINE
    return name.strip().lower()


def build_kb(corpus_dir: Path | None = None, build_dir: Path | None = None, embedder=None,
             progress: Progress | None = None, force: bool = False, lexical_engine: str | None = None) -> BuildSummary:
    """Build the knowledge base from ``corpus_dir`` into ``build_dir`` and make it current.

    ``lexical_engine`` names the engine of its lexical index (engines.registry: 'tantivy' or
    'whoosh'); when None, the engine of the current knowledge base is kept (a rebuild does not
    switch engines), else the default, tantivy."""
    progress = progress or _noop
    started = time.monotonic()
    build_dir = Path(build_dir or layout.DEFAULT_BUILD_DIR)
    build_dir.mkdir(parents=True, exist_ok=True)
    sources = iter_sources(corpus_dir) if corpus_dir else iter_sources()
    version = code_version()
    engine = _engine_name(lexical_engine, build_dir)
    lexical_engine_class(engine)  # an unknown or uninstalled engine fails before any work
    build_hash = _build_hash(sources, version, engine)
    summary = BuildSummary(kb_dir=build_dir / f"kb-{build_hash}", sources=len(sources), lexical_engine=engine)
    current = layout.current_kb(build_dir)
    damaged = None
    if not force and current is not None and _manifest(current).get("build_hash") == build_hash:
        damaged = _problem(build_dir)
        if damaged is None:
            return _up_to_date(summary, build_dir, current, embedder, progress, started)
        progress(f"{damaged}; rebuilding")
        summary.repaired = damaged

    docs, warnings, summary.parsed, summary.refused = parse_sources(
        sources, build_dir / layout.CACHE / "parsed", version, progress)
    claims: dict[str, str] = {}
    warnings += make_ids_unique(docs, claims)
    warnings += extract_citations(docs, progress)
    progress("resolving citations")
    registry, graph = resolve(docs, claims)
    warnings += check_glossary(docs)
    passages = [p for d in docs for p in passages_from_document(d)]
    progress("grouping near-identical passages")
    groups = near_duplicate_groups(passages)
    for p in passages:
        p.same_group = groups.get(p.id)
    summary.documents, summary.passages = len(docs), len(passages)
    summary.sections = sum(len(d.sections) for d in docs)
    summary.citations = sum(len(d.citations) for d in docs)
    summary.warnings = warnings

    with layout.build_lock(build_dir):          # one build at a time writes and swaps
        previous = layout.current_kb(build_dir)
        tmp = build_dir / f"kb-{build_hash}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        write_kb(tmp, docs, registry, graph, passages, summary, progress)
        _reached("written")
        manifest = {
            "build_hash": build_hash, "code_version": version, "lexical_engine": engine,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "corpus_dir": str(corpus_dir or "bundled"),
            "counts": {"documents": summary.documents, "sections": summary.sections, "passages": summary.passages,
                       "citations": summary.citations, "sources": summary.sources, "refused": summary.refused},
            "documents": [layout.document_meta(d) for d in docs],
            "warnings": summary.warnings,
            "files": layout.file_digests(tmp),   # verified by `tdkt build` and by every reader on open
        }
        # the manifest is written last: a kb folder without it is incomplete and never served
        _write_atomic(tmp / layout.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        _reached("manifest")
        final = layout.unused_name(build_dir, build_hash)
        os.rename(tmp, final)
        _reached("renamed")
        layout.swap_current(build_dir, final, step=lambda s: _reached(s))
        _reached("swapped")
        # keep the previous knowledge base (a server switches to the new one on its next request),
        # unless it is the damaged one this build replaces; any folder a reader leases is kept too
        keep = {final.name} | ({previous.name} if previous and previous.is_dir() and not damaged else set())
        layout.remove_stale(build_dir, keep=keep, step=lambda s: _reached(s))
        _reached("cleaned")
    summary.kb_dir = final
    _embed(build_dir, final, embedder, progress)
    summary.seconds = time.monotonic() - started
    return summary


def _up_to_date(summary: BuildSummary, build_dir: Path, current: Path, embedder, progress: Progress,
                started: float) -> BuildSummary:
    """Nothing to build: report the current knowledge base (and clear half-written leftovers)."""
    manifest = _manifest(current)
    for key in ("documents", "sections", "passages", "citations", "refused"):
        setattr(summary, key, manifest["counts"].get(key, 0))
    summary.warnings = manifest.get("warnings", [])
    summary.up_to_date, summary.kb_dir = True, current
    with layout.build_lock(build_dir, wait=False) as locked:
        if locked:                  # another build running owns its half-written folder: leave it
            layout.remove_stale(build_dir, keep=set(), only_unfinished=True)
    _embed(build_dir, current, embedder, progress)
    summary.seconds = time.monotonic() - started
    return summary


def _embed(build_dir: Path, kb_dir: Path, embedder, progress: Progress) -> None:
    """Embed the passages whose vectors are not cached yet (nothing to do without an embedder)."""
    if embedder is None:
        return

    with KnowledgeBase.open(build_dir) as kb:
        kb.embed_missing(embedder, progress=progress)


def open_or_build(build_dir: Path, corpus_dir: Path, say: Callable[[str], None] = print,
                  lexical_engine: str | None = None) -> KnowledgeBase:
    """The knowledge base in ``build_dir``, fully verified (every file's sha256: ~30 ms for the
    bundled corpus); built first from ``corpus_dir`` (lexical only, fast, on ``lexical_engine``) if
    there is none, and rebuilt if it is damaged (a damaged index would answer every search with
    nothing). ``say`` reports each step (`tdkt serve` prints them)."""
    if layout.current_kb(build_dir) is None:
        say(f"tdkt serve: no knowledge base in {build_dir}; building it from {corpus_dir} …")
        summary = build_kb(corpus_dir, build_dir, embedder=None, progress=lambda m: say(f"  {m}"),
                           lexical_engine=lexical_engine)
        say(f"tdkt serve: {summary.line()}")
    try:
        return KnowledgeBase.open(build_dir, verify="full")
    except KnowledgeBaseDamaged as exc:
        say(f"tdkt serve: {exc}; rebuilding from {corpus_dir} …")
        summary = build_kb(corpus_dir, build_dir, embedder=None, force=True, progress=lambda m: say(f"  {m}"),
                           lexical_engine=lexical_engine)
        say(f"tdkt serve: {summary.line()}")
        return KnowledgeBase.open(build_dir)
