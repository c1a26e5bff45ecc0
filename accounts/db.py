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

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from corpus.errors import UserError

VERSION_TABLE = "accounts_alembic_version"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the accounts tables to the newest revision (nothing to do when they are)."""
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


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
        try:
            url = make_url(self.url)
        except Exception as exc:  # sqlalchemy.exc.ArgumentError and friends
            raise UserError(f"TDKT_DATABASE_URL {self.url!r} is not a database URL ({exc})") from exc
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except Exception as exc:   # an unknown dialect, a driver not installed (psycopg for PostgreSQL)
            raise UserError(f"cannot use the records database {url.render_as_string(hide_password=True)}: {exc}") from exc
        if url.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            upgrade(engine)
        except DBAPIError as exc:   # no server, wrong password, a file that is not a database
            engine.dispose()
            raise UserError(f"cannot open the records database {url.render_as_string(hide_password=True)}: "
                            f"{str(exc.orig).strip() or exc}") from exc
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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


_OPEN: dict[str, AccountsDB] = {}
_OPEN_LOCK = threading.Lock()


def accounts_db(url: str) -> AccountsDB:
    """The one AccountsDB of this process for ``url``."""
    with _OPEN_LOCK:
        db = _OPEN.get(url)
        if db is None:
            db = _OPEN[url] = AccountsDB(url)
        return db
