"""The seam between the site and the library (issue 14): every page and every JSON route of the
knowledge-base side answers from a real, typed KnowledgeBase (the site fixture, tests/conftest_site.py),
each API answer validates against its response model, the CLI's JSON is the API's model, and no
route reaches into a CLI module or the knowledge base by attribute name."""
from __future__ import annotations

import ast
import json
import typing
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest_site import open_site_kb
from indexer.kb import KnowledgeBase
from search_app import deps
from search_app.app import create_app
from search_app.cli import main
from search_app.routes import api_models as m

ROUTES = Path(__file__).resolve().parents[1] / "search_app" / "routes"
PLAN = "200-kh-ubnd-2021"          # Kế hoạch 200/KH-UBND (Lạng Sơn, 2021): in the corpus, on a chain
OLD_PLAN = "12-kh-ubnd-2013"       # Kế hoạch 12/KH-UBND (2013): cites the 2003 law
CIRCULAR = "12-2019-tt-bnv"        # in the corpus, replaced (per the registry)
ND_91 = "91-2017-nd-cp"            # only known from the registry, superseded
CT_34 = "34-ct-tw-2014"            # Chỉ thị 34-CT/TW: only cited
LAW = "06-2022-qh15"


@pytest.fixture(scope="module")
def kb():
    kb = open_site_kb()
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb=kb))


def test_the_knowledge_base_alias_is_typed():
    base, *extra = typing.get_args(deps.KB)
    assert base is KnowledgeBase and extra


def test_no_route_imports_a_cli_module_or_attaches_to_the_knowledge_base():
    for path in sorted(ROUTES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "commands" not in (node.module or "").split("."), f"{path.name} imports {node.module}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "kb":
                assert not node.attr.startswith("_"), f"{path.name} reads kb.{node.attr}"
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "hasattr", "setattr"):
                first = node.args[0] if node.args else None
                assert not (isinstance(first, ast.Name) and first.id == "kb"), f"{path.name}:{node.lineno} {node.func.id}(kb, …)"


# deferred on purpose (docs/ARCHITECTURE.md): python-docx behind the downloads, and the app's own module,
# which includes the admin router
DEFERRED = {("documents.py", "doc_export"), ("award.py", "awards.docx_export"), ("admin.py", "app")}
PROJECT = ("corpus", "indexer", "glossary", "awards", "tooling", "search_app", "records", "proposals", "accounts")


def test_routes_import_the_project_at_the_top():
    for path in sorted(ROUTES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom):
                    name = node.module or node.names[0].name
                    ours = node.level > 0 or name.split(".")[0] in PROJECT
                    assert not ours or (path.name, name) in DEFERRED, f"{path.name}:{node.lineno} imports {name} in {fn.name}()"


# --- the pages: one row per page, with what an officer must see on it ------------------------------------
PAGES = [
    ("/", 200, "Kế hoạch"),
    ("/search?q=chiến+sĩ+thi+đua", 200, "Chiến sĩ thi đua"),
    ("/search?q=200/KH-UBND", 200, "200/KH-UBND"),
    (f"/doc/{PLAN}", 200, "Chỉ thị số 19/CT-TTg"),
    (f"/doc/{OLD_PLAN}", 200, "Luật Thi đua, Khen thưởng"),
    (f"/doc/{CIRCULAR}", 200, "Đã bị thay thế"),
    (f"/doc/{ND_91}", 200, "Đã bị thay thế"),
    (f"/doc/{CT_34}", 200, "34-CT/TW"),                 # a cited-only document's page
    (f"/doc/{PLAN}/chain", 200, "<svg"),
    (f"/doc/{PLAN}.txt", 200, "KẾ HOẠCH"),
    (f"/doc/{PLAN}.docx", 200, None),
    (f"/doc/{PLAN}.pdf", 404, ".pdf"),
    ("/doc/200/KH-UBND", 308, None),                   # a number in the path: the one document it names
    ("/doc/khong-co-van-ban-nay", 404, "khong-co-van-ban-nay"),
    ("/lookup?text=Căn+cứ+Chỉ+thị+số+34-CT/TW+ngày+07/4/2014", 200, "34-CT/TW"),
    ("/glossary?q=chiến+sĩ", 200, "Chiến sĩ thi đua"),
    ("/van-ban?type=Kế hoạch", 200, "200/KH-UBND"),
    ("/docs", 200, "/api/search"),
    ("/award?award=Chiến sĩ thi đua cơ sở&date=2026-01-15", 200, "Luật"),
    ("/award?award=không có danh hiệu này", 200, "không có danh hiệu này"),   # the form again, naming it
    ("/award.docx?award=Chiến sĩ thi đua cơ sở&date=2026-01-15", 200, None),
    ("/award/compare?family=Chiến sĩ thi đua", 200, "Chiến sĩ thi đua"),
    ("/award/eligible", 200, None),
]


