"""The extractor against the hand-checked gold list of the seeds, and the `tdkt cite` commands."""
import io
import json
from pathlib import Path

import pytest
import yaml

from search_app.cli import main
from corpus.citation_eval import score_gold
from corpus.sources import DOCUMENTS_DIR

GOLD_FILE = Path(__file__).parent / "gold" / "seed_citations.yaml"
SEEDS = DOCUMENTS_DIR / "seeds"


def test_precision_and_recall_on_the_seeds_gold_list():
    s = score_gold(GOLD_FILE, SEEDS)
    assert s["precision"] >= 0.98, s["spurious"]
    assert s["recall"] >= 0.98, s["missed"]
    assert s["type_agreement"] >= 0.98 and s["date_agreement"] >= 0.98
    assert s["span_agreement"] >= 0.98, s["span_diffs"]


def test_gold_list_covers_every_seed_and_the_hard_cases():
    gold = yaml.safe_load(GOLD_FILE.read_text(encoding="utf-8"))
    assert len(gold) == 5 and sum(len(v) for v in gold.values()) >= 80
    texts = [g["text"] for v in gold.values() for g in v]
    for hard in ("Chi thị số 02/CT-UBND", "Quyết định số: 1657 /QĐ-UBND", "Chỉ thị số 34- CT/TW",
                 "Kế hoạch số 259/KH/TU", "Luật Thi đua, Khen thưởng ngày 26/11/2003"):
        assert any(t.startswith(hard) for t in texts), hard


def test_a_wrong_gold_entry_lowers_recall(tmp_path):
    gold = yaml.safe_load(GOLD_FILE.read_text(encoding="utf-8"))
    gold["002_b45f17150180dec5.txt"].append({"text": "Nghị định số 1/2000/NĐ-CP", "canonical": "1/2000/NĐ-CP",
                                             "type": "Nghị định", "date": None})
    path = tmp_path / "gold.yaml"
    path.write_text(yaml.safe_dump(gold, allow_unicode=True), encoding="utf-8")
    s = score_gold(path, SEEDS)
    assert s["recall"] < 1.0 and s["missed"] == ["002_b45f17150180dec5.txt: Nghị định số 1/2000/NĐ-CP"]


@pytest.fixture
def no_kb(tmp_path, monkeypatch):
    monkeypatch.setenv("TDKT_BUILD_DIR", str(tmp_path))


def test_cite_prints_one_json_object_per_citation(no_kb, capsys):
    text = "Căn cứ Luật Thi đua, khen thưởng ngày 26/11/2003; thực hiện Chỉ thị 34-CT/TW và Chỉ thị số 05-CT/TW."
    assert main(["cite", text]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["canonical"], r["relation"], r["status"]) for r in rows] == [
        ("15/2003/QH11", "basis", "superseded"), ("34-CT/TW", "implements", "known"), ("05-CT/TW", "implements", "known")]
    law, directive = rows[0], rows[1]
    assert text[law["span"][0]:law["span"][1]] == law["text"] == "Luật Thi đua, khen thưởng ngày 26/11/2003"
    assert law["superseded_by"] == ["06-2022-qh15"] and law["resolved"] == "15-2003-qh11"
    assert directive["full_form"] == ("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới "
                                      "công tác thi đua, khen thưởng")
    assert set(law) >= {"span", "text", "canonical", "type", "number", "year", "date", "issuer", "pinpoint",
                        "relation", "resolved", "status", "full_form"}


def test_cite_reads_standard_input(no_kb, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Mẫu số 08 ban hành kèm theo Nghị định số 98/2023/NĐ-CP"))
    assert main(["cite", "-"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["pinpoint"], row["relation"], row["status"]) == ("Mẫu số 08", "attached_to", "superseded")


def test_cite_uses_the_built_registry(tmp_path, monkeypatch, capsys):
    from corpus.registry import Registry, RegistryEntry
    reg = Registry.load()
    reg.add(RegistryEntry(id="645-kh-ubnd-2024", doc_type="Kế hoạch", number="645", canonical="645/KH-UBND",
                          date="2024-09-25", issuer="UBND tỉnh Bắc Kạn", province="Bắc Kạn", origin="cited"))
    kb = tmp_path / "kb-1"
    kb.mkdir()
    (kb / "registry.json").write_text(json.dumps(reg.to_dict(), ensure_ascii=False), encoding="utf-8")
    (tmp_path / "current").symlink_to(kb)
    monkeypatch.setenv("TDKT_BUILD_DIR", str(tmp_path))
    assert main(["cite", "Thực hiện Kế hoạch số 645/KH-UBND của UBND tỉnh Bắc Kạn"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["resolved"], row["status"]) == ("645-kh-ubnd-2024", "known")
    # without its province the one the built registry knows is a candidate, not an answer
    assert main(["cite", "Thực hiện Kế hoạch số 645/KH-UBND"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["resolved"], row["status"], row["candidates"]) == (None, "ambiguous", ["645-kh-ubnd-2024"])


@pytest.mark.parametrize("argv,stdin", [(["cite", "   "], None), (["cite", "-"], "\n\n"), (["cite"], None)])
def test_empty_input_is_a_one_line_error(no_kb, capsys, monkeypatch, argv, stdin):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("tdkt cite: error:") and err.count("\n") == 1


def test_cite_eval_prints_precision_and_recall(capsys):
    assert main(["cite-eval", "--gold", str(GOLD_FILE)]) == 0
    first = capsys.readouterr().out.splitlines()[0].split()
    assert first[0] == "precision" and first[2] == "recall"
    assert float(first[1]) >= 0.98 and float(first[3]) >= 0.98


def test_cite_eval_without_a_gold_file_names_the_choices(capsys):
    # the command reads no file under tests/ by default: it says which files it can score
    assert main(["cite-eval"]) == 2
    err = capsys.readouterr().err
    assert "--gold" in err and "--drafts" in err and "Traceback" not in err
