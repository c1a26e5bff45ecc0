"""The other lexical engines find what Whoosh finds on the same sections (same analysed terms), and
the tantivy engine honours the filters a user sets — it can take Whoosh's place."""
from __future__ import annotations

import pytest

from tooling import scale
from indexer.engines import analyse_all, lexical_engine, query_terms
from indexer.engines.whoosh_engine import WhooshLexicalIndex
from indexer.query import parse_query
from indexer.search import Filters

tantivy = pytest.importorskip("tantivy")

from indexer.engines.bm25s_engine import Bm25sIndex  # noqa: E402
from indexer.engines.sqlite_fts5 import SqliteFtsIndex  # noqa: E402
from indexer.engines.tantivy_engine import TantivyLexicalIndex  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("engines")
    passages = scale.passages_of(scale.generate(150, seed=21))
    analysed = analyse_all(passages)
    WhooshLexicalIndex.build(root / "whoosh", passages)
    out = {"whoosh": WhooshLexicalIndex.open(root / "whoosh")}
    for name, cls in (("tantivy", TantivyLexicalIndex), ("sqlite", SqliteFtsIndex), ("bm25s", Bm25sIndex)):
        cls.build(root / name, passages, analysed)
        out[name] = cls.open(root / name)
    return passages, out


# (query, what every hit must contain, folded) — officer queries on the synthetic sections
CASES = [
    ("91/2017/NĐ-CP", "91/2017/NĐ-CP"),
    ("chỉ thị 34-CT/TW", "34-CT/TW"),
]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy", "sqlite", "bm25s"])
@pytest.mark.parametrize("query,must", CASES)
def test_document_number_queries_find_the_citing_sections(built, engine, query, must):
    passages, idx = built
    by_id = {p.id: p for p in passages}
    hits = idx[engine].search(parse_query(query), None, 5)
    assert hits, f"{engine} found nothing for {query}"
    top = by_id[hits[0][0]]
    assert must in top.text or must in top.title  # a plan "thực hiện Chỉ thị số 34-CT/TW" matches by its title


@pytest.mark.parametrize("query", ["thi đua khen thưởng", "thi dua khen thuong", "hồ sơ đề nghị khen thưởng"])
def test_tantivy_and_whoosh_agree_on_the_top_results(built, query):
    _, idx = built
    w = [pid for pid, _ in idx["whoosh"].search(parse_query(query), None, 10)]
    t = [pid for pid, _ in idx["tantivy"].search(parse_query(query), None, 20)]
    # same terms, same fields, same boosts: mostly the same list. Generic words match nearly every
    # synthetic section with near-equal scores (their order is a tie-break), so whoosh's first ten
    # are looked for in tantivy's first twenty.
    assert len(set(w) & set(t)) >= 6


def test_accentless_query_matches_accented_text(built):
    passages, idx = built
    by_id = {p.id: p for p in passages}
    from corpus.vntext import fold

    hits = idx["tantivy"].search(parse_query("khen thuong dot xuat"), None, 3)
    assert hits
    top = by_id[hits[0][0]]
    assert "dot xuat" in fold(top.text + " " + top.title)   # "đột xuất" typed without accents
    assert "đột xuất" in (top.text + " " + top.title).lower()


def test_tantivy_filters_province_and_years(built):
    passages, idx = built
    by_id = {p.id: p for p in passages}
    province = passages[0].province
    f = Filters(province=province, year_from=2000)
    hits = idx["tantivy"].search(parse_query("thi đua"), f, 50)
    assert hits
    assert {by_id[h].province for h, _ in hits} == {province}
    assert idx["tantivy"].count(parse_query("thi đua"), f) == idx["whoosh"].count(parse_query("thi đua"), f)
    assert idx["tantivy"].search(parse_query("thi đua"), Filters(year_from=2100), 5) == []


def test_empty_and_operator_only_queries_give_nothing_not_errors(built):
    _, idx = built
    for engine in ("tantivy", "sqlite", "bm25s"):
        for q in ["", "AND OR (", '"""']:
            assert idx[engine].search(parse_query(q), None, 5) == []


def test_query_terms_are_whooshs_clauses_accented_above_folded():
    from indexer.engines import text_fields

    folded = text_fields()
    assert any(folded.values()) and not all(folded.values())
    w = query_terms(parse_query("khen thưởng"))
    acc = max(v for (f, t), v in w.items() if t == "khen_thưởng" and not folded[f])
    fol = max(v for (f, t), v in w.items() if t == "khen_thuong" and folded[f])
    assert acc > fol
    assert all(folded[f] for f, _ in query_terms(parse_query("khen thuong")))  # typed without accents