@pytest.mark.parametrize("url, status, shown", PAGES)
def test_each_page_answers_from_the_typed_knowledge_base(client, url, status, shown):
    r = client.get(url, follow_redirects=False)
    assert r.status_code == status, r.text[:300]
    if shown:
        assert shown in r.text
    if status == 308:
        assert r.headers["location"] == f"/doc/{PLAN}"


def test_a_glossary_entry_page_links_its_articles(client, kb):
    entry = next(e for e in kb.glossary.entries if e.links)
    r = client.get(f"/glossary/{entry.slug}")
    assert r.status_code == 200 and entry.term in r.text


# --- the JSON API: each answer validates against its response model ---------------------------------------
API = [
    ("/api/search?q=chiến+sĩ+thi+đua", m.SearchResponse),
    ("/api/search?q=thi+đua&group=doc", m.SearchResponse),
    (f"/api/documents/{PLAN}", m.CorpusDocument),
    (f"/api/documents/{CT_34}", m.CitedDocument),
    (f"/api/documents/{PLAN}/citations", m.CitationsResponse),
    (f"/api/documents/{PLAN}/chain", m.ChainResponse),
    ("/api/lookup?text=Căn+cứ+Nghị+định+số+91/2017/NĐ-CP", m.LookupResponse),
    ("/api/glossary?q=chiến+sĩ", m.GlossaryResponse),
    ("/api/status", m.StatusResponse),
    ("/api/award?award=Chiến sĩ thi đua cơ sở&date=2026-01-15", m.AwardResponse),
    ("/api/award/compare?family=Chiến sĩ thi đua", m.CompareResponse),
]


@pytest.mark.parametrize("url, model", API)
def test_each_api_route_answers_its_response_model(client, url, model):
    r = client.get(url)
    assert r.status_code == 200, r.text[:300]
    model.model_validate(r.json())


def test_api_answers_carry_what_the_library_knows(client, kb):
    doc = client.get(f"/api/documents/{PLAN}").json()
    assert doc["in_corpus"] is True and doc["title"] == kb.document(PLAN).title
    cited = client.get(f"/api/documents/{CT_34}").json()
    assert cited["in_corpus"] is False and cited["entry"]["canonical"] == kb.registry_entry(CT_34).canonical
    cites = client.get(f"/api/documents/{PLAN}/citations").json()
    cited_ids = {i["id"] for g in cites["cites"] for i in g["items"]}
    assert {e["target"] for edges in kb.graph.cites(PLAN).values() for e in edges if e["target"]} <= cited_ids | {None}
    chain = client.get(f"/api/documents/{PLAN}/chain").json()
    assert {(e["from"], e["to"]) for e in chain["edges"]} == {(a, b) for a, b, _ in kb.graph.chain_pairs(PLAN)}
    entry = next(e for e in kb.glossary.entries if e.links)
    one = client.get(f"/api/glossary/{entry.slug}").json()
    m.GlossaryEntry.model_validate(one)
    assert one["term"] == entry.term and one["links"]
    assert client.get("/api/glossary/khong-co").status_code == 404
    assert client.get("/api/award", params={"award": "không có"}).status_code == 404
    eligible = client.post("/api/award/eligible", json={"date": "2026-01-15", "history": {"kind": "individual", "years": [
        {"year": 2024, "titles": ["Chiến sĩ thi đua cơ sở"]}, {"year": 2025, "titles": ["Chiến sĩ thi đua cơ sở"]}]}})
    assert eligible.status_code == 200 and m.EligibleResponse.model_validate(eligible.json()).qualifies
    post = client.post("/api/lookup", json={"text": "Căn cứ Chỉ thị số 34-CT/TW ngày 07/4/2014"})
    assert post.status_code == 200 and m.LookupResponse.model_validate(post.json()).citations


