"""Every page and API route of the site, through FastAPI's TestClient, over a real knowledge base
built from a few real texts (tests/conftest_site.py). Assertions are on what an officer sees."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote_plus

import pytest
from fastapi.testclient import TestClient

from conftest_site import open_site_kb
from search_app.app import create_app
from search_app.settings import Settings

PLAN = "200-kh-ubnd-2021"          # Kế hoạch 200/KH-UBND, UBND tỉnh Lạng Sơn, 09/10/2021 (seed 000)
LETTER = "1419-vks-vp-2021"        # the Công văn forwarding it
OLD_PLAN = "12-kh-ubnd-2013"       # seed 002, cites the 2003 law
CIRCULAR = "12-2019-tt-bnv"        # Thông tư 12/2019/TT-BNV, in articles
HOSTILE = "777-kh-ubnd-2022"       # written by conftest_site with <script> in its text


@pytest.fixture(scope="module")
def kb():
    return open_site_kb()


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb=kb))


def text_of(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def links(html: str) -> list[tuple[str, str]]:
    """(href, visible text) of every link."""
    return [(unescape(h), text_of(t)) for h, t in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


# --- search -----------------------------------------------------------------------------
def test_home_page_is_a_search_box_in_vietnamese(client):
    r = client.get("/")
    assert r.status_code == 200 and 'lang="vi"' in r.text
    assert '<input id="q" name="q"' in r.text and "Tìm" in r.text
    assert "Tìm kiếm theo từ khóa" in text_of(r.text)  # lexical-only banner: no embedder in this build


@pytest.mark.parametrize("query", ["chiến sĩ thi đua", "chien si thi dua", "CHIẾN SĨ THI ĐUA"])
def test_search_finds_sections_with_breadcrumb_and_highlight(client, query):
    r = client.get("/search", params={"q": query})
    assert r.status_code == 200
    assert "kết quả cho" in text_of(r.text)
    assert "<mark>" in r.text
    result_links = [h for h, _ in links(r.text) if h.startswith("/doc/")]
    assert result_links, "results link to document pages"


def test_a_document_number_shows_a_document_card_first(client):
    r = client.get("/search", params={"q": "200/KH-UBND"})
    html = r.text
    assert "<h2>Văn bản</h2>" in html
    card = html.split('class="doc-card"')[1]
    assert f'href="/doc/{PLAN}"' in card and "200/KH-UBND" in card


def test_facets_add_and_remove_filters(client):
    r = client.get("/search", params={"q": "thi đua"})
    facet_links = [h for h, t in links(r.text) if "type=" in h]
    assert facet_links, "document-type facet offers filter links"
    filtered = client.get(facet_links[0])
    chosen = re.search(r"type=([^&]+)", facet_links[0]).group(1)
    assert "Đang lọc" in filtered.text
    # every result on the filtered page is of the chosen type
    kinds = re.findall(r'<p class="doc">\s*<a href="[^"]+"><strong>([^<]+)</strong>', filtered.text)
    assert kinds and all(k.startswith(unquote_plus(chosen) + " ") for k in kinds)
    # the chip removes the filter again
    chip = re.search(r'<a class="chip" href="([^"]+)"', filtered.text).group(1)
    assert "type=" not in unescape(chip)


def test_no_results_offers_the_query_without_filters(client):
    r = client.get("/search", params={"q": "thi đua", "type": "Nghị định", "year_from": 1990, "year_to": 1991})
    assert "Không tìm thấy kết quả" in text_of(r.text)
    assert any(h == "/search?q=thi+%C4%91ua" for h, t in links(r.text) if "không kèm bộ lọc" in t)


def test_no_results_offers_closest_spellings(client, kb):
    r = client.get("/search", params={"q": "khen thuongg"})
    resp = kb.searcher.search("khen thuongg")
    if resp.total == 0 and resp.suggestions:
        assert "Có phải bạn muốn tìm" in text_of(r.text)
        assert resp.suggestions[0] in text_of(r.text)
    assert r.status_code == 200


def test_paging(bundled_kb):
    # results are grouped by document: the bundled corpus has enough documents about thi đua to page
    client = TestClient(create_app(kb=bundled_kb))
    assert bundled_kb.searcher.search("thi đua", group="doc").entries > 10
    r1 = client.get("/search", params={"q": "thi đua"})
    assert "Trang sau" in r1.text and "page=2" in r1.text
    r2 = client.get("/search", params={"q": "thi đua", "page": 2})
    assert "Trang trước" in r2.text and 'start="11"' in r2.text


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "thi đua AND (OR NOT ~^:*",
    "\x00\x01\x02binary\xff", "34-CT/TW " * 2000, "%00%2e%2e%2f",
])
def test_hostile_queries_are_answered_and_escaped(client, query):
    r = client.get("/search", params={"q": query})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    api = client.get("/api/search", params={"q": query})
    assert api.status_code == 200 and "results" in api.json()


def test_query_with_script_is_shown_escaped(client):
    r = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# --- document pages ---------------------------------------------------------------------
def test_document_page_metadata_as_the_portals_show_it(client):
    r = client.get(f"/doc/{PLAN}")
    assert r.status_code == 200
    meta = text_of(r.text.split('class="meta"')[1].split("</table>")[0])
    assert "Số hiệu 200/KH-UBND" in meta
    assert "Loại văn bản Kế hoạch" in meta
    assert "Ngày ban hành 09/10/2021" in meta
    assert "Lạng Sơn" in meta


def test_document_citations_link_to_the_cited_document_with_date_and_title_on_hover(client):
    html = client.get(f"/doc/{PLAN}").text
    body = html.split('class="doc-body"')[1].split('<aside class="citations">')[0]
    cite = re.search(r'<a data-cite="\d+" href="(/doc/19-ct-ttg[^"]*)" title="([^"]*)">([^<]*19/CT-TTg[^<]*)</a>', body)
    assert cite, "the citation of Chỉ thị 19/CT-TTg is a link"
    assert "19/CT-TTg" in unescape(cite.group(2))
    assert client.get(cite.group(1)).status_code == 200


def test_cites_and_cited_by_panels_grouped_by_relation(client):
    html = client.get(f"/doc/{PLAN}").text
    cites = text_of(html.split('id="cites"')[1].split('id="cited-by"')[0])
    assert "Thực hiện" in cites and "19/CT-TTg" in cites
    cited_by = client.get(f"/doc/19-ct-ttg-2021").text
    assert "200/KH-UBND" in text_of(cited_by)


def test_forwarding_letter_and_plan_link_to_each_other(client):
    letter = client.get(f"/doc/{LETTER}").text
    assert f'href="/doc/{PLAN}"' in letter.split('class="doc-links"')[1].split("</section>")[0]
    plan = client.get(f"/doc/{PLAN}").text
    assert f'href="/doc/{LETTER}"' in plan


def test_article_anchor_and_table_of_contents(client):
    html = client.get(f"/doc/{CIRCULAR}").text
    assert 'id="dieu-1"' in html and 'id="dieu-2"' in html
    toc = html.split('<nav class="toc"')[1].split("</nav>")[0]
    assert 'href="#' in toc and "Điều 1" in text_of(toc)


def test_glossary_terms_are_marked_with_their_definition(client):
    html = client.get(f"/doc/{PLAN}").text
    body = html.split('class="doc-body"')[1]
    assert re.search(r'<abbr class="term" title="[^"]{10,}">', body)


def test_document_text_with_script_never_reaches_the_page_unescaped(client):
    r = client.get(f"/doc/{HOSTILE}")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "onerror=alert(2)" in text_of(r.text)  # shown to the reader as text


def test_cited_document_page(client):
    r = client.get("/doc/19-ct-ttg-2021")
    page = text_of(r.text)
    assert r.status_code == 200 and "Văn bản được trích dẫn" in page
    assert "Các đoạn trích dẫn văn bản này" in page
    assert f'href="/doc/{PLAN}' in r.text  # a citing passage, grouped under its document


# --- chain ------------------------------------------------------------------------------
def test_chain_page_lists_plan_directive_and_politburo_directive(client):
    r = client.get(f"/doc/{PLAN}/chain")
    assert r.status_code == 200
    assert "<svg" in r.text and 'href="/doc/34-ct-tw-2014"' in r.text.split("<svg")[1]
    layers = r.text.split('<ol class="layers">')[1].split("</ol>")[0]
    order = [text_of(li) for li in re.findall(r"<li>\s*<ul>(.*?)</ul>", layers, re.S)]
    at = {name: next(i for i, layer in enumerate(order) if name in layer) for name in ("34-CT/TW", "19/CT-TTg", "200/KH-UBND")}
    assert at["34-CT/TW"] < at["19/CT-TTg"] < at["200/KH-UBND"]


# --- lookup -----------------------------------------------------------------------------
def test_lookup_warns_that_the_2003_law_is_superseded(client):
    r = client.get("/lookup", params={"text": "Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003;"})
    page = text_of(r.text)
    assert r.status_code == 200 and "15/2003/QH11" in page
    assert "hết hiệu lực" in page and "06/2022/QH15" in page


def test_lookup_warns_about_a_wrong_date_and_gives_the_standard_form(client):
    r = client.post("/lookup", data={"text": "Thực hiện Chỉ thị số 34-CT/TW ngày 07/5/2014 của Bộ Chính trị"})
    page = text_of(r.text)
    assert "07/5/2014" in page and "07/4/2014" in page and "khác ngày ban hành" in page
    assert "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị" in page


def test_lookup_api_get_and_post_agree(client):
    text = "Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003; Thực hiện Chỉ thị số 34-CT/TW ngày 07/5/2014"
    got = client.get("/api/lookup", params={"text": text}).json()
    posted = client.post("/api/lookup", json={"text": text}).json()
    assert got == posted
    kinds = {w["kind"] for c in got["citations"] for w in c["warnings"]}
    assert {"superseded", "date"} <= kinds


def test_lookup_unknown_number_warns(client):
    r = client.get("/api/lookup", params={"text": "Thực hiện Kế hoạch số 9999/KH-UBND ngày 01/01/2020 của UBND tỉnh Lạng Sơn"})
    kinds = {w["kind"] for c in r.json()["citations"] for w in c["warnings"]}
    assert kinds & {"unknown", "ambiguous"}


def test_lookup_escapes_the_pasted_text(client):
    r = client.post("/lookup", data={"text": "<script>alert(1)</script> Chỉ thị số 34-CT/TW"})
    assert "<script>alert" not in r.text and "&lt;script&gt;" in r.text


# --- glossary ---------------------------------------------------------------------------
def test_article_urls_point_at_one_article_of_the_law(client):
    html = client.get("/doc/06-2022-qh15").text
    assert 'id="dieu-24"' in html and 'id="dieu-96"' in html
    # the anchor sits right before the article's own heading
    after = html.split('id="dieu-24"')[1][:400]
    assert "Điều 24" in text_of(after)


def test_lookup_of_the_current_law_has_no_warning(client):
    got = client.get("/api/lookup", params={"text": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"}).json()
    law = next(c for c in got["citations"] if c["resolved"] == "06-2022-qh15")
    assert law["in_corpus"] and law["warnings"] == [] and law["url"] == "/doc/06-2022-qh15"


def test_glossary_entry_links_to_the_article_that_defines_it(client, kb):
    entry = next(e for e in kb.glossary.entries if any(l.symbol == "06/2022/QH15" for l in e.links))
    link = next(l for l in entry.links if l.symbol == "06/2022/QH15")
    html = client.get(f"/glossary/{entry.slug}").text
    number = link.label.split()[-1]
    assert f'href="/doc/06-2022-qh15#dieu-{number}"' in html


def test_glossary_list_filter_and_entry(client, kb):
    r = client.get("/glossary")
    assert r.status_code == 200 and "<dfn>" in r.text
    entry = kb.glossary.entries[0]
    one = client.get(f"/glossary/{entry.slug}")
    assert one.status_code == 200 and entry.term in text_of(one.text)
    filtered = client.get("/glossary", params={"q": entry.term})
    assert entry.term in text_of(filtered.text)
    cat = client.get("/glossary", params={"category": entry.category})
    assert entry.term in text_of(cat.text)
    assert client.get("/glossary/khong-co-thuat-ngu-nay").status_code == 404


# --- JSON API ---------------------------------------------------------------------------
def test_api_mirrors_the_pages(client):
    s = client.get("/api/search", params={"q": "200/KH-UBND"}).json()
    assert s["total"] > 0 and any(d["id"] == PLAN for d in s["documents"])
    d = client.get(f"/api/documents/{PLAN}").json()
    assert d["symbol"] == "200/KH-UBND" and d["in_corpus"] is True and d["sections"]
    c = client.get(f"/api/documents/{PLAN}/citations").json()
    assert any(g["relation"] == "implements" for g in c["cites"])
    ch = client.get(f"/api/documents/{PLAN}/chain").json()
    assert {"34-ct-tw-2014", "19-ct-ttg-2021", PLAN} <= {n["id"] for layer in ch["layers"] for n in layer}
    cited = client.get("/api/documents/19-ct-ttg-2021").json()
    assert cited["in_corpus"] is False and cited["citing"]
    g = client.get("/api/glossary").json()
    assert g["total"] == len(g["entries"]) > 0
    st = client.get("/api/status").json()
    assert st["embedding"]["state"] == "lexical-only" and st["counts"]["documents"] >= 5


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    assert "/api/search" in spec["paths"] and "/api/lookup" in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/documents/{doc_id}/chain" in docs.text
    assert "cdn" not in docs.text.lower()


# --- errors and safety ------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/doc/khong-co-van-ban-nay", "/doc/khong-co-van-ban-nay/chain"])
def test_unknown_id_is_a_404_page_naming_the_id(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "khong-co-van-ban-nay" in text_of(r.text)


@pytest.mark.parametrize("path", ["/api/documents/khong-co-van-ban-nay", "/api/documents/khong-co-van-ban-nay/citations",
                                  "/api/documents/khong-co-van-ban-nay/chain"])
def test_unknown_id_is_a_json_404_naming_the_id(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "khong-co-van-ban-nay" in r.json()["detail"]


@pytest.mark.parametrize("path", [
    "/doc/..%2F..%2Fetc%2Fpasswd", "/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/doc/%2e%2e", "/doc/..%2f..%2fmanifest.json",
    "/doc/manifest", "/doc/..%2Fmanifest", "/api/documents/..%2F..%2Fetc%2Fpasswd", "/api/documents/%2e%2e%2fmanifest",
    "/doc/a%2Fb", "/doc/A", "/glossary/..%2F..%2Fetc%2Fpasswd",
])
def test_path_traversal_is_a_404_never_a_file(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "root:" not in r.text and "build_hash" not in r.text


def test_admin_routes_are_off_by_default_and_need_the_token(kb):
    off = TestClient(create_app(kb=kb, settings=Settings(admin_token=None)))
    assert off.post("/admin/rebuild").status_code == 404
    on = TestClient(create_app(kb=kb, settings=Settings(admin_token="s3cret")))
    assert on.post("/admin/rebuild").status_code == 403
    assert on.post("/admin/rebuild", headers={"X-Admin-Token": "wrong"}).status_code == 403


PROJECT = "seeds-001-0ad26dd208134689"  # Đề án issued with Quyết định 1657/QĐ-UBND (seed 001)


def test_footnotes_are_linked_both_ways(client):
    html = client.get(f"/doc/{PROJECT}").text
    body = html.split('class="doc-body"')[1]
    refs = re.findall(r'<sup id="(fnref[^"]*)"><a class="footnote-ref" href="#(fn[^"]*)"', body)
    assert len(refs) >= 5, "the superscript markers ¹ … link to their notes"
    ref_id, note_id = refs[0]
    note = body.split(f'id="{note_id}"')[1].split("</li>")[0]
    assert f'href="#{ref_id}"' in note, "and each note links back"
    assert "Nghị quyết số 13/2018/NQ-HĐND" in text_of(body.split('class="footnote"')[1])


def test_attached_document_links_to_the_decision_it_was_issued_with(client):
    html = client.get(f"/doc/{PROJECT}").text
    related = html.split('class="doc-links"')[1].split("</section>")[0]
    assert "Kèm theo văn bản" in text_of(related) and 'href="/doc/1657-qd-ubnd-2021"' in related
    decision = client.get("/doc/1657-qd-ubnd-2021")
    assert decision.status_code == 200 and "1657/QĐ-UBND" in text_of(decision.text)


@pytest.mark.parametrize("status, shown", [
    ({"state": "lexical-only", "done": 0, "total": 0}, "Tìm kiếm theo từ khóa (chưa có vector ngữ nghĩa)."),
    ({"state": "embedding", "done": 120, "total": 480}, "Đang tính vector ngữ nghĩa 120/480 đoạn"),
    ({"state": "ready", "done": 480, "total": 480}, "Tìm kiếm kết hợp (từ khóa + ngữ nghĩa) đang bật."),
])
def test_banner_shows_embedding_progress(kb, monkeypatch, status, shown):
    monkeypatch.setattr(kb, "embedding_status", lambda: dict(status))
    page = TestClient(create_app(kb=kb)).get("/search", params={"q": "thi đua"}).text
    banner = text_of(page.split('id="embedding-status"')[1].split("</p>")[0])
    assert shown in banner
    assert ('<progress max="480" value="120">' in page) == (status["state"] == "embedding")


def test_cited_page_shows_conflicting_dates_with_their_sources(client):
    html = client.get("/doc/05-ct-tw-2016").text
    conflict = html.split('class="conflicts warn"')[1].split("</section>")[0]
    shown = text_of(conflict)
    assert "05-CT/TW" in shown and "15/5/2011" in shown and "15/5/2016" in shown
    assert 'href="/doc/1169-ctr-ubnd-2016' in conflict and f'href="/doc/{PROJECT}' in conflict


def test_provenance_and_draft_badge_shown_on_the_document_page(kb, monkeypatch):
    import dataclasses

    doc = dataclasses.replace(kb.document(PLAN), draft=True, provenance={
        "repository": "tnt305/tai_lieu_noi_bo", "path": "src/etl/dataset/x.md",
        "commit": "94c5034af72cc7e5020694d06eceb126a103d48b", "description_vi": "Kế hoạch <b>200</b> của UBND tỉnh Lạng Sơn",
        "description": "Source is a Markdown crawl (maintainers' note)"})
    monkeypatch.setattr(kb, "document", lambda doc_id: doc if doc_id == PLAN else None)
    html = TestClient(create_app(kb=kb)).get(f"/doc/{PLAN}").text
    block = text_of(html.split('class="provenance"')[1].split("</details>")[0])
    for shown in ("tnt305/tai_lieu_noi_bo", "src/etl/dataset/x.md", "94c5034af72cc7e5020694d06eceb126a103d48b",
                  "Kế hoạch <b>200</b> của UBND tỉnh Lạng Sơn"):
        assert shown in block
    assert "<b>200</b>" not in html
    assert "maintainers' note" not in html       # sources.yaml's description is for its editors, never shown
    assert '<span class="badge draft">Dự thảo</span>' in html


def test_codified_text_is_badged(client):
    html = client.get(f"/doc/{CIRCULAR}").text
    assert '<span class="badge codified"' in html and "Pháp điển" in text_of(html.split('class="badges"')[1][:300])


def test_without_a_knowledge_base_the_site_says_how_to_build_one(tmp_path):
    c = TestClient(create_app(build_dir=tmp_path / "empty"))
    page = c.get("/")
    assert page.status_code == 503 and "tdkt build" in text_of(page.text)
    api = c.get("/api/status")
    assert api.status_code == 503 and "tdkt build" in api.json()["detail"]


def test_chain_page_of_a_document_outside_any_chain(client):
    r = client.get("/doc/06-2022-qh15/chain")  # the law implements no directive in the corpus
    assert r.status_code == 200 and "Chưa thấy văn bản này thực hiện" in text_of(r.text) and "<svg" not in r.text
