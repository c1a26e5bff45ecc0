"""The proposals' tables in the records database: the records' own migrations first (our tables
point at theirs), then ours (proposals/migrations, version table ``proposals_alembic_version``),
once per database URL per process. Sessions are the records' (records.db.Records.session): one
transaction, the actor named, the records' rows written in the same transaction audited."""
from __future__ import annotations

import threading
from pathlib import Path

from records.db import Records, open_db, upgrade

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_done: set[str] = set()
_lock = threading.Lock()


def open_proposals(url: str) -> Records:
    """The records database at ``url`` with the proposals' tables migrated to the newest revision."""
    db = open_db(url)
    with _lock:
        if url not in _done:
            upgrade(db.engine, MIGRATIONS, "proposals")
            _done.add(url)
    return db


def forget() -> None:
    """Tests: the databases opened so far are gone (records.db.close_all was called)."""
    with _lock:
        _done.clear()
