"""The proposals' tables: their migrations build exactly the models' schema, in their own version
table beside the records' (whose schema they leave alone), on SQLite and PostgreSQL; opening again
changes nothing."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from proposals.db import forget, open_proposals
from proposals.models import Base
from records_db import pg_server, records_url  # noqa: F401

VERSION_TABLE = "proposals_alembic_version"


def _diff(conn, metadata, version_table):
    opts = {"include_name": lambda name, kind, _parent: kind != "table" or name in metadata.tables,
            "version_table": version_table}
    return compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)


def test_migrations_match_the_models_beside_the_records(records_url):  # noqa: F811
    import records.models
    from records.db import close_all
    db = open_proposals(records_url)
    open_proposals(records_url)                   # a second open migrates nothing
    try:
        with db.engine.connect() as conn:
            assert _diff(conn, Base.metadata, VERSION_TABLE) == []
            assert _diff(conn, records.models.Base.metadata, "records_alembic_version") == []
            tables = set(inspect(conn).get_table_names())
    finally:
        close_all()
        forget()
    assert {VERSION_TABLE, "records_alembic_version", "registration", "registration_entry", "proposal",
            "proposal_recipient", "proposal_attachment", "proposal_move"} <= tables
    assert "alembic_version" not in tables