def test_engine_setting(monkeypatch):
    from corpus.errors import UserError
    from search_app.settings import Settings

    monkeypatch.delenv("TDKT_LEXICAL_ENGINE", raising=False)
    assert lexical_engine(Settings().lexical_engine) is TantivyLexicalIndex   # the default: it meets the targets at every size
    assert lexical_engine() is TantivyLexicalIndex
    monkeypatch.setenv("TDKT_LEXICAL_ENGINE", "whoosh")
    assert lexical_engine(Settings().lexical_engine) is WhooshLexicalIndex    # the design card's engine, still supported
    monkeypatch.setenv("TDKT_LEXICAL_ENGINE", " Tantivy ")
    assert lexical_engine(Settings().lexical_engine) is TantivyLexicalIndex
    monkeypatch.setenv("TDKT_LEXICAL_ENGINE", "lucene")
    with pytest.raises(UserError, match="lucene"):
        lexical_engine(Settings().lexical_engine)
    with pytest.raises(UserError, match="'whoosh' or 'tantivy'"):
        lexical_engine("sqlite")        # a benchmark-only engine: no knowledge base is built on it


def test_one_engine_registry_serves_the_bench_too():
    from indexer.engines import engine_class
    from tooling.bench import ENGINES

    assert set(ENGINES) == {"whoosh", "tantivy", "sqlite", "bm25s"}
    assert engine_class("sqlite", servable=False) is SqliteFtsIndex
    assert engine_class("bm25s", servable=False) is Bm25sIndex


def test_analysis_on_two_processes_is_the_same_as_on_one(built):
    passages, _ = built
    assert analyse_all(passages, procs=2) == analyse_all(passages, procs=1)


def test_eval_builds_its_index_with_the_engine_setting(built, tmp_path, monkeypatch):
    from tooling.evaluate import open_lexical

    passages, indexes = built
    ix = open_lexical(tmp_path, passages, log=lambda m: None, engine="tantivy")
    assert isinstance(ix, TantivyLexicalIndex)
    pq = parse_query("chỉ thị 34-CT/TW")
    assert [p for p, _ in ix.search(pq, None, 5)] == [p for p, _ in indexes["tantivy"].search(pq, None, 5)]
    assert isinstance(open_lexical(tmp_path, passages, log=lambda m: None, engine="whoosh"), WhooshLexicalIndex)
    assert len([d for d in tmp_path.iterdir() if d.name.startswith("lexical-")]) == 2   # one per engine


@pytest.mark.parametrize("damage", ["none", "missing", "garbage", "wrong ids", "short"])
def test_tantivy_hits_name_the_same_passages_with_or_without_the_id_lists(tmp_path, damage):
    """The ids of tantivy's hits come from the lists written at build (tantivy_engine.DOC_IDS_FILE);
    a missing, damaged or stale file falls back to the stored ids — never a wrong passage."""
    import json

    from indexer.engines.tantivy_engine import DOC_IDS_FILE

    passages = scale.passages_of(scale.generate(120, seed=5))
    TantivyLexicalIndex.build(tmp_path / "t", passages, analyse_all(passages))
    queries = [parse_query(q) for q in ("khen thưởng", "91/2017/NĐ-CP", "thi dua", "Chiến sĩ thi đua cơ sở")]
    fresh = TantivyLexicalIndex.open(tmp_path / "t")
    assert fresh._ids is not None
    want = [fresh.search(q, None, 1000) for q in queries]
    assert all(want)
    ids = tmp_path / "t" / DOC_IDS_FILE
    if damage == "missing":
        ids.unlink()
    elif damage == "garbage":
        ids.write_bytes(b"\x00{not json")
    elif damage == "wrong ids":
        data = json.loads(ids.read_text())
        data["segments"] = [list(reversed(s)) for s in data["segments"]]
        ids.write_text(json.dumps(data))
    elif damage == "short":
        data = json.loads(ids.read_text())
        data["segments"][0] = data["segments"][0][:-1]
        ids.write_text(json.dumps(data))
    again = TantivyLexicalIndex.open(tmp_path / "t")
    assert (again._ids is not None) == (damage == "none")
    assert [again.search(q, None, 1000) for q in queries] == want
    # and the stored ids agree with the lists: the passage ids of the hits are real passages
    assert {pid for hits in want for pid, _ in hits} <= {p.id for p in passages}
