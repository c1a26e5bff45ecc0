"""Faults of `tdkt build`, each reproduced with real texts and a crash injected at a named step:

1. TDKT_CORPUS_DIR is the corpus `tdkt build` builds (not the bundled one);
2. a kill at any step of the swap leaves a complete knowledge base serving (the previous one until
   ``current`` is swapped) and a running site answering, and the next build succeeds;
3. no build removes a folder a reader still holds (its lease), and the swap never replaces a folder
   in place;
4. a truncated or changed file of the knowledge base is detected — by the reader on open (one line
   naming the file), by `tdkt search` (no traceback), by `tdkt build` (which rebuilds, naming it);
5. two files claiming one document are reported, and the fuller text keeps the id.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexer import build as build_mod
from indexer import kb_layout as layout
from indexer.build import build_kb
from indexer.kb import KnowledgeBase, KnowledgeBaseDamaged
from search_app.app import create_app

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_corpus"
DOCS = ROOT / "corpus" / "documents"
TDKT = Path(sys.executable).parent / "tdkt"
PLAN = "004-0bc12b19801fe739"          # the Bắc Kạn office plan (seed 004), in every corpus here


@pytest.fixture
def corpus(tmp_path) -> Path:
    d = tmp_path / "corpus"
    shutil.copytree(MINI, d, ignore=shutil.ignore_patterns("README.md"))
    return d


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """One real seed (the Bắc Kạn plan): the quickest real build, for tests that build many times."""
    d = tmp_path / "small"
    d.mkdir()
    shutil.copy(MINI / "004_0bc12b19801fe739.txt", d)
    return d


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TDKT_")}
    return env | {"TDKT_EMBEDDER": "none", **extra}


# --- 1. TDKT_CORPUS_DIR ----------------------------------------------------------------------------
def test_build_honours_the_corpus_dir_setting(corpus, tmp_path):
    ok = subprocess.run([str(TDKT), "build", "--build-dir", str(tmp_path / "b"), "--quiet"],
                        capture_output=True, text=True, env=_env(TDKT_CORPUS_DIR=str(corpus)))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("3 documents") and "from 2 files" in ok.stdout   # not the 95 bundled files
    manifest = json.loads((tmp_path / "b" / "current" / layout.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["corpus_dir"] == str(corpus)
    bad = subprocess.run([str(TDKT), "build", "--build-dir", str(tmp_path / "b2")], capture_output=True, text=True,
                         env=_env(TDKT_CORPUS_DIR=str(tmp_path / "nope")))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "TDKT_CORPUS_DIR" in bad.stderr and str(tmp_path / "nope") in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


# --- 2. a kill at every step of the swap -----------------------------------------------------------
class Killed(BaseException):
    """A kill: not an Exception, so no handler of the build catches it."""


def _kill_at(monkeypatch, step: str) -> None:
    def reached(name: str) -> None:
        if name == step:
            raise Killed(step)
    monkeypatch.setattr(build_mod, "_reached", reached)


def _answers(build_dir: Path) -> Path:
    """The knowledge base a fresh reader opens answers a document and a search; its folder."""
    with KnowledgeBase.open(build_dir) as kb:
        assert kb.document(PLAN) is not None and kb.document(PLAN).sections
        assert kb.searcher.search("kế hoạch").total > 0
        return kb.dir


def test_the_swap_steps_are_the_ones_a_build_takes(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(build_mod, "check_glossary", lambda docs: [])
    seen = []
    monkeypatch.setattr(build_mod, "_reached", seen.append)
    build_kb(small_corpus, tmp_path / "b")
    build_kb(small_corpus, tmp_path / "b", force=True)
    build_kb(small_corpus, tmp_path / "b", force=True)   # the third has a stale folder to remove
    assert [s for s in seen[-len(build_mod.SWAP_STEPS):]] == list(build_mod.SWAP_STEPS)


def test_a_kill_before_the_new_folder_is_moved_into_place_keeps_the_old_one(small_corpus, tmp_path, monkeypatch):
    """The reported case: `--force` on unchanged inputs killed just before the new folder is renamed
    into place (the old code had removed the folder ``current`` pointed at by then). The kill point
    is the rename itself, so this needs no hook of the build."""
    build_dir = tmp_path / "b"
    build_kb(small_corpus, build_dir)
    app = create_app(build_dir=build_dir)
    real_rename, real_replace = os.rename, os.replace

    def killed_when_moving_the_new_folder(move):
        def wrapper(src, dst, *args, **kwargs):
            if Path(src).name.startswith("kb-") and ".tmp-" in Path(src).name:
                raise Killed("renaming the new knowledge base into place")
            return move(src, dst, *args, **kwargs)
        return wrapper

    with TestClient(app) as client:
        assert client.get(f"/doc/{PLAN}").status_code == 200
        monkeypatch.setattr(os, "rename", killed_when_moving_the_new_folder(real_rename))
        monkeypatch.setattr(os, "replace", killed_when_moving_the_new_folder(real_replace))
        with pytest.raises(Killed):
            build_kb(small_corpus, build_dir, force=True)
        monkeypatch.undo()
        _answers(build_dir)
        for path in (f"/doc/{PLAN}", f"/api/documents/{PLAN}", f"/doc/{PLAN}/chain"):
            assert client.get(path).status_code == 200, path
    assert not build_kb(small_corpus, build_dir, force=True).up_to_date
    _answers(build_dir)


def test_a_kill_at_any_step_of_the_swap_leaves_the_knowledge_base_serving(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(build_mod, "check_glossary", lambda docs: [])   # 1 s a build, unrelated to the swap
    build_dir = tmp_path / "b"
    build_kb(small_corpus, build_dir)
    build_kb(small_corpus, build_dir, force=True)
    app = create_app(build_dir=build_dir)              # a running site, following builds
    with TestClient(app) as client:
        for step in build_mod.SWAP_STEPS:
            # the site moves to the current build, so the one before it is stale: the build removes it
            assert client.get(f"/doc/{PLAN}").status_code == 200
            app.state.kb_holder.refresh()
            before = layout.current_kb(build_dir)
            _kill_at(monkeypatch, step)
            with pytest.raises(Killed):
                build_kb(small_corpus, build_dir, force=True)   # --force on unchanged inputs
                pytest.fail(f"the build never reached {step!r}: {sorted(p.name for p in build_dir.glob('kb-*'))}")
            monkeypatch.setattr(build_mod, "_reached", lambda name: None)
            now = _answers(build_dir)
            if build_mod.SWAP_STEPS.index(step) < build_mod.SWAP_STEPS.index("swapped"):
                assert now == before, f"killed at {step!r}: current moved"
            else:
                assert now != before and before.is_dir(), f"killed at {step!r}"
            for path in (f"/doc/{PLAN}", f"/api/documents/{PLAN}", "/search?q=k%E1%BA%BF+ho%E1%BA%A1ch"):
                r = client.get(path)
                assert r.status_code == 200, f"killed at {step!r}: {path} answered {r.status_code}"
            after = build_kb(small_corpus, build_dir, force=True)   # the next build succeeds
            assert _answers(build_dir) == after.kb_dir
    assert build_kb(small_corpus, build_dir).up_to_date        # and clears what the kills left half-done
    assert not [p.name for p in build_dir.glob("kb-*") if ".tmp-" in p.name or ".trash-" in p.name]


KILL_SCRIPT = """
import os, sys
from indexer import build as b
step = sys.argv[1]
b._reached = lambda name: os._exit(9) if name == step else None
b.check_glossary = lambda docs: []
b.build_kb(sys.argv[2], sys.argv[3], force=True)
"""


@pytest.mark.parametrize("step", ["renamed", "stale-renamed"])   # the old gap, and mid-removal
def test_a_process_killed_in_the_swap_leaves_the_knowledge_base_serving(small_corpus, tmp_path, step):
    """The same with a real process death (os._exit: no cleanup of any kind runs)."""
    build_dir = tmp_path / "b"
    build_kb(small_corpus, build_dir)
    build_kb(small_corpus, build_dir, force=True)
    before = layout.current_kb(build_dir)
    r = subprocess.run([sys.executable, "-c", KILL_SCRIPT, step, str(small_corpus), str(build_dir)],
                       cwd=ROOT, env=_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert r.returncode == 9, r.stderr[-2000:]
    now = _answers(build_dir)
    assert now == before if step == "renamed" else now != before
    assert build_kb(small_corpus, build_dir, force=True).kb_dir == _answers(build_dir)


# --- 3. leases -------------------------------------------------------------------------------------
def test_no_build_removes_a_folder_a_reader_holds(small_corpus, tmp_path):
    build_dir = tmp_path / "b"
    build_kb(small_corpus, build_dir)
    reader = KnowledgeBase.open(build_dir)               # e.g. a server answering from it
    for _ in range(3):
        build_kb(small_corpus, build_dir, force=True)
    assert reader.dir.is_dir() and reader.dir != layout.current_kb(build_dir)
    assert reader.document(PLAN) is not None and reader.searcher.search("kế hoạch").total > 0
    reader.close()
    build_kb(small_corpus, build_dir, force=True)
    assert not reader.dir.exists()                       # released: the next build removes it
    kept = sorted(p.name for p in build_dir.glob("kb-*"))
    assert len(kept) == 2                                # current and the previous one


# --- 4. damaged files ------------------------------------------------------------------------------
def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGED = ["passages.jsonl", "graph.json", "registry.json", f"documents/{PLAN}.json", f"documents/{PLAN}.md"]


@pytest.mark.parametrize("rel", DAMAGED)
def test_a_truncated_file_is_named_on_open_and_rebuilt(small_corpus, tmp_path, rel):
    corpus = small_corpus
    build_dir = tmp_path / "b"
    first = build_kb(corpus, build_dir)
    _truncate(first.kb_dir / rel)
    with pytest.raises(KnowledgeBaseDamaged) as err:
        KnowledgeBase.open(build_dir)
    assert rel in str(err.value) and "truncated" in str(err.value) and "\n" not in str(err.value)
    search = subprocess.run([str(TDKT), "search", "kế hoạch", "--build-dir", str(build_dir)],
                            capture_output=True, text=True, env=_env())
    assert search.returncode == 2 and "Traceback" not in search.stderr
    assert rel in search.stderr and len(search.stderr.strip().splitlines()) == 1
    again = subprocess.run([str(TDKT), "build", "--corpus-dir", str(corpus), "--build-dir", str(build_dir), "--quiet"],
                           capture_output=True, text=True, env=_env())
    assert again.returncode == 0, again.stderr
    assert "up to date" not in again.stdout and rel in again.stdout and "rebuilt" in again.stdout
    with KnowledgeBase.open(build_dir, verify="full") as kb:
        assert kb.searcher.search("kế hoạch").total > 0 and kb.document(PLAN) is not None
    assert build_kb(corpus, build_dir).up_to_date


def test_a_changed_file_of_the_same_size_is_caught_by_its_sha256(corpus, tmp_path):
    build_dir = tmp_path / "b"
    first = build_kb(corpus, build_dir)
    path = first.kb_dir / layout.PASSAGES
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01                       # one bit: same size, other content
    path.write_bytes(bytes(data))
    KnowledgeBase.open(build_dir).close()               # the cheap check (sizes) lets it through …
    with pytest.raises(KnowledgeBaseDamaged, match="passages.jsonl does not match its sha256"):
        KnowledgeBase.open(build_dir, verify="full")    # … the full one does not
    rebuilt = build_kb(corpus, build_dir)
    assert not rebuilt.up_to_date and "passages.jsonl" in rebuilt.repaired and "passages.jsonl" in rebuilt.line()
    KnowledgeBase.open(build_dir, verify="full").close()


def test_a_passages_file_that_does_not_parse_is_a_clear_error(corpus, tmp_path):
    """Even a knowledge base written without file digests (an older one) never shows a traceback."""
    build_dir = tmp_path / "b"
    first = build_kb(corpus, build_dir)
    manifest = json.loads((first.kb_dir / layout.MANIFEST).read_text(encoding="utf-8"))
    del manifest["files"]
    (first.kb_dir / layout.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _truncate(first.kb_dir / layout.PASSAGES)
    with KnowledgeBase.open(build_dir) as kb, pytest.raises(KnowledgeBaseDamaged, match="passages.jsonl line"):
        kb.passages


def test_serve_rebuilds_a_knowledge_base_with_a_truncated_file(corpus, tmp_path):
    from indexer.build import open_or_build

    summary = build_kb(corpus, tmp_path / "b")
    _truncate(summary.kb_dir / layout.PASSAGES)
    said = []
    kb = open_or_build(tmp_path / "b", corpus, say=said.append)
    assert any("passages.jsonl" in s and "rebuilding" in s for s in said), said
    assert kb.searcher.search("kế hoạch").total > 0


# --- 5. two files claiming one document ------------------------------------------------------------
FRAGMENT = "NGHỊ ĐỊNH SỐ 91/2017/NĐ-CP QUY ĐỊNH CHI TIẾT THI HÀNH MỘT SỐ ĐIỀU CỦA LUẬT THI ĐUA, KHEN THƯỞNG\n"


def test_a_fragment_never_takes_the_id_of_the_full_decree(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DOCS / "extra" / "91_2017_NĐ-CP.txt", corpus)          # the 80-article decree
    shutil.copy(DOCS / "extra" / "12_2019_TT-BNV.txt", corpus)         # a circular citing it
    (corpus / "91_2017_trich.txt").write_text(FRAGMENT, encoding="utf-8")  # a one-line fragment
    summary = build_kb(corpus, tmp_path / "b")
    kb = KnowledgeBase.open(tmp_path / "b")
    decree = kb.document("91-2017-nd-cp")
    assert decree.source_file == "91_2017_NĐ-CP.txt"
    assert sum(1 for s in decree.sections if s.kind == "dieu") == 80
    fragment = next(m for m in kb.documents_meta() if m["source_file"] == "91_2017_trich.txt")
    assert fragment["id"] != "91-2017-nd-cp"
    claims = [w for w in summary.warnings if "91_2017_trich.txt" in w and "91_2017_NĐ-CP.txt" in w]
    assert len(claims) == 1 and "91-2017-nd-cp" in claims[0] and "fragment" in claims[0]
    # every citation of the decree leads to the decree, not to the fragment
    circular = kb.document("12-2019-tt-bnv")
    cited = [c for c in circular.citations if c.canonical == "91/2017/NĐ-CP"]
    assert cited
    for c in cited:
        assert kb.registry.get(c.target).corpus_doc_id == "91-2017-nd-cp"


def test_a_full_text_keeps_its_id_over_its_codified_copy(tmp_path):
    """The usual pair (a full text and its pháp điển copy, here the copy is the longer one): the full
    text keeps the id, the copy is "-phap-dien", and the pair is named in one warning."""
    corpus = tmp_path / "corpus"
    (corpus / "phapdien_29_1").mkdir(parents=True)
    shutil.copy(DOCS / "extra" / "15_2003_QH11.txt", corpus)
    shutil.copy(DOCS / "extra" / "phapdien_29_1" / "15_2003_QH11.txt", corpus / "phapdien_29_1")
    summary = build_kb(corpus, tmp_path / "b")
    kb = KnowledgeBase.open(tmp_path / "b")
    assert kb.document("15-2003-qh11").source_file == "15_2003_QH11.txt"
    assert kb.document("15-2003-qh11-phap-dien").source_file == "phapdien_29_1/15_2003_QH11.txt"
    assert [w for w in summary.warnings if "both claim document 15-2003-qh11" in w]
