"""README.md and the code agree: every setting the README names is a field of Settings (and every
field is in the README), every command it lists answers `--help`, and `tdkt settings` prints each
setting with its environment variable, current value and help."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from search_app.cli import main
from search_app.commands.settings_cmd import shown
from search_app.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {title}\n(.*?)(?=^## )", README, re.S | re.M)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


def readme_settings() -> set[str]:
    rows = [line for line in _section("Settings").splitlines() if line.startswith("| `TDKT_")]
    return {name for line in rows for name in re.findall(r"`(TDKT_[A-Z0-9_]+)`", line.split("|")[1])}


def readme_commands() -> list[list[str]]:
    """Each command the commands table lists, as words after `tdkt` (sub-commands included)."""
    out = []
    for line in README.splitlines():
        m = re.match(r"\| `tdkt ([^`]*)`", line)
        if not m:
            continue
        cell = line.split("|")[1]
        first = m.group(1).split()[0]
        # "`tdkt glossary check` / `gaps` / `show Q`": the sub-commands after the first are glossary's too
        for span in re.findall(r"`tdkt ([^`]*)`", cell) + [f"{first} {x}" for x in re.findall(r"/ `(?!tdkt )([a-z-]+)", cell)]:
            words = []
            for w in span.split():
                if not re.fullmatch(r"[a-z][a-z-]*", w):
                    break
                words.append(w)
            if words and words not in out:
                out.append(words)
    return out


def test_every_readme_setting_is_a_setting_and_back():
    envs = {env for env, _, _ in Settings.describe()}
    assert readme_settings(), "no settings found in the README's table"
    assert readme_settings() - envs == set(), "named in README.md but not in search_app/settings.py"
    assert envs - readme_settings() == set(), "in search_app/settings.py but missing from README.md's Settings table"


def test_every_setting_is_described():
    for env, name, help_ in Settings.describe():
        assert env.startswith("TDKT_") and name and len(help_) > 15, (env, name)


def test_the_readme_lists_the_commands():
    cmds = [c[0] for c in readme_commands()]
    for expected in ("build", "serve", "search", "cite", "show", "eval", "bench", "settings", "glossary", "registry"):
        assert expected in cmds


@pytest.mark.parametrize("words", readme_commands(), ids=" ".join)
def test_every_readme_command_answers_help(words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*words, "--help"])
    assert exit_.value.code == 0
    assert "usage: tdkt " + " ".join(words) in capsys.readouterr().out


def test_tdkt_settings_prints_each_setting_with_its_value(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TDKT_BUILD_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("TDKT_LEXICAL_ENGINE", "Whoosh")
    monkeypatch.setenv("TDKT_ADMIN_TOKEN", "s3cret")
    monkeypatch.setenv("TDKT_DATABASE_URL", "postgresql+psycopg://officer:pa55@db.local/tdkt")
    assert main(["settings"]) == 0
    text = capsys.readouterr().out
    for env, _, help_ in Settings.describe():
        assert env in text and help_ in text
    assert f"TDKT_BUILD_DIR = {tmp_path / 'kb'}" in text
    assert "TDKT_LEXICAL_ENGINE = whoosh" in text
    assert "s3cret" not in text and "TDKT_ADMIN_TOKEN = (set)" in text
    assert "pa55" not in text and "postgresql+psycopg://officer:***@db.local/tdkt" in text
    assert main(["settings", "--json"]) == 0
    rows = {r["env"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["TDKT_LEXICAL_ENGINE"]["value"] == "whoosh" and rows["TDKT_LEXICAL_ENGINE"]["name"] == "lexical_engine"
    assert set(rows) == {env for env, _, _ in Settings.describe()}


@pytest.mark.parametrize("name, value, printed", [
    ("admin_token", "abc", "(set)"),
    ("admin_token", None, "(not set)"),
    ("database_url", "sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ("database_url", "postgresql://u:p@h/db", "postgresql://u:***@h/db"),
    ("port", 8000, "8000"),
])
def test_shown_values(name, value, printed):
    assert shown(name, value) == printed


def test_a_missing_command_module_fails_loudly(monkeypatch):
    import importlib

    import search_app.commands as commands

    monkeypatch.setattr(commands, "_MODULES", [*commands._MODULES, "no_such_command"])
    with pytest.raises(ModuleNotFoundError, match="no_such_command"):
        commands._load()
    importlib.reload(commands)
