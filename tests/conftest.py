"""Shared fixtures: the mini corpus (two real seeds) built once per test session."""
import shutil
from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_corpus"


@pytest.fixture(scope="session")
def mini_build_dir(tmp_path_factory) -> Path:
    """A knowledge base built (lexical only) from tests/fixtures/mini_corpus; do not modify it."""
    from indexer.build import build_kb

    corpus = tmp_path_factory.mktemp("mini_corpus")
    shutil.copytree(MINI, corpus, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    build_dir = tmp_path_factory.mktemp("mini_build")
    build_kb(corpus, build_dir)
    return build_dir
