"""Alembic environment for the registrations' and proposals' tables only (version table
proposals_alembic_version). Run by proposals/db.py (`upgrade`) with the connection in
``config.attributes["connection"]``, after the records' migrations (their tables are referenced)."""
from __future__ import annotations

from alembic import context

from proposals.models import Base

VERSION_TABLE = "proposals_alembic_version"

connection = context.config.attributes["connection"]


def _ours(name, type_, parent_names) -> bool:
    """Only our tables: the records' and accounts' live in the same database under their own migrations."""
    return type_ != "table" or name in Base.metadata.tables


context.configure(connection=connection, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                  render_as_batch=connection.dialect.name == "sqlite", compare_type=True, include_name=_ours)
with context.begin_transaction():
    context.run_migrations()
