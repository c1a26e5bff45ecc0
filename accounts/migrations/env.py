"""Alembic environment for the accounts tables only (version table accounts_alembic_version).

Run programmatically by accounts/db.py (`upgrade`), which hands over an open connection in
``config.attributes["connection"]``; there is no alembic.ini."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from accounts.db import VERSION_TABLE
from accounts.models import Base


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # a developer's `alembic` run with -x url=…
    engine = create_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.begin() as conn:
        _run(conn)
