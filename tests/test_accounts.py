"""Officers' accounts (accounts/): the migrated tables, passwords, roles in units, the login rate
limit, account events and `tdkt user …` — against a real SQLite database in a temporary folder."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import stat

import pytest
import sqlalchemy as sa

from accounts import ratelimit
from accounts.audit import actor_of, list_events
from accounts.db import VERSION_TABLE, AccountsDB, head_revision
from accounts.models import Base, User, utcnow
from accounts.officer import Officer
from accounts.passwords import WeakPassword, check_strength
from accounts.users import AccountError, LoginRefused, add_user, authenticate, load_officer, set_password, set_role
from accounts.web import session_secret
from search_app.cli import main

GOOD = "Hoa-sen-nở-2025"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """argon2id with small costs: the same code paths, a fraction of the CPU (the rate-limit tests
    verify dozens of passwords on a shared machine)."""
    from argon2 import PasswordHasher

    from accounts import passwords

    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    passwords.dummy_hash.cache_clear()
    yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def db(tmp_path):
    database = AccountsDB(f"sqlite:///{tmp_path / 'records.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """`tdkt user …` on a records database in tmp_path (as TDKT_BUILD_DIR gives it)."""
    monkeypatch.setenv("TDKT_BUILD_DIR", str(tmp_path))
    monkeypatch.delenv("TDKT_DATABASE_URL", raising=False)
    return tmp_path


def run(args: list[str], monkeypatch, capsys, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# ---- the tables ----

def test_migrations_make_exactly_the_models_tables(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == head_revision()
        assert "alembic_version" not in sa.inspect(conn).get_table_names()   # the records' own table is theirs


def test_reopening_an_existing_database_keeps_its_users(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    first = AccountsDB(url)
    add_user(first, "nguyenvana", "Nguyễn Văn A", GOOD, "admin", "TINH-BN", "cli:test")
    first.dispose()
    again = AccountsDB(url)
    assert authenticate(again, "nguyenvana", GOOD, "10.0.0.1").roles == {"TINH-BN": "admin"}
    again.dispose()


@pytest.mark.parametrize("url,message", [
    ("not a url", "is not a database URL"),
    ("nosuchdb://x/y", "cannot use the records database"),
    ("sqlite:///{tmp}/garbage.sqlite3", "cannot open the records database"),
])
def test_a_bad_database_is_one_clear_line(cli_env, monkeypatch, capsys, url, message):
    (cli_env / "garbage.sqlite3").write_bytes(b"this is not a database, just words" * 100)
    monkeypatch.setenv("TDKT_DATABASE_URL", url.format(tmp=cli_env))
    code, _, err = run(["user", "list"], monkeypatch, capsys)
    assert code == 2 and message in err and "Traceback" not in err


# ---- passwords ----

WEAK = [
    ("", "empty"),
    ("   ", "empty"),
    ("abc12", "too short"),
    ("aaaaaaaaaaaa", "too few"),
    ("1212121212121", "too few"),
    ("nguyenvana-2025", "contains the login"),
    ("Mật khẩu 123", "commonest"),
    ("123456789a", "commonest"),
    ("x" * 5 + "abcdefgh" * 40, "too long"),
]


@pytest.mark.parametrize("password,why", WEAK)
def test_weak_passwords_are_refused_with_the_reason(password, why):
    with pytest.raises(WeakPassword, match=why):
        check_strength(password, "nguyenvana")


@pytest.mark.parametrize("password", [GOOD, "correct horse battery", "Tỉnh Bắc Ninh #7"])
def test_good_passwords_pass(password):
    check_strength(password, "nguyenvana")


def test_cli_add_never_stores_or_logs_the_clear_password(cli_env, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    code, out, err = run(["user", "add", "nguyenvana", "--name", "Nguyễn Văn A", "--role", "admin", "--unit", "TINH-BN",
                          "--password-stdin"], monkeypatch, capsys, GOOD + "\n")
    assert code == 0, err
    assert "nguyenvana" in out
    secret = GOOD.encode()
    for f in cli_env.glob("records.sqlite3*"):    # the database and any journal beside it
        assert secret not in f.read_bytes(), f
    assert GOOD not in out + err + caplog.text
    engine = sa.create_engine(f"sqlite:///{cli_env / 'records.sqlite3'}")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(User.password_hash)).scalar_one()
        dumped = "\n".join(str(row) for table in ("accounts_user", "accounts_event")
                           for row in conn.execute(sa.text(f"SELECT * FROM {table}")))
    engine.dispose()
    assert stored.startswith("$argon2id$") and GOOD not in dumped


@pytest.mark.parametrize("args,stdin,message", [
    (["--role", "admin", "--unit", "TINH-BN"], "\n", "the password is empty"),
    (["--role", "admin", "--unit", "TINH-BN"], "short\n", "too short"),
    (["--role", "admin", "--unit", "TỈNH BN"], GOOD + "\n", "not a unit code"),
])
def test_cli_add_refuses_bad_input_clearly(cli_env, monkeypatch, capsys, args, stdin, message):
    code, _, err = run(["user", "add", "tranthib", "--name", "Trần Thị B", *args, "--password-stdin"], monkeypatch, capsys, stdin)
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_duplicate_login_is_refused(cli_env, monkeypatch, capsys):
    add = ["user", "add", "NguyenVanA", "--name", "Nguyễn Văn A", "--role", "editor", "--unit", "TINH-BN", "--password-stdin"]
    assert run(add, monkeypatch, capsys, GOOD + "\n")[0] == 0
    code, _, err = run(add, monkeypatch, capsys, GOOD + "\n")
    assert code == 2 and "'nguyenvana' already exists" in err


def test_cli_list_role_passwd_and_log(cli_env, monkeypatch, capsys):
    run(["user", "add", "nguyenvana", "--name", "Nguyễn Văn A", "--role", "admin", "--unit", "TINH-BN", "--password-stdin"],
        monkeypatch, capsys, GOOD + "\n")
    assert run(["user", "role", "nguyenvana", "--unit", "XA-TIENDU", "--role", "editor"], monkeypatch, capsys)[0] == 0
    assert run(["user", "passwd", "nguyenvana", "--password-stdin"], monkeypatch, capsys, "Sông Cầu trong xanh 1\n")[0] == 0
    code, out, _ = run(["user", "list", "--json"], monkeypatch, capsys)
    assert json.loads(out) == [{"login": "nguyenvana", "name": "Nguyễn Văn A", "active": True,
                                "created": json.loads(out)[0]["created"], "roles": {"TINH-BN": "admin", "XA-TIENDU": "editor"}}]
    code, out, _ = run(["user", "log", "--json"], monkeypatch, capsys)
    events = json.loads(out)
    assert [e["kind"] for e in events] == ["password_changed", "role_changed", "user_added"]
    assert events[1]["detail"] == "XA-TIENDU: — → editor" and all(e["actor"].startswith("cli") for e in events)
    code, _, err = run(["user", "role", "lethic", "--unit", "TINH-BN", "--role", "viewer"], monkeypatch, capsys)
    assert code == 2 and "no user with login 'lethic'" in err
    code, _, err = run(["user", "passwd", "nguyenvana"], monkeypatch, capsys)   # stdin is no terminal
    assert code == 2 and "--password-stdin" in err


# ---- roles in units ----

TINH, XA, OTHER = "TINH-BN", "XA-TIENDU", "TINH-LS"
PARENT = {XA: TINH}


def ancestors(code):
    while code in PARENT:
        code = PARENT[code]
        yield code


ROLE_CASES = [
    # roles held,                  role asked, unit, with hierarchy?, allowed
    ({TINH: "editor"}, "editor", TINH, False, True),
    ({TINH: "viewer"}, "editor", TINH, False, False),
    ({TINH: "admin"}, "editor", TINH, False, True),
    ({TINH: "editor"}, "editor", OTHER, False, False),
    ({TINH: "editor"}, "editor", XA, False, False),     # no hierarchy given: the exact unit only
    ({TINH: "editor"}, "editor", XA, True, True),       # the tỉnh acts for its xã
    ({XA: "editor"}, "editor", TINH, True, False),      # never the other way up
    ({XA: "viewer", TINH: "admin"}, "admin", XA, True, True),
    ({TINH: "viewer"}, "editor", None, False, False),   # some unit
    ({OTHER: "editor"}, "editor", None, False, True),
    ({}, None, None, False, True),                      # logged in is enough
]


@pytest.mark.parametrize("roles,role,unit,hierarchy,allowed", ROLE_CASES)
def test_officer_can(roles, role, unit, hierarchy, allowed):
    officer = Officer(id=1, login="a", name="A", roles=roles)
    kwargs = {"unit_ancestors": lambda c: list(ancestors(c))} if hierarchy else {}
    assert officer.can(role, unit, **kwargs) is allowed


def test_actor_of_is_the_login():
    assert actor_of(Officer(id=3, login="tranthib", name="Trần Thị B")) == "tranthib"
    assert actor_of(None).startswith("cli")


def test_a_changed_password_or_role_ends_older_sessions(db):
    officer = add_user(db, "nguyenvana", "Nguyễn Văn A", GOOD, "editor", TINH, "cli:test")
    assert load_officer(db, officer.id, officer.session_version) == officer
    set_password(db, "nguyenvana", "Sông Cầu trong xanh 1", "cli:test")
    assert load_officer(db, officer.id, officer.session_version) is None
    changed = set_role(db, "nguyenvana", TINH, "viewer", "cli:test")
    assert load_officer(db, officer.id, changed.session_version).roles == {TINH: "viewer"}
    with pytest.raises(AccountError, match="no role in unit TINH-LS"):
        set_role(db, "nguyenvana", OTHER, None, "cli:test")


# ---- login and its rate limit ----

T0 = utcnow() + dt.timedelta(hours=1)   # after the accounts are made (events listed newest first)


def fail(db, login, client, at):
    with pytest.raises(LoginRefused) as refused:
        authenticate(db, login, "sai mật khẩu rồi", client, now=at)
    return refused.value


def test_five_failures_lock_the_login_for_fifteen_minutes(db):
    add_user(db, "nguyenvana", "Nguyễn Văn A", GOOD, "editor", TINH, "cli:test")
    for minute in range(5):
        assert fail(db, "nguyenvana", "10.0.0.1", T0 + dt.timedelta(minutes=minute)).wait is None
    with pytest.raises(LoginRefused) as refused:      # the right password, from another address: still refused
        authenticate(db, "nguyenvana", GOOD, "10.0.0.2", now=T0 + dt.timedelta(minutes=6))
    assert refused.value.wait == dt.timedelta(minutes=9)
    assert "thử lại sau 9 phút" in refused.value.message
    assert authenticate(db, "nguyenvana", GOOD, "10.0.0.2", now=T0 + dt.timedelta(minutes=15, seconds=1)).login == "nguyenvana"
    with db.session() as session:
        kinds = [e.kind for e in list_events(session, "nguyenvana")]
    assert kinds == ["login", "login_refused"] + ["login_failed"] * 5 + ["user_added"]


def test_a_success_clears_the_logins_count(db):
    add_user(db, "nguyenvana", "Nguyễn Văn A", GOOD, "editor", TINH, "cli:test")
    for minute in range(4):
        fail(db, "nguyenvana", "10.0.0.1", T0 + dt.timedelta(minutes=minute))
    authenticate(db, "nguyenvana", GOOD, "10.0.0.1", now=T0 + dt.timedelta(minutes=4))
    for minute in range(5, 9):
        assert fail(db, "nguyenvana", "10.0.0.1", T0 + dt.timedelta(minutes=minute)).wait is None


def test_one_address_trying_many_logins_is_stopped(db):
    add_user(db, "nguyenvana", "Nguyễn Văn A", GOOD, "editor", TINH, "cli:test")
    for n in range(ratelimit.MAX_FAILURES_PER_CLIENT):
        fail(db, f"doan{n}", "10.9.9.9", T0 + dt.timedelta(seconds=n))
    assert fail(db, "nguyenvana", "10.9.9.9", T0 + dt.timedelta(minutes=1)).wait is not None
    assert authenticate(db, "nguyenvana", GOOD, "10.0.0.1", now=T0 + dt.timedelta(minutes=1)).login == "nguyenvana"


def test_unknown_login_and_disabled_account_say_the_same(db):
    from accounts.users import set_active

    add_user(db, "nguyenvana", "Nguyễn Văn A", GOOD, "editor", TINH, "cli:test")
    set_active(db, "nguyenvana", False, "cli:test")
    assert fail(db, "khongco", "10.0.0.1", T0).message == "Tên đăng nhập hoặc mật khẩu không đúng."
    with pytest.raises(LoginRefused, match="không đúng"):
        authenticate(db, "nguyenvana", GOOD, "10.0.0.1", now=T0)


# ---- the session key ----

def test_session_key_is_made_once_into_a_private_file(tmp_path):
    key = session_secret(None, tmp_path / "build")
    path = tmp_path / "build" / "session_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) >= 32
    assert session_secret(None, tmp_path / "build") == key
    assert session_secret("đặt-trong-TDKT_SECRET_KEY-dài-đủ-32-ký-tự", tmp_path / "other") == "đặt-trong-TDKT_SECRET_KEY-dài-đủ-32-ký-tự"
    assert not (tmp_path / "other").exists()


# ---- the documentation says what the code does ----

def test_docs_name_the_commands_settings_and_limits():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    doc = (root / "docs" / "ACCOUNTS.md").read_text(encoding="utf-8")
    for command in ("tdkt user add", "tdkt user list", "tdkt user passwd", "tdkt user role", "tdkt user log"):
        assert command in readme, command
    for setting in ("TDKT_SECRET_KEY", "TDKT_COOKIE_SECURE"):
        assert setting in readme, setting
    from accounts.passwords import MIN_LENGTH
    from accounts.web import SESSION_COOKIE, SESSION_MAX_AGE
    assert f"After {ratelimit.MAX_FAILURES_PER_LOGIN} failed logins" in doc
    assert f"or {ratelimit.MAX_FAILURES_PER_CLIENT} from one client" in doc
    assert f"within {int(ratelimit.WINDOW.total_seconds() // 60)} minutes" in doc
    assert f"shorter than {MIN_LENGTH} characters" in doc
    assert f"lasting {SESSION_MAX_AGE // 3600} hours" in doc and f"`{SESSION_COOKIE}`" in doc


def test_an_unusable_key_file_gives_a_warning_and_a_key_for_this_process(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    (tmp_path / "session_secret").write_text("ngắn\n", encoding="utf-8")
    key = session_secret(None, tmp_path)
    assert len(key) >= 32 and "TDKT_SECRET_KEY" in caplog.text
