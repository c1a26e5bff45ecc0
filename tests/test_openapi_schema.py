"""The OpenAPI schema is real, and the app keeps to it: schemathesis generates requests for every
operation (30 examples each, derandomised) against the site over the fixture knowledge base
(tests/conftest_site.py) and runs all its checks — no server error, every response (200, 400, 404,
405 …) documented and matching its schema, Allow headers right. Real ids are checked explicitly
too, since random ids only ever meet the 404s."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from conftest_site import open_site_kb
from search_app.app import create_app

_opened: list = []


class SiteKB:
    """The fixture knowledge base, built on first use: the schema is loaded when this module is
    collected, the knowledge base only when a test runs."""

    def __getattr__(self, name):
        if not _opened:
            _opened.append(open_site_kb())
        return getattr(_opened[0], name)


APP = create_app(kb=SiteKB())
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=30, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_its_schema(case):
    case.call_and_validate()   # all checks: not_a_server_error, response_schema_conformance, status codes …


@pytest.mark.parametrize("path, params, query", [
    ("/api/documents/{doc_id}", {"doc_id": "200-kh-ubnd-2021"}, None),        # in the corpus
    ("/api/documents/{doc_id}", {"doc_id": "12-kh-ubnd-2013"}, None),         # superseded
    ("/api/documents/{doc_id}", {"doc_id": "19-ct-ttg-2021"}, None),          # only cited
    ("/api/documents/{doc_id}", {"doc_id": "34-ct-tw-2014"}, None),
    ("/api/documents/{doc_id}/citations", {"doc_id": "200-kh-ubnd-2021"}, None),
    ("/api/documents/{doc_id}/chain", {"doc_id": "200-kh-ubnd-2021"}, None),
    ("/api/documents/{doc_id}/chain", {"doc_id": "34-ct-tw-2014"}, None),
    ("/api/search", None, {"q": "chiến sĩ thi đua"}),
    ("/api/search", None, {"q": "200/KH-UBND", "in_force": "1", "as_of": "2015-01-01"}),
    ("/api/search", None, {"q": "chien si thi dua", "province_ctx": "Lạng Sơn", "type": "Kế hoạch"}),
    ("/api/lookup", None, {"text": "Căn cứ Chỉ thị số 34-CT/TW ngày 07/4/2014; Luật Thi đua, Khen thưởng ngày 26/11/2003"}),
    ("/api/glossary", None, {"q": "chiến sĩ"}),
    ("/api/status", None, None),
])
def test_real_answers_keep_to_their_schema(path, params, query):
    case = schema[path]["GET"].Case(path_parameters=params or {}, query=query or {})
    response = case.call_and_validate()
    assert response.status_code == 200


def test_a_glossary_entry_keeps_to_its_schema():
    slug = SiteKB().glossary.entries[0].slug
    response = schema["/api/glossary/{slug}"]["GET"].Case(path_parameters={"slug": slug}).call_and_validate()
    assert response.status_code == 200 and response.json()["slug"] == slug


def test_the_schema_names_every_json_response():
    spec = APP.openapi()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            codes = op["responses"]
            assert "422" not in codes, (method, path)          # the app answers 400, as documented
            if not path.startswith("/api/"):
                continue
            ok = codes["200"]["content"]["application/json"]["schema"]
            assert "$ref" in ok or "anyOf" in ok, (method, path, ok)   # a model, not a bare object
            assert "400" in codes, (method, path)
            if "{" in path:
                assert codes["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    doc = spec["paths"]["/api/documents/{doc_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert {r["$ref"].rsplit("/", 1)[1] for r in doc["anyOf"]} == {"CorpusDocument", "CitedDocument"}
    search = spec["components"]["schemas"]["SearchResponse"]
    assert {"results", "status", "context"} <= set(search["required"])
