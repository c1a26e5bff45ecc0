"""The records database itself: the migrations build exactly the models' schema (so a model change
without its migration fails here), in their own version table, on SQLite and PostgreSQL; a bad
URL is one clear message."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from corpus.errors import UserError
from records.db import VERSION_TABLE, open_db
from records.models import Base
from records_db import pg_server, records_db, records_url  # noqa: F401


def test_migrations_match_the_models(records_db):
    with records_db.engine.connect() as conn:
        ours = {"include_name": lambda name, kind, _parent: not (kind == "table" and name == VERSION_TABLE)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=ours), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert VERSION_TABLE in tables and "alembic_version" not in tables
    assert {"unit", "person", "collective", "award_kind", "decision", "award_line", "resistance_award",
            "movement", "audit_entry"} <= tables


def test_opening_again_is_the_same_database(records_url):
    from records.db import close_all
    first = open_db(records_url)
    close_all()
    again = open_db(records_url)     # migrations already applied: nothing to do, no error
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar() == "0003"   # the newest migration
    close_all()
    assert first.url == again.url


@pytest.mark.parametrize("url,words", [("not a url", "not a database URL"),
                                       ("sqlite:////proc/no/such/dir/r.sqlite3", "cannot open the records database")])
def test_bad_database_urls(url, words):
    with pytest.raises(UserError, match=words):
        open_db(url)


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    garbage = tmp_path / "records.sqlite3"
    garbage.write_bytes(b"this is not a database, just words" * 100)
    with pytest.raises(UserError, match=r"cannot open the records database .*records\.sqlite3.*not a database"):
        open_db(f"sqlite:///{garbage}")
    assert garbage.read_bytes().startswith(b"this is not a database")      # left as it was


def test_an_unknown_backend_is_named():
    with pytest.raises(UserError, match="cannot use the records database nosuchdb://x/y"):
        open_db("nosuchdb://x/y")


def test_every_records_subcommand_is_documented():
    import argparse
    from pathlib import Path

    from search_app.cli import build_parser
    root = Path(__file__).resolve().parent.parent
    readme, guide = (root / "README.md").read_text(encoding="utf-8"), (root / "docs" / "RECORDS.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices["records"]
    names = next(a for a in sub._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert {"template", "import", "search", "decision", "report", "demo", "bench"} <= set(names)
    for name in names:
        assert f"tdkt records {name}" in readme, name
        assert name == "bench" or f"tdkt records {name}" in guide, name
