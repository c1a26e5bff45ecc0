"""The main job — build the knowledge base, embed, serve, answer a search — works with no network.

Runs `tdkt` in a fresh network namespace (`unshare -rn`: only a loopback device, no route out), so
anything that tried to download a model or reach the web would fail here.
"""
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "mini_corpus"
TDKT = Path(sys.executable).parent / "tdkt"


def _can_unshare() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _can_unshare(), reason="needs `unshare -rn` and `ip` to make a namespace without network")


def test_build_embed_serve_and_search_without_network(tmp_path):
    build = tmp_path / "build"
    check = textwrap.dedent(f"""
        import json, socket, sys, time, urllib.request
        try:
            socket.create_connection(("1.1.1.1", 80), timeout=2)
            sys.exit("network is reachable: the test would prove nothing")
        except OSError:
            pass
        for _ in range(150):
            try:
                with urllib.request.urlopen("http://127.0.0.1:8765/api/search?q=K%E1%BA%BF+ho%E1%BA%A1ch+200%2FKH-UBND", timeout=5) as r:
                    body = json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("the site never answered")
        print(json.dumps(body, ensure_ascii=False)[:2000])
    """)
    script = f"""
        set -e
        ip link set lo up
        export HF_HUB_OFFLINE=0 TRANSFORMERS_OFFLINE=0
        "{TDKT}" build --corpus-dir "{FIXTURE}" --build-dir "{build}" --embed --quiet
        "{TDKT}" search --build-dir "{build}" --json "thi đua yêu nước" > "{tmp_path}/search.json"
        "{TDKT}" serve --build-dir "{build}" --port 8765 > "{tmp_path}/serve.log" 2>&1 &
        pid=$!
        trap 'kill $pid 2>/dev/null || true' EXIT
        "{sys.executable}" -c '{check}'
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "HTTPS", "http", "https"))}
    proc = subprocess.run(["unshare", "-rn", "bash", "-c", script], capture_output=True, text=True,
                          timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "200/KH-UBND" in proc.stdout
    assert "thi đua" in (tmp_path / "search.json").read_text(encoding="utf-8")
