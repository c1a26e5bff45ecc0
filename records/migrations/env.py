"""Alembic environment of the records database: run by records.db.upgrade with the connection
in ``config.attributes``; its own version table so other packages keep theirs."""
from alembic import context

from records.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  version_table="records_alembic_version", render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
