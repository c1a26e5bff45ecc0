"""Answers kept per knowledge base: the same GET of a search or a document, asked again of the same
build, is answered from memory.

A built knowledge base never changes, and a search page, a document page and their JSON are
functions of the request (path, query string, cookies), the knowledge base, whether hybrid ranking
is on yet, and today's date (the default "as of" of the context). All of these are in the key, so
a new build, the end of background embedding or midnight answers afresh. Officers ask the same
questions (the hồ sơ, the thẩm quyền, a decree's number): a search costs 20–40 ms of CPU, a kept
answer well under one.

Kept: 200 answers to GET (HEAD too, through HeadMiddleware) of the paths in CACHED_PREFIXES that
set no cookie and are not marked Cache-Control: no-store (a page for a logged-in officer), to requests
without an Authorization header. Bounded by bytes (``max_bytes``, the
setting TDKT_RESPONSE_CACHE_MB; 0 turns it off), least recently used first out; emptied when the
knowledge base changes. Every answer of those paths says `x-tdkt-cache: hit` or `miss` (the load
benchmark reports the share of hits).
"""
from __future__ import annotations

import datetime as _dt
import threading
from collections import OrderedDict
from typing import Any, Callable

CACHED_PREFIXES = ("/search", "/api/search", "/doc/", "/api/documents/")
# A single answer larger than this is never kept (a whole law's JSON is ~0.3 MB).
MAX_ENTRY_BYTES = 4 * 1024 * 1024
HEADER = b"x-tdkt-cache"


class ResponseCache:
    """Bounded LRU of finished answers: key → (status, headers, body)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max(0, int(max_bytes))
        self._items: "OrderedDict[tuple, tuple[int, list, bytes]]" = OrderedDict()
        self._bytes = 0
        self._owner: Any = None      # the knowledge base the entries belong to
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, owner: Any, key: tuple):
        with self._lock:
            if owner is not self._owner:
                self._items.clear()
                self._bytes, self._owner = 0, owner
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, owner: Any, key: tuple, status: int, headers: list, body: bytes) -> None:
        size = len(body) + sum(len(k) + len(v) for k, v in headers) + 200
        if size > min(MAX_ENTRY_BYTES, self.max_bytes):
            return
        with self._lock:
            if owner is not self._owner:
                return       # the knowledge base changed while this answer was made
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= _size(old)
            self._items[key] = (status, headers, body)
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= _size(dropped)


def _size(item: tuple[int, list, bytes]) -> int:
    return len(item[2]) + sum(len(k) + len(v) for k, v in item[1]) + 200


class ResponseCacheMiddleware:
    """ASGI middleware answering repeated GETs of CACHED_PREFIXES from a ResponseCache.
    ``state_of()`` gives (knowledge base, its embedding state) or None when none is open yet."""

    def __init__(self, app: Any, cache: ResponseCache, state_of: Callable[[], tuple[Any, str] | None]):
        self.app, self.cache, self.state_of = app, cache, state_of

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not self.cache.max_bytes
                or not scope["path"].startswith(CACHED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        cookie = b""
        for name, value in scope.get("headers") or ():
            if name == b"authorization":
                await self.app(scope, receive, send)
                return
            if name == b"cookie":
                cookie += value + b";"
        try:
            state = self.state_of()
        except Exception:      # no knowledge base yet, or it failed to open: the app says why
            state = None
        if state is None:
            await self.app(scope, receive, send)
            return
        kb, embedding = state
        key = (scope["method"], scope["path"], scope.get("query_string", b""), cookie, embedding,
               _dt.date.today().toordinal())
        hit = self.cache.get(kb, key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers + [(HEADER, b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict | None = None
        chunks: list[bytes] = []
        keep = True

        async def recording_send(message: dict) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                keep = message["status"] == 200 and not any(k.lower() == b"set-cookie" or (k.lower() == b"cache-control"
                                                                         and b"no-store" in v) for k, v in headers)
                start = {"status": message["status"], "headers": headers}   # kept without the marker
                message = dict(message, headers=headers + [(HEADER, b"miss")])
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_ENTRY_BYTES:
                    keep = False
                    chunks.clear()
                elif not message.get("more_body", False) and start is not None:
                    self.cache.put(kb, key, start["status"], start["headers"], b"".join(chunks))
            await send(message)

        await self.app(scope, receive, recording_send)
