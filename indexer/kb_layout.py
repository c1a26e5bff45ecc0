"""The knowledge base's layout on disk (see docs/ARCHITECTURE.md), its atomic swap, the size and
sha256 of each of its files, and the leases that keep a folder a reader uses from being removed."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no leases, builds still never touch ``current``
    fcntl = None

from corpus.models import Document, DocumentMeta

CURRENT = "current"
MANIFEST = "manifest.json"
GRAPH = "graph.json"
REGISTRY = "registry.json"
PASSAGES = "passages.jsonl"
LEXICAL = "lexical"
CACHE = "cache"
BUILD_LOCK = ".build.lock"
SHIPPED_VECTORS = Path(__file__).parent / "data"


# The build folder when none is given (the setting TDKT_BUILD_DIR, search_app.settings, overrides it).
DEFAULT_BUILD_DIR = Path(__file__).resolve().parent.parent / "build"


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


def current_name(build_dir: Path) -> str | None:
    """The folder name ``current`` points at, in one readlink (cheap enough to ask per request)."""
    try:
        return Path(os.readlink(Path(build_dir) / CURRENT)).name
    except OSError:
        return None


def is_complete(kb_dir: Path) -> bool:
    return (kb_dir / MANIFEST).is_file() and (kb_dir / LEXICAL).is_dir()


def unused_name(build_dir: Path, build_hash: str) -> Path:
    """``kb-<hash>``, or ``kb-<hash>-2``, ``-3`` … when that name is taken: a build never replaces a
    folder in place (``current``, or a folder a running server reads, may be that folder)."""
    path, n = Path(build_dir) / f"kb-{build_hash}", 2
    while path.exists() or path.is_symlink():
        path, n = Path(build_dir) / f"kb-{build_hash}-{n}", n + 1
    return path


def swap_current(build_dir: Path, kb_dir: Path, step: Callable[[str], None] | None = None) -> None:
    """Point ``current`` at ``kb_dir`` in one atomic rename (``step("linked")`` is called between
    making the new link and renaming it over ``current``)."""
    tmp = Path(build_dir) / f".{CURRENT}.tmp-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(kb_dir.name, tmp)
    if step:
        step("linked")
    os.replace(tmp, Path(build_dir) / CURRENT)


# --- file digests: every file of a knowledge base, with its size and sha256, in the manifest ---------
_NOT_CONTENT = re.compile(r"(WRITELOCK|\.lock)$", re.IGNORECASE)   # lock files the index engines leave


def file_digests(kb_dir: Path) -> dict[str, list]:
    """{relative path: [size, sha256]} of every file under ``kb_dir`` (but lock files)."""
    out = {}
    for p in sorted(Path(kb_dir).rglob("*")):
        if p.is_file() and not _NOT_CONTENT.search(p.name):
            out[p.relative_to(kb_dir).as_posix()] = [p.stat().st_size, _sha256(p)]
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_problem(kb_dir: Path, files: dict[str, list], hashes: bool = False) -> str | None:
    """The first file of ``files`` that is missing, has another size, or (with ``hashes``) another
    sha256 than the manifest records, described in one line; None when every file matches.
    Sizes cost one stat per file (about 2 ms for the bundled corpus); hashes read every byte (about
    30 ms for its 27 MB)."""
    for rel, (size, digest) in files.items():
        path = Path(kb_dir) / rel
        what = f"the lexical index file {rel}" if rel.startswith(LEXICAL + "/") else rel
        try:
            found = path.stat().st_size
        except OSError:
            return f"{what} is missing"
        if found != size:
            return f"{what} has {found} bytes where its manifest says {size} (truncated or overwritten)"
        if hashes and _sha256(path) != digest:
            return f"{what} does not match its sha256 in the manifest (its content changed)"
    return None


# --- leases: a reader's shared lock on a knowledge-base folder -------------------------------------
class Lease:
    """A shared ``flock`` on a knowledge-base folder, held by whoever reads it (a server, `tdkt search`).
    A build removes an old folder only when it can lock it exclusively, so it never deletes one a
    reader still uses; the lock dies with its process, so a crashed reader never pins a folder."""

    def __init__(self, fd: int | None):
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def take_lease(kb_dir: Path) -> Lease:
    """Lease ``kb_dir``. FileNotFoundError when it is gone, BlockingIOError while a build removes it
    (the caller looks at ``current`` again). Without flock (not POSIX) the lease is a no-op."""
    if fcntl is None:
        return Lease(None)
    fd = os.open(kb_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if os.stat(kb_dir).st_ino != os.fstat(fd).st_ino:
            raise FileNotFoundError(f"{kb_dir} was replaced")   # removed (and the name reused) meanwhile
    except BaseException:
        os.close(fd)
        raise
    return Lease(fd)


def _lock_unused(path: Path) -> int | None:
    """An exclusive lock on ``path`` when no reader leases it (an fd to close), else None."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    if fcntl is None:
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        os.close(fd)
        return None


@contextmanager
def build_lock(build_dir: Path, wait: bool = True) -> Iterator[bool]:
    """One build at a time per build folder (so none removes another's half-written folder).
    Yields False, without waiting, when ``wait`` is off and another build holds the lock."""
    fd = os.open(Path(build_dir) / BUILD_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
        yield True
    finally:
        os.close(fd)


@contextmanager
def exclusive(path: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) across processes; ``on_wait`` is
    called once if another process holds it and this one waits."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)   # releases the lock


def remove_stale(build_dir: Path, keep: set[str], only_unfinished: bool = False,
                 step: Callable[[str], None] | None = None) -> list[str]:
    """Remove the knowledge bases that are neither ``current``, nor in ``keep``, nor leased by a
    reader (with ``only_unfinished``: only half-written and half-removed ones). Each is first renamed
    to ``*.trash-<pid>`` (atomic), then deleted, so a crash midway never leaves a half-deleted folder
    that looks complete. Call it under ``build_lock``. Returns the names removed."""
    current = current_name(build_dir)
    removed = []
    for link in Path(build_dir).glob(f".{CURRENT}.tmp-*"):   # a new link a killed build never renamed
        link.unlink(missing_ok=True)
    for p in sorted(Path(build_dir).glob("kb-*")):
        unfinished = ".tmp-" in p.name or ".trash-" in p.name
        if p.name in keep or p.name == current or (only_unfinished and not unfinished):
            continue
        fd = _lock_unused(p)
        if fd is None:
            continue            # a reader (a running server, `tdkt search`) still uses it
        try:
            trash = p if ".trash-" in p.name else p.with_name(f"{p.name}.trash-{os.getpid()}")
            if trash != p:
                os.rename(p, trash)
            if step:
                step("stale-renamed")
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(p.name)
        finally:
            os.close(fd)
    return removed


def document_meta(doc: Document) -> DocumentMeta:
    """What lists and facets need without loading every document."""
    return {"id": doc.id, **doc.meta(), "draft": doc.draft, "source_file": doc.source_file,
            "sections": len(doc.sections)}
