"""The accounts tables' connection: an engine per database URL (the records database, from
`Settings.records_url()`), migrated to the newest accounts revision on first use.

Alembic runs programmatically (no alembic.ini): accounts/migrations, version table
``accounts_alembic_version``, so the records package's migrations (their own version table) and
ours live side by side in one database."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from corpus.errors import UserError
from records.db import alembic_config, engine_for
from records.db import upgrade as migrate

VERSION_TABLE = "accounts_alembic_version"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def upgrade(engine: Engine) -> None:
    """Bring the accounts tables to the newest revision (nothing to do when they are)."""
    migrate(engine, MIGRATIONS, "accounts")


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(MIGRATIONS)).get_current_head()


class AccountsDB:
    """Sessions on the accounts tables of one database, created and migrated on first use."""

    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._open()
        return self._engine

    def _open(self) -> Engine:
        engine = engine_for(self.url)
        try:
            upgrade(engine)
        except UserError:
            engine.dispose()
            raise
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        return engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an exception."""
        self.engine  # noqa: B018 — opens and migrates on first use
        assert self._sessions is not None
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


_OPEN: dict[str, AccountsDB] = {}
_OPEN_LOCK = threading.Lock()


def accounts_db(url: str) -> AccountsDB:
    """The one AccountsDB of this process for ``url``."""
    with _OPEN_LOCK:
        db = _OPEN.get(url)
        if db is None:
            db = _OPEN[url] = AccountsDB(url)
        return db
