"""The served site under hostile requests and load, over real HTTP on loopback.

A uvicorn server runs in a thread on 127.0.0.1 (nothing else is ever contacted). Hostile requests
must be answered (a 4xx is an answer) and never be a 5xx; a bounded load of concurrent clients must
see zero errors. The load test's latencies are written to test-artifacts/load.json.
"""
import http.client
import json
import socket
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from indexer.kb import KnowledgeBase
from live_site import serving
from search_app.app import create_app

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def server(mini_build_dir):
    app = create_app(build_dir=mini_build_dir, kb=KnowledgeBase.open(mini_build_dir))
    with serving(app) as port:
        yield port


def _request(port: int, method: str, raw_path: bytes, body: bytes | None = None, headers=None) -> tuple[int, bytes]:
    """Send the path bytes exactly as given (http.client would refuse some of them)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        head = [method.encode() + b" " + raw_path + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
        for k, v in (headers or {}).items():
            head.append(f"{k}: {v}".encode())
        if body is not None:
            head.append(f"Content-Length: {len(body)}".encode())
        s.sendall(b"\r\n".join(head) + b"\r\n\r\n" + (body or b""))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[-1]


HOSTILE = [
    ("invalid UTF-8 in the query", "GET", b"/search?q=%FF%FE%FA"),
    ("invalid UTF-8 in an id", "GET", b"/doc/%FF%FE"),
    ("invalid UTF-8 in an API id", "GET", b"/api/documents/%C3%28"),
    ("control characters", "GET", b"/search?q=%00%01%1B%5B31m%7F"),
    ("query-language operators", "GET", b"/search?q=title%3A*+AND+(OR+NOT+%22%22+~2+%5E3"),
    ("traversal", "GET", b"/doc/..%2F..%2Fetc%2Fpasswd"),
    ("double-encoded traversal", "GET", b"/doc/%252e%252e%252fetc%252fpasswd"),
    ("a 100 kB query in the URL", "GET", b"/search?q=" + b"thi+%C4%91ua+" * 8000),
    ("a 100 kB JSON query", "GET", b"/api/search?q=" + b"khen+" * 20000),
    ("negative paging", "GET", b"/search?q=khen&page=-5"),
    ("absurd paging", "GET", b"/search?q=khen&page=99999999999999999999"),
    ("bad year filter", "GET", b"/search?q=khen&year_from=abc&year_to=%FF"),
]


@pytest.mark.parametrize("what,method,path", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_requests_are_answered_never_a_server_error(server, what, method, path):
    status, body = _request(server, method, path)
    assert status < 500, f"{what}: {status} {body[:300]!r}"
    assert b"<script" not in body.lower() or b"&lt;script" in body.lower()


@pytest.mark.parametrize("body", [
    "x" * 100_000,
    "Căn cứ Nghị định số 91/2017/NĐ-CP; " * 3000,
    "\x00\x01 <script>alert(1)</script> Chỉ thị 34-CT/TW",
])
def test_hostile_lookup_drafts_are_answered(server, body):
    status, resp = _request(server, "POST", b"/api/lookup", json.dumps({"text": body}).encode(),
                            {"Content-Type": "application/json"})
    assert status < 500, resp[:300]


def test_binary_body_is_refused_cleanly(server):
    status, _ = _request(server, "POST", b"/api/lookup", bytes(range(256)) * 10, {"Content-Type": "application/json"})
    assert 400 <= status < 500


LOAD_PATHS = [
    "/search?q=thi+%C4%91ua+y%C3%AAu+n%C6%B0%E1%BB%9Bc", "/search?q=khen+thuong", "/api/search?q=200%2FKH-UBND",
    "/doc/200-kh-ubnd-2021", "/doc/1419-vks-vp-2021", "/api/documents/200-kh-ubnd-2021/citations",
    "/doc/200-kh-ubnd-2021/chain", "/glossary", "/api/status", "/doc/no-such-document",
]


def test_load_of_concurrent_clients_has_zero_errors(server):
    clients, per_client, budget = 6, 20, 120.0
    started = time.monotonic()

    def client(n: int) -> list[tuple[str, int, float]]:
        out = []
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
        for i in range(per_client):
            if time.monotonic() - started > budget:
                break
            path = LOAD_PATHS[(n + i) % len(LOAD_PATHS)]
            t = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            out.append((path, resp.status, time.perf_counter() - t))
        conn.close()
        return out

    with ThreadPoolExecutor(clients) as pool:
        results = [r for rs in pool.map(client, range(clients)) for r in rs]
    errors = [(p, s) for p, s, _ in results if s != (404 if "no-such" in p else 200)]
    assert not errors, errors[:10]
    assert len(results) >= clients * per_client // 2
    latencies = sorted(t for _, _, t in results)
    report = {"clients": clients, "requests": len(results), "errors": len(errors),
              "p50_ms": round(statistics.median(latencies) * 1000, 1),
              "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
              "max_ms": round(latencies[-1] * 1000, 1),
              "seconds": round(time.monotonic() - started, 2)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=1))
    print("load test:", report)
