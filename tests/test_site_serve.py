"""`tdkt serve` end to end: builds the knowledge base when it is missing (lexical only, so the site
answers at once), then serves the pages and the API on the port it is given."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest_site import site_build_dir
from live_site import free_port

ROOT = Path(__file__).resolve().parent.parent


def _serve(args: list[str], port: int) -> subprocess.Popen:
    env = dict(os.environ, TDKT_EMBEDDER="none", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)


def _get(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status, r.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_an_existing_knowledge_base():
    port = free_port()
    proc = _serve(["--build-dir", str(site_build_dir())], port)
    try:
        status, body = _get(f"http://127.0.0.1:{port}/api/status", time.monotonic() + 30)
        assert status == 200 and json.loads(body)["embedding"]["state"] == "lexical-only"
        status, page = _get(f"http://127.0.0.1:{port}/search?q=Ch%E1%BB%89+th%E1%BB%8B+34-CT%2FTW", time.monotonic() + 10)
        assert status == 200 and "kết quả cho" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_builds_the_knowledge_base_when_missing(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    src = ROOT / "corpus" / "documents" / "seeds" / "004_0bc12b19801fe739.txt"
    (corpus / src.name).write_bytes(src.read_bytes())
    port = free_port()
    proc = _serve(["--build-dir", str(tmp_path / "build"), "--corpus-dir", str(corpus)], port)
    try:
        status, body = _get(f"http://127.0.0.1:{port}/api/status", time.monotonic() + 60)
        assert status == 200 and json.loads(body)["counts"]["documents"] >= 1
        assert (tmp_path / "build" / "current").exists()
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
    assert "building it from" in out


def test_serve_refuses_a_bad_port():
    r = subprocess.run([sys.executable, "-m", "search_app.cli", "serve", "--port", "70000"], capture_output=True,
                       text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 2 and "--port 70000" in r.stderr
