"""The accounts tables on both backends: SQLite always, PostgreSQL when a server can be started
here — through the records tests' fixture (tests/records_db.py, ``records_url``), so both packages
run against the same servers. Skipped where that fixture is not present."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("records_db", reason="the records tests' database fixture (tests/records_db.py) is not here")

from records_db import pg_server, records_url  # noqa: E402,F401 — fixtures

from accounts.db import VERSION_TABLE, AccountsDB  # noqa: E402
from accounts.models import Base, utcnow  # noqa: E402
from accounts.users import LoginRefused, add_user, authenticate, load_officer, set_role  # noqa: E402

PASSWORD = "Hoa-sen-nở-2025"


@pytest.fixture
def db(records_url):
    database = AccountsDB(records_url)
    yield database
    database.dispose()


def test_migrated_tables_equal_the_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_users_roles_and_the_rate_limit(db):
    officer = add_user(db, "nguyenvana", "Nguyễn Văn A", PASSWORD, "editor", "TINH-BN", "cli:test")
    changed = set_role(db, "nguyenvana", "XA-TIENDU", "viewer", "cli:test")
    assert load_officer(db, officer.id, changed.session_version).roles == {"TINH-BN": "editor", "XA-TIENDU": "viewer"}
    t0 = utcnow() + dt.timedelta(hours=1)
    for minute in range(5):
        with pytest.raises(LoginRefused):
            authenticate(db, "nguyenvana", "sai mật khẩu", "10.0.0.1", now=t0 + dt.timedelta(minutes=minute))
    with pytest.raises(LoginRefused) as refused:
        authenticate(db, "nguyenvana", PASSWORD, "10.0.0.1", now=t0 + dt.timedelta(minutes=5))
    assert refused.value.wait == dt.timedelta(minutes=10)
