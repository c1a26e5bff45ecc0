"""`tdkt build` is incremental, deterministic and atomic, and bad files never stop it."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import build as build_mod
from indexer import kb_layout as layout
from indexer.build import build_kb
from indexer.kb import KnowledgeBase, KnowledgeBaseDamaged, KnowledgeBaseMissing

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_corpus"
SEED_003 = ROOT / "corpus" / "documents" / "seeds" / "003_fa92d7c2e2e7d313.txt"


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "corpus"
    shutil.copytree(MINI, d, ignore=shutil.ignore_patterns("README.md"))
    return d


def _docs_json(kb_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((kb_dir / "documents").glob("*.json"))}


def test_build_then_open(corpus, tmp_path):
    summary = build_kb(corpus, tmp_path / "b")
    kb = KnowledgeBase.open(tmp_path / "b")
    ids = {m["id"] for m in kb.documents_meta()}
    # the Công văn 1419/VKS-VP, the Kế hoạch 200/KH-UBND it forwards, and the Bắc Kạn plan
    assert "1419-vks-vp-2021" in ids and "200-kh-ubnd-2021" in ids
    assert summary.documents == len(ids) == 3
    assert kb.document("200-kh-ubnd-2021").doc_type == "Kế hoạch"
    assert kb.document("../../etc/passwd") is None


def test_rebuild_of_same_inputs_is_a_noop_and_deterministic(corpus, tmp_path):
    first = build_kb(corpus, tmp_path / "b")
    before = _docs_json(first.kb_dir)
    again = build_kb(corpus, tmp_path / "b")
    assert again.up_to_date and again.kb_dir == first.kb_dir
    forced = build_kb(corpus, tmp_path / "b", force=True)
    assert _docs_json(forced.kb_dir) == before


def test_only_changed_files_are_parsed_again(corpus, tmp_path):
    first = build_kb(corpus, tmp_path / "b")
    assert first.parsed == 2
    shutil.copy(SEED_003, corpus / SEED_003.name)
    second = build_kb(corpus, tmp_path / "b")
    assert second.parsed == 1 and second.documents == first.documents + 1
    assert second.kb_dir != first.kb_dir


def test_bad_files_are_reported_and_the_good_ones_built(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    summary = build_kb(corpus, tmp_path / "b")
    assert summary.documents == 3 and summary.refused == 2
    text = "\n".join(summary.warnings)
    assert "empty.txt" in text and "binary.txt" in text


def test_a_crash_mid_build_leaves_the_previous_knowledge_base_serving(corpus, tmp_path, monkeypatch):
    first = build_kb(corpus, tmp_path / "b")
    shutil.copy(SEED_003, corpus / SEED_003.name)

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash while writing the index")

    monkeypatch.setattr(build_mod, "write_kb", crash)
    with pytest.raises(RuntimeError):
        build_kb(corpus, tmp_path / "b")
    kb = KnowledgeBase.open(tmp_path / "b")
    assert kb.dir == first.kb_dir.resolve() and len(kb.documents_meta()) == 3
    monkeypatch.undo()
    assert build_kb(corpus, tmp_path / "b").documents == 4


def test_killing_a_build_leaves_the_previous_knowledge_base_serving(corpus, tmp_path):
    build_dir = tmp_path / "b"
    first = build_kb(corpus, build_dir)
    shutil.copy(SEED_003, corpus / SEED_003.name)
    tdkt = Path(sys.executable).parent / "tdkt"
    proc = subprocess.Popen([str(tdkt), "build", "--corpus-dir", str(corpus), "--build-dir", str(build_dir), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # kill it once it has started writing the new knowledge base
    while time.monotonic() < deadline and proc.poll() is None and not list(build_dir.glob("kb-*.tmp-*/documents")):
        time.sleep(0.005)
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kb = KnowledgeBase.open(build_dir)
    if killed:
        assert kb.dir == first.kb_dir.resolve()
        assert len(kb.documents_meta()) == 3
    assert kb.searcher.search("thi đua").total > 0
    # the next build recovers and leaves no half-written folder behind
    build_kb(corpus, build_dir)
    assert not list(build_dir.glob("kb-*.tmp-*"))


@pytest.mark.parametrize("engine, damage", [
    ("whoosh", "garbage"), ("whoosh", "emptied"),
    ("tantivy", "garbage"), ("tantivy", "emptied"),
])
def test_missing_and_damaged_knowledge_bases_say_so(corpus, tmp_path, monkeypatch, engine, damage):
    if engine == "tantivy":
        pytest.importorskip("tantivy")
    with pytest.raises(KnowledgeBaseMissing, match="tdkt build"):
        KnowledgeBase.open(tmp_path / "nothing")
    summary = build_kb(corpus, tmp_path / "b", lexical_engine=engine)
    assert summary.lexical_engine == engine
    for f in (summary.kb_dir / layout.LEXICAL).iterdir():
        if f.is_file():
            f.write_bytes(b"garbage") if damage == "garbage" else f.unlink()
    with pytest.raises(KnowledgeBaseDamaged, match="lexical index"):
        KnowledgeBase.open(tmp_path / "b")
    rebuilt = build_kb(corpus, tmp_path / "b")  # not "up to date": the damaged index is rebuilt
    assert not rebuilt.up_to_date
    assert rebuilt.lexical_engine == engine     # no engine asked for: the rebuild keeps the current one
    assert KnowledgeBase.open(tmp_path / "b").searcher.search("thi đua").total > 0


def test_manifest_without_counts_is_damaged(corpus, tmp_path):
    summary = build_kb(corpus, tmp_path / "b")
    (summary.kb_dir / layout.MANIFEST).write_text(json.dumps({"oops": 1}))
    with pytest.raises(KnowledgeBaseDamaged, match="incomplete or damaged"):
        KnowledgeBase.open(tmp_path / "b")


def test_cli_build_prints_a_summary_and_refuses_a_missing_folder(corpus, tmp_path):
    tdkt = Path(sys.executable).parent / "tdkt"
    ok = subprocess.run([str(tdkt), "build", "--corpus-dir", str(corpus), "--build-dir", str(tmp_path / "b"), "--quiet"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "3 documents" in ok.stdout
    bad = subprocess.run([str(tdkt), "build", "--corpus-dir", str(tmp_path / "nope")], capture_output=True, text=True)
    assert bad.returncode == 2 and "does not exist" in bad.stderr and "Traceback" not in bad.stderr


def test_serve_rebuilds_a_damaged_knowledge_base_instead_of_serving_it(corpus, tmp_path):
    from indexer.build import open_or_build

    summary = build_kb(corpus, tmp_path / "b")
    shutil.rmtree(summary.kb_dir / layout.LEXICAL)
    said = []
    kb = open_or_build(tmp_path / "b", corpus, say=said.append)
    assert any("lexical" in s and "rebuilding" in s for s in said)
    assert kb.searcher.search("thi đua").total > 0
