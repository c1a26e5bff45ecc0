"""`tdkt cite` is the drafting check: each citation carries the problems an officer must fix."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from search_app.commands.cite import cite_rows
from corpus.registry import Registry


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.mark.parametrize("draft,kinds", [
    ("Thực hiện Chỉ thị số 34-CT/TW ngày 07/5/2014 của Bộ Chính trị", {"date"}),           # it is 07/4/2014
    ("Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị", set()),
    ("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003", {"superseded"}),                 # ended 01/01/2024
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", set()),
    ("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ", {"superseded"}),
    ("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Thủ tướng Chính phủ", {"issuer"}),
    ("Căn cứ Nghị định số 777/2031/NĐ-CP", {"unknown"}),
])
def test_draft_citations_carry_their_problems(registry, draft, kinds):
    rows = cite_rows(draft, registry)
    assert len(rows) == 1, rows
    assert {w["kind"] for w in rows[0]["warnings"]} == kinds, rows[0]["warnings"]


def test_superseded_names_the_replacing_document(registry):
    (row,) = cite_rows("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003", registry)
    assert "Luật 06/2022/QH15" in row["warnings"][0]["message"]


def test_cli_prints_the_warnings_as_json():
    tdkt = Path(sys.executable).parent / "tdkt"
    out = subprocess.run([str(tdkt), "cite", "-", "--build-dir", "/nonexistent"], input="Chỉ thị số 34-CT/TW ngày 07/5/2014",
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert row["canonical"] == "34-CT/TW" and row["warnings"][0]["kind"] == "date"
