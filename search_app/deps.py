"""Dependencies shared by the routes, as `Annotated` aliases (the FastAPI template's `api/deps.py`).

The knowledge base is opened once per app (or handed in by tests) and re-opened when a build swaps
in a new one (KBHolder); routes ask for it with the `KB` alias, which holds it for the request.
A document id from a URL is checked with `corpus.ids.is_valid_id` before anything looks
it up, so a path-traversal attempt ("../../etc/passwd", "%2e%2e%2f") answers 404 and never reaches
the file system.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Annotated, Callable, Iterator

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from corpus.errors import UserError
from corpus.ids import is_valid_id
from indexer.kb import KnowledgeBase
from indexer.kb_layout import current_name

from .settings import Settings

log = logging.getLogger("tdkt.site")


class KBHolder:
    """The knowledge base the site serves, opened on first use and following new builds.

    Each request asks ``acquire()``: one readlink of ``<build_dir>/current`` (~9 µs) tells whether a
    build has swapped in another knowledge base; if so a background thread opens it (manifest, a
    stat of each file, the index) and warms its searcher, then swaps it in atomically; until then,
    and for requests already answering, the previous one serves. A retired knowledge base is closed (its lease
    released, its background embedding stopped) when the last of them ``release()``s it; until then
    no build removes its folder. ``on_open(kb)`` runs for every knowledge base swapped in
    (`tdkt serve` starts its embedding and warm-up there).
    """

    RETRY_SECONDS = 5.0   # a new build that fails to open is tried again after this long

    def __init__(self, build_dir: Path | None, kb: KnowledgeBase | None = None,
                 on_open: Callable[[KnowledgeBase], None] | None = None):
        self.build_dir = build_dir
        self.on_open = on_open
        self._kb = kb
        self._lock = threading.Lock()        # guards _kb, _users, _retired
        self._opening = threading.Lock()     # one request opens a new build; the others go on
        self._users: dict[int, int] = {}     # id(kb) -> requests in flight
        self._retired: dict[int, KnowledgeBase] = {}
        self._failed: tuple[str, float] | None = None
        self.last_error = ""

    def get(self) -> KnowledgeBase:
        """The knowledge base to answer with now (opened, or re-opened after a new build)."""
        if self._kb is None:
            self._open_first()
        elif self.build_dir is not None:
            self._follow()
        return self._kb

    def acquire(self) -> KnowledgeBase:
        """``get()``, counted as in flight until ``release()``."""
        self.get()
        with self._lock:        # counted under the lock replace() retires under: never closed in use
            kb = self._kb
            self._users[id(kb)] = self._users.get(id(kb), 0) + 1
        return kb

    def release(self, kb: KnowledgeBase) -> None:
        with self._lock:
            left = self._users.get(id(kb), 1) - 1
            if left > 0:
                self._users[id(kb)] = left
                return
            self._users.pop(id(kb), None)
            retired = self._retired.pop(id(kb), None)
        if retired is not None:
            _close(retired)

    def replace(self, kb: KnowledgeBase) -> None:
        """Swap in a freshly opened knowledge base (a new build, or the admin rebuild)."""
        with self._lock:
            old, self._kb = self._kb, kb
            idle = old is not None and old is not kb and not self._users.get(id(old))
            if old is not None and old is not kb and not idle:
                self._retired[id(old)] = old
        if idle:
            _close(old)
        if self.on_open is not None:
            try:
                self.on_open(kb)
            except Exception:   # embedding or warm-up failing must not stop the site answering
                log.exception("setting up the knowledge base in %s", kb.dir)

    def _open_first(self) -> None:
        with self._lock:
            if self._kb is not None:
                return
            if self.build_dir is None:
                raise HTTPException(503, "Chưa có cơ sở dữ liệu: hãy chạy `tdkt build`.")
            try:
                self._kb = KnowledgeBase.open(self.build_dir)
            except (UserError, OSError) as exc:
                raise HTTPException(503, f"Chưa mở được cơ sở dữ liệu tại {self.build_dir}: {exc}") from exc

    def _follow(self) -> None:
        """When ``current`` points at another build than the one served, open it in the background
        (requests meanwhile answer from the one they have) and swap it in once it is warm."""
        target = self._new_target()
        if target is None or not self._opening.acquire(blocking=False):
            return                              # nothing new, or it is being opened already
        threading.Thread(target=self._open_new, args=(target,), name="tdkt-follow", daemon=True).start()

    def refresh(self) -> KnowledgeBase | None:
        """Follow a new build now, in this thread (tests, admin); the knowledge base served after."""
        target = self._new_target(retry_now=True)
        if target is not None:
            with self._opening:
                self._open_new(target, locked=False)
        return self._kb

    def _new_target(self, retry_now: bool = False) -> str | None:
        """The folder ``current`` points at, when it is not the one served (one readlink)."""
        served = self._kb.dir if self._kb is not None else None
        target = _current_name(self.build_dir) if self.build_dir is not None else None
        if served is None or target is None or target == Path(served).name:
            return None
        if (not retry_now and self._failed and self._failed[0] == target
                and time.monotonic() - self._failed[1] < self.RETRY_SECONDS):
            return None
        return target

    def _open_new(self, target: str, locked: bool = True) -> None:
        try:
            if Path(self._kb.dir).name == _current_name(self.build_dir):
                return
            try:
                kb = KnowledgeBase.open(self.build_dir)
                kb.searcher                     # warm: passages, index reader, glossary (~0.4 s bundled)
            except (UserError, OSError) as exc:   # keep serving the previous one; say why
                self._failed, self.last_error = (target, time.monotonic()), str(exc)
                log.warning("still serving %s: the new build does not open: %s", self._kb.dir, exc)
                return
            self._failed, self.last_error = None, ""
            self.replace(kb)
        except Exception:
            log.exception("following the build in %s", self.build_dir)
        finally:
            if locked:
                self._opening.release()


def _current_name(build_dir: Path) -> str | None:
    return current_name(build_dir)


def _close(kb: KnowledgeBase) -> None:
    kb.close()


def get_kb(request: Request) -> Iterator[KnowledgeBase]:
    """The knowledge base for this request, held (not closed, not removed) until it is answered."""
    holder: KBHolder = request.app.state.kb_holder
    kb = holder.acquire()
    try:
        yield kb
    finally:
        holder.release(kb)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


def checked_doc_id(doc_id: str) -> str:
    """The id from the URL if it is a well-formed document id; otherwise 404 naming it."""
    if not is_valid_id(doc_id):
        raise HTTPException(404, f"Không có văn bản với mã “{doc_id[:200]}”.")
    return doc_id


KB = Annotated[KnowledgeBase, Depends(get_kb)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Templates = Annotated[Jinja2Templates, Depends(get_templates)]
DocId = Annotated[str, Depends(checked_doc_id)]
