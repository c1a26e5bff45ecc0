"""Laws newer than the national registry, learned from texts' căn cứ lines (issue 12 part 1/4)."""
import gzip
import json
import os
from pathlib import Path

import pytest
import yaml

from corpus.citations import extract_citations
from corpus.learn_laws import LEARNED_FILE, learn_laws
from corpus.registry import Registry, key
from search_app.cli import main

REPO = Path(__file__).resolve().parents[1]
A = "Căn cứ Luật Thủ đô số 39/2024/QH15; Căn cứ Luật số 39/2024/QH15 ngày 28 tháng 6 năm 2024;"
B = "Căn cứ Luật Thủ đô số 39/2024/QH15 ngày 28 tháng 6 năm 2024 của Quốc hội;"
C = "Căn cứ Luật Thủ đô ngày 28 tháng 6 năm 2024;"


def test_a_law_is_learned_when_two_texts_agree_and_names_them():
    [row] = learn_laws([("QĐ 1/2025/QĐ-UBND", A), ("QĐ 2/2025/QĐ-UBND", B)])
    assert (row["symbol"], row["date"], row["issuer"], row["aliases"]) == (
        "39/2024/QH15", "2024-06-28", "Quốc hội", ["Luật Thủ đô"])
    assert "QĐ 1/2025/QĐ-UBND" in row["status"]["source"] and "QĐ 2/2025/QĐ-UBND" in row["status"]["source"]


def test_one_text_is_not_enough_and_a_disputed_date_is_left_out():
    assert learn_laws([("x", B)]) == []
    other = B.replace("28 tháng 6", "29 tháng 6")
    [row] = learn_laws([("x", B), ("y", other)])
    assert row["date"] is None          # one text each for two dates: no date is learned
    # a name and a date without the number ("Luật Thủ đô ngày …") count for the date
    [row] = learn_laws([("x", B), ("y", other), ("z", C)])
    assert row["date"] == "2024-06-28"


def test_what_the_registry_knows_is_not_relearned():
    assert learn_laws([("x", B), ("y", B)], known={key("39/2024/QH15")}) == []


def test_the_shipped_learned_laws_resolve_laws_cited_by_name_and_say_where_from():
    c = [c for c in extract_citations("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;")][0]
    assert c.canonical == "72/2025/QH15"
    res = Registry.load().lookup(c)
    assert res.status == "known" and res.entry.origin == "learned"
    assert "biết qua các văn bản trích dẫn" in res.note and "văn bản" in res.note


def test_the_registry_editor_and_the_national_list_win_over_learned_rows():
    reg = Registry.load()
    learned = {key(e.canonical) for e in reg.entries if e.origin == "learned"}
    others = {key(e.canonical) for e in reg.entries if e.origin in ("registry", "national") and e.canonical}
    assert learned and not (learned & others)


def test_learn_laws_command_writes_a_file_the_registry_can_read(tmp_path, capsys):
    src = tmp_path / "texts.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        for i, text in enumerate([A, B, C]):
            fh.write(json.dumps({"id": f"d{i}", "so_hieu": f"{i}/QĐ-UBND", "text": text}, ensure_ascii=False) + "\n")
    holdout = tmp_path / "gold.yaml"
    holdout.write_text(yaml.safe_dump([{"doc": "d2", "text": C, "citations": []}]), encoding="utf-8")
    out = tmp_path / "learned.yaml"
    assert main(["registry", "learn-laws", str(src), "--holdout", str(holdout), "--out", str(out)]) == 0
    assert "1 laws learned" in capsys.readouterr().out
    [row] = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert row["symbol"] == "39/2024/QH15" and "(d2)" not in row["status"]["source"]


def test_learn_laws_names_a_missing_input(tmp_path, capsys):
    assert main(["registry", "learn-laws", str(tmp_path / "none.jsonl.gz")]) == 2
    assert "none.jsonl.gz: no such file or folder" in capsys.readouterr().err


def test_the_shipped_file_is_what_the_bulk_texts_give(tmp_path):
    bulk = Path(os.environ.get("TDKT_BULK_DIR") or REPO.parent / "shared" / "bulk") / "tnt305_official_docs.jsonl.gz"
    if not bulk.is_file():
        pytest.skip("tnt305_official_docs.jsonl.gz not available (set TDKT_BULK_DIR)")
    out = tmp_path / "learned.yaml"
    assert main(["registry", "learn-laws", str(bulk), "--holdout", str(REPO / "tests/gold/tnt305_citations.yaml"),
                 "--holdout", str(REPO / "tests/gold/tnt305_holdout_citations.yaml"), "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == yaml.safe_load(LEARNED_FILE.read_text(encoding="utf-8"))


def test_a_build_learns_from_its_own_corpus_and_resolves_by_name_citations():
    from corpus.models import Document, PartialDate, Section
    from corpus.citations import extract_document_citations
    from corpus.resolve import resolve_corpus

    def doc(i, text):
        d = Document(id=f"d{i}", source_file=f"d{i}.txt", doc_type="Quyết định", symbol=f"{i}/2026/QĐ-UBND",
                     date=PartialDate(2026), province="Bắc Ninh",
                     sections=[Section(id="body", kind="body", label="", heading="", text=text)])
        d.citations = extract_document_citations(d)
        return d

    docs = [doc(1, "Căn cứ Luật Thử nghiệm hành chính số 99/2025/QH15 ngày 30 tháng 6 năm 2025;"),
            doc(2, "Căn cứ Luật Thử nghiệm hành chính số 99/2025/QH15 ngày 30 tháng 6 năm 2025 của Quốc hội;"),
            doc(3, "Căn cứ Luật Thử nghiệm hành chính ngày 30 tháng 6 năm 2025;")]
    by_name = docs[2].citations[0]
    assert by_name.number is None                       # the shipped registry does not know it
    reg = Registry.load()
    resolve_corpus(docs, reg)
    e = next(e for e in reg.entries if e.canonical == "99/2025/QH15")
    assert (e.origin, e.date, e.aliases) == ("learned", "2025-06-30", ["Luật Thử nghiệm hành chính"])
    assert "Quyết định 1/2026/QĐ-UBND" in e.status["source"]
    assert (by_name.status, by_name.target) == ("known", e.id)
