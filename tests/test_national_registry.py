"""The national registry (corpus/national.py): the Bộ pháp điển's 5,094 national documents ship as a
data file, and a citation of any of them is known with its date, issuer and title."""
import gzip
import json

import pytest

from corpus.citations import extract_citations
from corpus.national import NATIONAL_FILE, aliases, convert, rows
from corpus.registry import Registry


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


def test_the_data_file_ships_with_the_repository():
    data = rows()
    assert len(data) > 5000
    assert all(r["symbol"] and r["type"] for r in data[:200])


@pytest.mark.parametrize("text, canonical, date, issuer", [
    ("Căn cứ Nghị định số 27/2015/NĐ-CP của Chính phủ", "27/2015/NĐ-CP", "2015-03-10", "Chính phủ"),
    ("theo Thông tư số 05/2018/TT-BTP", "05/2018/TT-BTP", "2018-06-07", "Bộ Tư pháp"),
    ("Luật số 31/2018/QH14", "31/2018/QH14", "2018-11-19", "Quốc hội"),
])
def test_a_national_document_cited_by_number_is_known(registry, text, canonical, date, issuer):
    cits = [c for c in extract_citations(text) if c.canonical == canonical]
    assert cits, text
    res = registry.lookup(cits[0])
    assert res.entry is not None and res.status in ("known", "superseded", "in_corpus")
    assert res.entry.date == date and res.entry.issuer == issuer and res.entry.title


def test_a_law_is_known_by_its_name_and_date(registry):
    e = registry.match_law_name("Luật Trồng trọt", "2018-11-19")
    assert e is not None and e.canonical == "31/2018/QH14"
    assert aliases({"type": "Luật", "title": "Trồng trọt"}) == ["Luật Trồng trọt"]


def test_the_editors_entry_wins(registry):
    e = registry.get("91-2017-nd-cp")
    assert e.origin == "registry" and e.status["state"] == "superseded"


def test_convert_is_deterministic_and_skips_damage(tmp_path):
    src = tmp_path / "docs.jsonl"
    src.write_text('{"so_hieu": "27/2015/NĐ-CP", "loai": "Nghị định", "ten": "Quy định về xét tặng", '
                   '"ngay_ban_hanh": "10/03/2015", "co_quan": "Chính phủ", "hieu_luc": "25/04/2015"}\n'
                   'not json\n{"so_hieu": "", "loai": "Luật"}\n', encoding="utf-8")
    a, b = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    assert convert(src, a) == 1 and convert(src, b) == 1
    assert a.read_bytes() == b.read_bytes()
    row = json.loads(gzip.open(a, "rt", encoding="utf-8").readline())
    assert row["date"] == "2015-03-10" and row["effective"] == "2015-04-25"
    assert NATIONAL_FILE.name == "national_documents.jsonl.gz"


def test_the_import_command(tmp_path, capsys):
    from search_app.cli import main

    src = tmp_path / "docs.jsonl"
    src.write_text('{"so_hieu": "31/2018/QH14", "loai": "Luật", "ten": "Trồng trọt", "ngay_ban_hanh": "19/11/2018", '
                   '"co_quan": "Quốc hội", "hieu_luc": "01/01/2020"}\n', encoding="utf-8")
    out = tmp_path / "n.jsonl.gz"
    assert main(["registry", "import-national", str(src), "--out", str(out)]) == 0
    assert "1 national documents" in capsys.readouterr().out
    assert rows(out)[0]["symbol"] == "31/2018/QH14"
    assert main(["registry", "import-national", str(tmp_path / "missing.jsonl.gz")]) == 2
