"""Faults a real deployment meets: a rebuild while serving (vectors attached again, two rebuilds at
once), HEAD requests, and clients that hold connections (a body shorter than its Content-Length,
a connection that never sends its headers).

The connection tests run a real uvicorn server, configured as `tdkt serve` configures it (shorter
timeouts), in a thread on 127.0.0.1 only, and talk to it with raw sockets. Every wait is bounded.
"""
from __future__ import annotations

import hashlib
import shutil
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import uvicorn
from fastapi.testclient import TestClient

import indexer.build
from conftest_site import open_site_kb
from indexer.build import build_kb
from search_app.app import create_app, start_embedding
from search_app.commands.serve import server_config
from search_app.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "documents" / "seeds"
TOKEN = "m4-quan-tri"


class HashEmbedder:
    """A tiny deterministic embedder (a text's hash → a unit vector): real vectors, no model."""

    name = "test-hash-16"
    dim = 16

    def _vec(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def embed_passages(self, texts):
        return np.vstack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        return self._vec(text)


def wait_until(predicate, seconds: float, step: float = 0.05):
    """predicate()'s first truthy value within ``seconds``, else the last value."""
    deadline = time.monotonic() + seconds
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = predicate()
    return value


@pytest.fixture()
def rebuildable(tmp_path):
    """A corpus of one seed, built; the settings of a site that may rebuild it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(SEEDS / "004_0bc12b19801fe739.txt", corpus / "004_0bc12b19801fe739.txt")
    build = tmp_path / "build"
    build_kb(corpus, build, embedder=None)
    return corpus, build, Settings(admin_token=TOKEN, corpus_dir=corpus, build_dir=build)


# --- 7. after a rebuild the vectors are attached again ------------------------------------
def test_after_a_rebuild_the_new_knowledge_base_is_embedded_again(rebuildable):
    corpus, build, settings = rebuildable
    app = create_app(build_dir=build, settings=settings, embedder=HashEmbedder())
    client = TestClient(app)
    start_embedding(app, app.state.kb_holder.get())          # as `tdkt serve` does at start
    state = lambda: client.get("/api/status").json()["embedding"]
    assert wait_until(lambda: state()["state"] == "ready", 30), state()

    shutil.copyfile(SEEDS / "002_b45f17150180dec5.txt", corpus / "002_b45f17150180dec5.txt")   # a new text
    r = client.post("/admin/rebuild", headers={"X-Admin-Token": TOKEN})
    assert r.status_code == 200 and r.json()["rebuilt"] is True
    status = client.get("/api/status").json()
    assert status["counts"]["documents"] == 2
    # embedding restarts for the new knowledge base: ready again, covering every passage of it
    assert wait_until(lambda: state()["state"] == "ready", 30), state()
    st = state()
    assert st["done"] == st["total"] == status["counts"]["passages"]
    assert client.get("/api/search", params={"q": "thi đua"}).json()["mode"] == "hybrid"


# --- 8. two rebuilds at once: the second is refused, in Vietnamese ------------------------
def test_two_rebuilds_at_once_the_second_is_refused_with_409(rebuildable, monkeypatch):
    corpus, build, settings = rebuildable
    client = TestClient(create_app(build_dir=build, settings=settings))
    inside, second_answered = threading.Event(), threading.Event()
    real = indexer.build.build_kb

    def held_build(*args, **kwargs):   # the first rebuild stays inside the build until the second is answered
        first = not inside.is_set()
        inside.set()
        if first:
            second_answered.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(indexer.build, "build_kb", held_build)
    answers: dict[str, object] = {}

    def post(name: str) -> None:
        answers[name] = client.post("/admin/rebuild", headers={"X-Admin-Token": TOKEN})
        if name == "second":
            second_answered.set()

    first = threading.Thread(target=post, args=("first",), daemon=True)
    first.start()
    assert inside.wait(10), "the first rebuild started"
    second = threading.Thread(target=post, args=("second",), daemon=True)
    second.start()
    second.join(5)      # today's code: the second runs a build too (and never answers while the first is held)
    second_answered.set()
    first.join(60)
    second.join(60)
    assert {n: r.status_code for n, r in answers.items()} == {"first": 200, "second": 409}
    body = answers["second"].json()
    assert body["status"] == 409 and "Đang dựng lại cơ sở dữ liệu" in body["detail"]
    assert answers["second"].headers["content-type"].startswith("application/json")
    # the lock is released: the next rebuild runs
    assert client.post("/admin/rebuild", headers={"X-Admin-Token": TOKEN}).status_code == 200


def test_a_failed_rebuild_releases_the_lock(rebuildable, monkeypatch):
    corpus, build, settings = rebuildable
    client = TestClient(create_app(build_dir=build, settings=settings), raise_server_exceptions=False)

    def broken(*args, **kwargs):
        raise OSError("đĩa đầy")

    monkeypatch.setattr(indexer.build, "build_kb", broken)
    assert client.post("/admin/rebuild", headers={"X-Admin-Token": TOKEN}).status_code == 500
    monkeypatch.undo()
    assert client.post("/admin/rebuild", headers={"X-Admin-Token": TOKEN}).status_code == 200


# --- 10. HEAD on every page ----------------------------------------------------------------
@pytest.fixture(scope="module")
def site():
    return TestClient(create_app(kb=open_site_kb()))


@pytest.mark.parametrize("path", ["/", "/search?q=thi+%C4%91ua", "/doc/200-kh-ubnd-2021", "/doc/200-kh-ubnd-2021/chain",
                                  "/lookup", "/glossary", "/docs", "/api/status", "/api/search?q=thi",
                                  "/openapi.json", "/static/site.css"])
def test_head_answers_like_get_without_a_body(site, path):
    get, head = site.get(path), site.head(path)
    assert get.status_code == 200
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_of_a_missing_page_is_404_and_of_a_post_only_route_405(site):
    assert site.head("/doc/khong-co-van-ban-nay").status_code == 404
    r = site.head("/admin/rebuild")
    assert r.status_code in (404, 405) and r.content == b""


# --- 9. connections a client holds are closed ---------------------------------------------
BODY_TIMEOUT = 1.0
HEADER_TIMEOUT = 2.0
KEEP_ALIVE = 1


@pytest.fixture(scope="module")
def http_server():
    """A server as `tdkt serve` runs it, with short timeouts, on 127.0.0.1 and a free port."""
    app = create_app(kb=open_site_kb(), body_timeout=BODY_TIMEOUT)
    config = server_config(app, "127.0.0.1", 0, keep_alive=KEEP_ALIVE, header_timeout=HEADER_TIMEOUT,
                           limit_concurrency=500, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    assert wait_until(lambda: server.started, 20), "server started"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield port
    server.should_exit = True
    thread.join(10)


def connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.settimeout(0.2)
    return s


def read_until_closed(s: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """What the server sent, and whether it closed the connection within ``seconds``."""
    data, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


SHORT_BODY = (b"POST /api/lookup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1000\r\n\r\n" + '{"text": "Căn cứ Luật'.encode())


def test_a_body_shorter_than_its_content_length_is_answered_408_and_closed(http_server):
    s = connect(http_server)
    try:
        started = time.monotonic()
        s.sendall(SHORT_BODY)
        data, closed = read_until_closed(s, BODY_TIMEOUT + 8)
        took = time.monotonic() - started
    finally:
        s.close()
    assert closed, f"the connection is still open after {took:.1f} s"
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408") and b"connection: close" in head.lower()
    assert "Nội dung yêu cầu không đến đủ" in body.decode("utf-8")
    assert took >= BODY_TIMEOUT * 0.9


def test_a_hundred_held_bodies_are_all_closed(http_server):
    sockets = [connect(http_server) for _ in range(100)]
    try:
        for s in sockets:
            s.sendall(SHORT_BODY)
        deadline = time.monotonic() + BODY_TIMEOUT + 10
        results = [read_until_closed(s, max(0.5, deadline - time.monotonic())) for s in sockets]
    finally:
        for s in sockets:
            s.close()
    assert sum(closed for _, closed in results) == 100
    assert all(data.startswith(b"HTTP/1.1 408") for data, _ in results)
    # and the server still answers
    s = connect(http_server)
    try:
        s.sendall(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data, closed = read_until_closed(s, 10)
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize("sent", [b"", b"GET /api/status HTTP/1.1\r\nHost: 127.0"])
def test_a_connection_that_never_completes_its_headers_is_closed(http_server, sent):
    s = connect(http_server)
    try:
        s.sendall(sent)
        data, closed = read_until_closed(s, HEADER_TIMEOUT + 8)
    finally:
        s.close()
    assert closed and data == b""


def test_an_unread_short_body_and_an_idle_keep_alive_are_closed(http_server):
    s = connect(http_server)
    try:
        # a GET route never reads the body: the answer comes, then keep-alive ends the connection
        s.sendall(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\nabc")
        data, closed = read_until_closed(s, KEEP_ALIVE + HEADER_TIMEOUT + 8)
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 200") and closed


def test_head_over_http_keeps_the_connection_framed(http_server):
    s = connect(http_server)
    try:   # HEAD then GET on one connection: the HEAD answer has headers only, the GET follows intact
        s.sendall(b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data, closed = read_until_closed(s, 10)
    finally:
        s.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"content-length:" in head.lower()
    assert rest.startswith(b"HTTP/1.1 200") and b'"embedding"' in rest and closed


def test_a_slow_but_complete_body_within_the_bound_is_answered(http_server):
    s = connect(http_server)
    try:
        body = '{"text": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"}'.encode()
        s.sendall(b"POST /api/lookup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
        time.sleep(BODY_TIMEOUT / 4)
        s.sendall(body[10:])
        data, closed = read_until_closed(s, 10)
    finally:
        s.close()
    assert data.startswith(b"HTTP/1.1 200") and b"06-2022-qh15" in data
