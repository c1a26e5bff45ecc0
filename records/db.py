"""The records database: an engine for a URL (SQLite file by default, PostgreSQL by
TDKT_DATABASE_URL), migrated on first use, and sessions that audit every change they make.

    db = open_db(url)
    with db.session(actor="cli:lan") as s:     # one transaction: committed at the end, or nothing
        s.add(...)
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from corpus.errors import UserError

from .models import AuditEntry, Base

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "records_alembic_version"
_lock = threading.Lock()
_open: dict[str, Records] = {}


@dataclass
class Records:
    url: str
    engine: Engine
    factory: sessionmaker[Session]

    @contextmanager
    def session(self, actor: str | None = None) -> Iterator[Session]:
        """A session in one transaction. With ``actor`` it may write, and every insert, update and
        delete is written to the audit log under that name; without, it only reads (a flush fails)."""
        s = self.factory(info={"actor": actor})
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()


def open_db(url: str) -> Records:
    """The records database at ``url``, created or migrated to the latest schema on first use."""
    with _lock:
        if url in _open:
            return _open[url]
        engine = engine_for(url)
        try:
            upgrade(engine)
        except UserError:
            engine.dispose()
            raise
        rec = Records(url=url, engine=engine, factory=sessionmaker(engine, expire_on_commit=False))
        _open[url] = rec
        return rec


def close_all() -> None:
    with _lock:
        for rec in _open.values():
            rec.engine.dispose()
        _open.clear()


def engine_for(url: str) -> Engine:
    """An engine on the records database at ``url``, which the records, the proposals and the
    officers' accounts share: SQLite (its folder created; WAL, foreign keys, a 30 s busy wait) or
    any backend SQLAlchemy has a driver for. A URL that cannot be used is a UserError naming it."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"TDKT_DATABASE_URL “{url}” is not a database URL ({exc}): e.g. "
                        "sqlite:///records.sqlite3 or postgresql+psycopg://user@host/tdkt") from None
    shown = parsed.render_as_string(hide_password=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and parsed.database and parsed.database != ":memory:":
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot open the records database {parsed.database}: "
                            f"its folder cannot be created ({exc.strerror})") from None
    try:
        engine = (create_engine(parsed, connect_args={"timeout": 30}) if sqlite
                  else create_engine(parsed, pool_pre_ping=True))
    except (ArgumentError, ImportError) as exc:   # an unknown dialect, a driver not installed
        raise UserError(f"cannot use the records database {shown}: {exc}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL: a lookup during an import reads the last committed state, never half an import.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config(migrations: Path = MIGRATIONS):
    """Alembic's configuration for one package's migrations folder (no alembic.ini): its env.py
    takes the connection from ``attributes["connection"]`` and keeps its own version table."""
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(migrations))
    return config


def upgrade(engine: Engine, migrations: Path = MIGRATIONS, what: str = "records") -> None:
    """Bring ``what``'s tables (the records', the proposals', the accounts') to the newest revision
    of ``migrations``, in one transaction; a database that cannot be reached or read is a UserError."""
    from alembic import command
    config = alembic_config(migrations)
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except DBAPIError as exc:   # no server, a wrong password, a file that is not a database
        reason = str(exc.orig).strip() or type(exc.orig).__name__
        raise UserError(f"cannot open the records database {engine.url.render_as_string(hide_password=True)} "
                        f"(the {what} tables): {reason}") from None


# --- audit ---------------------------------------------------------------------------------------

def _row(obj: Any) -> dict[str, Any]:
    return {c.key: _jsonable(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs}


def _jsonable(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _before(obj: Any) -> dict[str, Any]:
    state, out = inspect(obj), {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        out[attr.key] = _jsonable(hist.deleted[0] if hist.deleted else getattr(obj, attr.key))
    return out


def _ours(obj: Any) -> bool:
    """A row of the records (not of another package sharing the database, e.g. accounts' users,
    nor the audit log itself)."""
    return isinstance(obj, Base) and not isinstance(obj, AuditEntry)


@event.listens_for(Session, "before_flush")
def _capture(session: Session, _ctx, _instances) -> None:
    changed = [o for o in (*session.dirty, *session.deleted) if _ours(o)]
    if (any(_ours(o) for o in session.new) or changed) and not session.info.get("actor"):
        raise UserError("a change to the records needs an actor (who makes it); this session only reads")
    pending = session.info.setdefault("audit_before", {})
    for obj in changed:
        if session.is_modified(obj) or obj in session.deleted:
            pending[id(obj)] = _before(obj)


@event.listens_for(Session, "after_flush")
def _audit(session: Session, _ctx) -> None:
    actor = session.info.get("actor")
    before = session.info.pop("audit_before", {})
    now = dt.datetime.now(dt.timezone.utc)
    rows = []
    for action, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objs:
            if not _ours(obj) or (action == "update" and id(obj) not in before):
                continue
            ident = inspect(obj).mapper.primary_key_from_instance(obj)
            rows.append({"at": now, "actor": actor, "action": action, "table_name": obj.__tablename__,
                         "row_id": ",".join(str(i) for i in ident), "decision_id": _decision_of(obj),
                         "before": before.get(id(obj)), "after": None if action == "delete" else _row(obj)})
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def _decision_of(obj: Any) -> int | None:
    """The decision a row belongs to: a Decision itself, or a line's decision."""
    if obj.__tablename__ == "decision":
        return obj.id
    return getattr(obj, "decision_id", None) if obj.__tablename__ in ("award_line", "resistance_award") else None


def all_tables() -> list[str]:
    return list(Base.metadata.tables)
