"""A running site follows new builds, over real HTTP on loopback, with no 5xx at any point.

A uvicorn server runs in a thread over build A (as `tdkt serve` runs it: the app is handed the
opened knowledge base and the build folder); clients keep asking for documents and searches while
the corpus is rebuilt to B (one more text) and to C (one text fewer). Requests must see each new
build, and no build may delete the folder the server still reads.
"""
from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from indexer import kb_layout as layout
from indexer.build import build_kb
from indexer.kb import KnowledgeBase
from search_app.app import create_app
from search_app.deps import KBHolder
from live_site import free_port, serving

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "documents" / "seeds"
PLAN = "004-0bc12b19801fe739"           # seed 004, in A, B and C
FORWARDED = "200-kh-ubnd-2021"          # seed 000, in A and B only
PROGRAMME_FILE = "003_fa92d7c2e2e7d313.txt"   # in B and C only


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _corpus(root: Path, files: list[str]) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in files:
        shutil.copy(SEEDS / name, root / name)
    return root


@pytest.fixture
def served(tmp_path):
    """(port, build_dir, corpus_dir) of a server answering from build A."""
    build_dir = tmp_path / "b"
    corpus = _corpus(tmp_path / "corpus", ["000_a299be4920220d80.txt", "004_0bc12b19801fe739.txt"])
    build_kb(corpus, build_dir)
    app = create_app(build_dir=build_dir, kb=KnowledgeBase.open(build_dir))
    with serving(app) as port:
        yield port, build_dir, corpus


class Clients:
    """Threads asking for pages until stopped; every answer is recorded."""

    PATHS = [f"/doc/{PLAN}", f"/api/documents/{PLAN}", f"/doc/{FORWARDED}", f"/api/documents/{FORWARDED}/citations",
             "/search?q=k%E1%BA%BF+ho%E1%BA%A1ch", "/api/search?q=thi+%C4%91ua", f"/doc/{PLAN}/chain", "/api/status"]

    def __init__(self, port: int, n: int = 3):
        self.port, self.answers, self._stop = port, [], threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(n)]

    def _run(self, k: int) -> None:
        i = k
        while not self._stop.is_set():
            path = self.PATHS[i % len(self.PATHS)]
            self.answers.append((path, _get(self.port, path)[0]))
            i += 1

    def __enter__(self) -> "Clients":
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)


def _documents(port: int, expected: int) -> int:
    """The site's document count, asked until it is ``expected`` (the site opens and warms a new
    build in the background, answering from the previous one meanwhile) or 30 s have passed."""
    deadline = time.monotonic() + 30
    while True:
        status, body = _get(port, "/api/status")
        assert status == 200
        count = json.loads(body)["counts"]["documents"]
        if count == expected or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def test_the_site_follows_each_new_build_with_no_server_error(served, tmp_path):
    port, build_dir, corpus = served
    folder_a = layout.current_kb(build_dir)
    with Clients(port) as clients:
        assert _documents(port, 3) == 3
        # B: one more text
        shutil.copy(SEEDS / PROGRAMME_FILE, corpus / PROGRAMME_FILE)
        b = build_kb(corpus, build_dir)
        assert _documents(port, 4) == 4
        programme = next(m["id"] for m in json.loads((b.kb_dir / layout.MANIFEST).read_text(encoding="utf-8"))["documents"]
                         if m["source_file"] == PROGRAMME_FILE)
        assert _get(port, f"/doc/{programme}")[0] == 200
        assert _get(port, f"/api/documents/{programme}")[0] == 200
        time.sleep(0.5)                 # the clients answer from B for a while
        # C: one text fewer (the forwarded plan and its cover letter go)
        (corpus / "000_a299be4920220d80.txt").unlink()
        build_kb(corpus, build_dir)
        assert _documents(port, 2) == 2
        assert _get(port, f"/doc/{FORWARDED}")[0] == 404
        assert _get(port, f"/doc/{programme}")[0] == 200
        time.sleep(0.5)
    assert len(clients.answers) > 20
    errors = [(p, s) for p, s in clients.answers if s >= 500]
    assert not errors, errors[:10]
    build_kb(corpus, build_dir, force=True)
    assert not folder_a.exists()        # the site moved on and let A go: its folder is removed, nothing leaks


def test_a_request_in_flight_keeps_its_knowledge_base_until_it_is_answered(tmp_path):
    build_dir = tmp_path / "b"
    corpus = _corpus(tmp_path / "corpus", ["004_0bc12b19801fe739.txt"])
    build_kb(corpus, build_dir)
    holder = KBHolder(build_dir)
    slow = holder.acquire()                           # a request still answering from A
    for _ in range(2):
        build_kb(corpus, build_dir, force=True)
        assert holder.refresh() is not slow           # new requests answer from the new build
    assert slow.dir.is_dir() and slow.document(PLAN) is not None and slow.searcher.search("kế hoạch").total > 0
    holder.release(slow)                              # answered: A is closed (its lease released) …
    build_kb(corpus, build_dir, force=True)
    assert not slow.dir.exists()                      # … and the next build removes it
    assert holder.refresh().document(PLAN) is not None


def test_a_new_build_that_does_not_open_keeps_the_old_one_serving(tmp_path):
    build_dir = tmp_path / "b"
    corpus = _corpus(tmp_path / "corpus", ["004_0bc12b19801fe739.txt"])
    build_kb(corpus, build_dir)
    holder = KBHolder(build_dir)
    old = holder.get()
    new = build_kb(corpus, build_dir, force=True)
    passages = new.kb_dir / layout.PASSAGES
    passages.write_bytes(passages.read_bytes()[:100])   # damaged after it was swapped in
    assert holder.refresh() is old and "passages.jsonl" in holder.last_error
    assert holder.get() is old
    assert old.document(PLAN) is not None


def test_tdkt_serve_follows_a_tdkt_build(tmp_path):
    """The real commands, in two processes: `tdkt serve` answers from what `tdkt build` builds next."""
    import os
    import subprocess
    import sys

    build_dir = tmp_path / "b"
    corpus = _corpus(tmp_path / "corpus", ["004_0bc12b19801fe739.txt"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")} | {"TDKT_EMBEDDER": "none",
                                                                              "PYTHONPATH": str(ROOT)}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--port", str(port),
                             "--build-dir", str(build_dir), "--corpus-dir", str(corpus)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _documents(port, 1) == 1:
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "tdkt serve did not start"
                time.sleep(0.2)
        first = layout.current_kb(build_dir)
        for n, name in enumerate(["003_fa92d7c2e2e7d313.txt", "000_a299be4920220d80.txt"]):
            shutil.copy(SEEDS / name, corpus / name)
            r = subprocess.run([sys.executable, "-m", "search_app.cli", "build", "--corpus-dir", str(corpus),
                                "--build-dir", str(build_dir), "--quiet"], env=env, cwd=ROOT,
                               capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            assert _documents(port, 2 + 2 * n) == 2 + 2 * n     # 1 + the programme; then + letter and plan
            assert _get(port, f"/doc/{PLAN}")[0] == 200
        assert _get(port, f"/doc/{FORWARDED}")[0] == 200
        assert not first.exists()        # the server let the first build go; the second build removed it
    finally:
        proc.terminate()
        proc.wait(timeout=10)