def test_the_cli_json_is_the_api_search_model(client, kb, capsys):
    code = main(["search", "chiến sĩ thi đua", "--json", "--limit", "10", "--mode", "lexical",
                 "--build-dir", str(kb.build_dir)])
    assert code == 0
    cli = json.loads(capsys.readouterr().out)
    m.SearchResponse.model_validate(cli)
    api = client.get("/api/search", params={"q": "chiến sĩ thi đua"}).json()
    assert [(r["doc_id"], r["section_id"]) for r in cli["results"]] == [(r["doc_id"], r["section_id"]) for r in api["results"]]
    assert set(api["results"][0]) <= set(cli["results"][0])          # the same fields, and the old blocks besides
    first = cli["results"][0]
    assert first["document"]["id"] == first["doc_id"] and first["section"]["id"] == first["section_id"]


# --- the typed knowledge base itself ------------------------------------------------------------------------
def test_the_knowledge_base_answers_what_the_pages_ask(kb):
    assert kb.has_document(PLAN) and not kb.has_document(CT_34)
    assert kb.is_known(CT_34) and not kb.is_known("khong-co")
    assert kb.page_id(PLAN) == PLAN
    assert kb.status(CIRCULAR).state == "superseded"                     # from the document's JSON
    assert kb.status(ND_91).state == "superseded"                        # from the registry
    assert kb.status_dict("khong-co") == {}
    assert kb.status_dict(CIRCULAR) is kb.status_dict(CIRCULAR)          # kept per id: read once
    assert kb.matching_ids("200/KH-UBND") == [PLAN]
    assert kb.matching_ids("34-ct-tw", registry=True) == [CT_34]
    assert kb.provinces[:2] == ["Bắc Kạn", "Lai Châu"] and "Lạng Sơn" in kb.provinces   # accents folded: B, L-ai, L-ang
    assert (PLAN, "19-ct-ttg-2021", "implements") in kb.graph.chain_pairs(PLAN)


def test_the_cli_citation_check_is_the_api_lookup_model(client, kb, capsys):
    text = "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ; Chỉ thị số 34-CT/TW ngày 07/4/2015"
    assert main(["cite", text, "--build-dir", str(kb.build_dir)]) == 0
    cli = json.loads(capsys.readouterr().out)
    api = client.get("/api/lookup", params={"text": text}).json()["citations"]
    for row in cli:
        m.LookupCitation.model_validate(row)
    assert [(r["canonical"], r["status"], r["resolved"]) for r in cli] == [(r["canonical"], r["status"], r["resolved"]) for r in api]
    assert [[(w["kind"], w["text"]) for w in r["warnings"]] for r in cli] == [[(w["kind"], w["text"]) for w in r["warnings"]] for r in api]
    assert any(r["warnings"] for r in cli)              # 91/2017 is superseded, 34-CT/TW is of 2014


def test_cli_defaults_read_no_file_under_tests(capsys):
    commands = Path(__file__).resolve().parents[1] / "search_app" / "commands"
    for path in sorted(commands.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assert not (isinstance(node, ast.Constant) and node.value == "tests"), f"{path.name}:{node.lineno} builds a path under tests/"
    assert main(["eval", "--sets", "officer"]) == 2                 # the officer set needs its file named
    assert "--officer-file" in capsys.readouterr().err
