"""A `tdkt serve` started by the benchmarks (`tdkt bench --http`, tooling.serve_load): a free
loopback port, the wait until it answers in the mode wanted, its processes' CPU time and peak
memory read from /proc, and its stop."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, want_mode: str, timeout: float = 600) -> tuple[float, float]:
    """(seconds until the first answer, seconds until it answers in ``want_mode``: "lexical" or
    "hybrid"), from now; a RuntimeError when the server exits or is not ready within ``timeout``."""
    import httpx

    t0, first = time.perf_counter(), None
    with httpx.Client(timeout=30) as c:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"tdkt serve exited ({proc.returncode}): {(proc.stderr.read() or '')[-800:]}")
            try:
                r = c.get(f"{url}/api/search", params={"q": "thi đua"})
                if r.status_code == 200:
                    first = first if first is not None else time.perf_counter() - t0
                    if r.json().get("mode") == want_mode:
                        return round(first, 2), round(time.perf_counter() - t0, 2)
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.1)
    raise RuntimeError(f"tdkt serve did not answer in {want_mode} mode within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    """Terminate the server, killing it if it has not stopped after 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def process_tree(pid: int) -> list[int]:
    """pid and its descendants (the uvicorn workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            kids = []
        todo.extend(int(k) for k in kids)
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def peak_mb(pids: list[int]) -> float | None:
    """The sum of the processes' peak resident memory (VmHWM), in MB; None when none could be read."""
    total, read = 0.0, False
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total, read = total + int(line.split()[1]) / 1024.0, True
        except OSError:
            pass
    return round(total, 1) if read else None
