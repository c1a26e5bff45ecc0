"""Repeated searches and document pages answered from memory (search_app/response_cache.py): the
same answer as the first time, never across builds, embedding states, cookies or users, bounded."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient

from search_app.app import create_app
from search_app.response_cache import ResponseCache
from search_app.settings import Settings


@pytest.fixture()
def site(mini_build_dir):
    from indexer.kb import KnowledgeBase

    kb = KnowledgeBase.open(mini_build_dir)
    app = create_app(kb=kb)
    with TestClient(app) as client:
        yield app, client, kb


def _doc_id(client) -> str:
    return client.get("/api/search?q=khen").json()["results"][0]["doc_id"]


@pytest.mark.parametrize("path", [
    "/search?q=khen+th%C6%B0%E1%BB%9Fng",
    "/search?q=khen+thuong&type=K%E1%BA%BF+ho%E1%BA%A1ch",
    "/api/search?q=thi+%C4%91ua",
    "/api/search?q=19%2FCT-TTg",
])
def test_a_repeated_search_is_answered_from_memory_with_the_same_answer(site, path):
    _, client, _ = site
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-tdkt-cache"] == "miss"
    assert second.headers["x-tdkt-cache"] == "hit"
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]


def test_document_pages_and_their_json_are_kept_too(site):
    _, client, _ = site
    doc = _doc_id(client)
    for path in (f"/doc/{doc}", f"/api/documents/{doc}"):
        assert client.get(path).headers["x-tdkt-cache"] == "miss"
        again = client.get(path)
        assert again.headers["x-tdkt-cache"] == "hit" and again.status_code == 200


def test_head_after_a_kept_get_has_no_body_and_the_same_length(site):
    _, client, _ = site
    get = client.get("/search?q=khen")
    head = client.head("/search?q=khen")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize("variant", [
    {"params": {"q": "khen", "page": "2"}},                        # another page
    {"params": {"q": "khen"}, "cookies": {"tdkt_ctx": quote(urlencode({"province_ctx": "Bắc Ninh"}), safe="")}},
])
def test_what_differs_in_the_request_is_answered_afresh(site, variant):
    _, client, _ = site
    client.get("/search", params={"q": "khen"})
    cookies = variant.get("cookies")
    if cookies:
        client.cookies.update(cookies)
    r = client.get("/search", params=variant["params"])
    assert r.headers["x-tdkt-cache"] == "miss"


def test_answers_that_set_a_cookie_or_fail_are_never_kept(site):
    _, client, _ = site
    # choosing a context on the site sets the cookie: that answer is not replayed to others
    form = {"q": "khen", "ctx": "1", "province_ctx": "Bắc Ninh"}
    for _ in range(2):
        client.cookies.clear()
        r = client.get("/search", params=form, follow_redirects=False)
        assert "set-cookie" in r.headers and r.headers.get("x-tdkt-cache") != "hit"
    for _ in range(2):
        missing = client.get("/doc/khong-co-van-ban-nay")
        assert missing.status_code == 404 and missing.headers.get("x-tdkt-cache") in (None, "miss")


def test_a_request_with_credentials_is_not_served_from_memory(site):
    _, client, _ = site
    client.get("/api/search?q=khen")
    r = client.get("/api/search?q=khen", headers={"Authorization": "Bearer x"})
    assert "x-tdkt-cache" not in r.headers


def test_a_new_knowledge_base_or_the_end_of_embedding_is_answered_afresh(site, mini_build_dir, monkeypatch):
    from indexer.kb import KnowledgeBase

    app, client, kb = site
    client.get("/api/search?q=khen")
    assert client.get("/api/search?q=khen").headers["x-tdkt-cache"] == "hit"
    monkeypatch.setattr(kb, "embedding_status", lambda: {"state": "ready", "done": 1, "total": 1, "message": ""})
    assert client.get("/api/search?q=khen").headers["x-tdkt-cache"] == "miss"
    app.state.kb_holder.replace(KnowledgeBase.open(mini_build_dir))    # what following a new build does
    assert client.get("/api/search?q=khen").headers["x-tdkt-cache"] == "miss"
    assert client.get("/api/search?q=khen").headers["x-tdkt-cache"] == "hit"


def test_the_memory_is_bounded_and_can_be_turned_off(mini_build_dir, monkeypatch):
    from indexer.kb import KnowledgeBase

    cache = ResponseCache(max_bytes=60_000)
    owner = object()
    assert cache.get(owner, ("k", 0)) is None           # the middleware asks first: the owner is set
    for i in range(100):
        cache.put(owner, ("k", i), 200, [], b"x" * 5_000)
    assert cache.size_bytes <= 60_000 and 0 < len(cache) < 100
    assert cache.get(owner, ("k", 99)) is not None      # the newest stay
    assert cache.get(owner, ("k", 0)) is None           # the oldest went first
    monkeypatch.setenv("TDKT_RESPONSE_CACHE_MB", "0")
    app = create_app(kb=KnowledgeBase.open(mini_build_dir), settings=Settings())
    with TestClient(app) as client:
        for _ in range(2):
            r = client.get("/api/search?q=khen")
            assert r.status_code == 200 and "x-tdkt-cache" not in r.headers
