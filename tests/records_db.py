"""Fixtures of the records tests: a fresh records database per test, on SQLite always and on
PostgreSQL when a server can be started here (Debian's postgresql package: initdb into a
temporary folder, run as the postgres user when we are root). Import with
``from records_db import records_db, pg_server  # noqa: F401``."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

BACKENDS = ["sqlite", "postgresql"]


def _pg_bin() -> Path | None:
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None)
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in cmd)]


@pytest.fixture(scope="session")
def pg_server():
    """(socket folder, port) of a PostgreSQL server of our own, or skip."""
    bindir = _pg_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="tdkt-pg-"))
    data, port = folder / "data", _free_port()
    if os.geteuid() == 0:
        try:
            shutil.chown(folder, "postgres")
        except (LookupError, OSError):
            pytest.skip("no postgres user to run the server as")
    try:
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                        "--no-sync", "-E", "UTF8"]), check=True, capture_output=True, timeout=120)
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"),
                                        "-o", f"-k {folder} -p {port} -c listen_addresses= -c fsync=off", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start PostgreSQL: {getattr(exc, 'stderr', b'') or exc}")
    yield folder, port
    subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                   capture_output=True, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


def _pg_database(server) -> str:
    import psycopg
    folder, port = server
    name = "tdkt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(host=str(folder), port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={folder}&port={port}"


@pytest.fixture(params=BACKENDS)
def records_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    return _pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def records_db(records_url):
    from records.db import close_all, open_db
    yield open_db(records_url)
    close_all()
