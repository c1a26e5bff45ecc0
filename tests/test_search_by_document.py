"""The search page as an officer uses it (issue 18): a card for every document number typed in any
spelling the citation extractor accepts — in the corpus or known only from the registry — then the
passages citing exactly that number; results grouped by document, counted by document; the edges
(a page beyond the last, an inverted year range, a pasted page of text, a document without a
number, a draft). Over the site's fixture knowledge base (tests/conftest_site.py), lexical only."""
from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest
from fastapi.testclient import TestClient

from conftest_site import open_site_kb
from indexer.query import parse_query
from search_app.app import create_app

PLAN = "200-kh-ubnd-2021"          # Kế hoạch 200/KH-UBND (seed 000), in the corpus, in a chain
OFFICE_PLAN = "seeds-004-0bc12b19801fe739"   # Bắc Kạn office plan, "Số: /KH-VP", dated …/9/2024
LAW = "06-2022-qh15"
# every search here looks at every text (the site's default is "in force only")
ALL = {"in_force": "0"}


@pytest.fixture(scope="module")
def kb():
    return open_site_kb()


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb=kb))


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def cards(html: str) -> list[str]:
    """The cards of a results page, in order, as their HTML."""
    return re.findall(r'<article class="doc-card".*?</article>', html, re.S)


def card_ids(html: str) -> list[str]:
    return re.findall(r'<article class="doc-card" data-doc="([^"]+)"', html)


def result_items(html: str) -> list[str]:
    """Each result's HTML up to its first list end (its heading, title, snippet)."""
    return re.findall(r'<li class="result">(.*?)</li>', html, re.S)


def result_docs(html: str) -> list[str]:
    return [re.search(r'href="/doc/([^"#]+)', r).group(1) for r in result_items(html)]


def result_of(html: str, doc_id: str) -> str:
    return next(r for r in result_items(html) if f'href="/doc/{doc_id}' in r)


def citing_docs(kb, cited: str) -> set[str]:
    """Documents with a passage whose citations name ``cited``, read from the passages themselves."""
    return {p.doc_id for p in kb.passages if cited in p.cites and p.doc_id != cited}


# --- number cards ------------------------------------------------------------------------
NUMBERS = [
    # (query as typed, the document's page id, in the corpus)
    ("98/2023/NĐ-CP", "98-2023-nd-cp", False),
    ("nđ 98/2023", "98-2023-nd-cp", False),
    ("nd 98/2023", "98-2023-nd-cp", False),
    ("Nghị định 98/2023", "98-2023-nd-cp", False),
    ("nghi dinh so 98/2023", "98-2023-nd-cp", False),
    ("34-CT/TW", "34-ct-tw-2014", False),
    ("ct 34", "34-ct-tw-2014", False),
    ("chi thi 34", "34-ct-tw-2014", False),
    ("19/CT-TTg", "19-ct-ttg-2021", False),
    ("ct 19", "19-ct-ttg-2021", False),
    ("200/KH-UBND", PLAN, True),
    ("kh 200", PLAN, True),
    ("ke hoach 200/KH-UBND", PLAN, True),
    ("tiêu chuẩn khen thưởng theo 19/CT-TTg", "19-ct-ttg-2021", False),
]


@pytest.mark.parametrize("query,doc_id,in_corpus", NUMBERS)
def test_a_number_in_any_spelling_gives_its_card_first(client, query, doc_id, in_corpus):
    html = client.get("/search", params={"q": query, **ALL}).text
    assert card_ids(html)[:1] == [doc_id], (query, card_ids(html))
    card = cards(html)[0]
    assert f'href="/doc/{doc_id}"' in card
    assert ('ngoài kho' in card) is (not in_corpus)
    assert 'class="badge status' in card, "the card says the document's status"
    # the card comes before every result
    assert html.index('class="doc-card"') < html.index('<ol class="results"') if 'class="results"' in html else True


def test_a_cited_only_card_has_status_on_the_asked_date_date_issuer_title_and_links(client, kb):
    card = cards(client.get("/search", params={"q": "98/2023/NĐ-CP", **ALL}).text)[0]
    shown = text_of(card)
    assert "Nghị định 98/2023/NĐ-CP" in shown and "31/12/2023" in shown and "Chính phủ" in shown
    assert "Luật Thi đua, khen thưởng" in shown   # its title
    assert "Đã bị thay thế" in shown              # replaced by Nghị định 152/2025 from 01/7/2025
    n = len(citing_docs(kb, "98-2023-nd-cp"))
    assert n and f'href="/doc/98-2023-nd-cp#cited-by"' in card and f"Được {n} văn bản trích dẫn" in shown
    # on a date before the replacement, the same card says it was in force
    early = cards(client.get("/search", params={"q": "98/2023/NĐ-CP", "as_of": "2024-06-01", **ALL}).text)[0]
    assert "Còn hiệu lực" in text_of(early)
    # the page the card links to lists who cites it, under the anchor the link names
    page = client.get("/doc/98-2023-nd-cp").text
    assert 'id="cited-by"' in page


def test_a_corpus_card_links_to_its_chain(client):
    card = cards(client.get("/search", params={"q": "200/KH-UBND", **ALL}).text)[0]
    assert f'href="/doc/{PLAN}/chain"' in card and "Lạng Sơn" in text_of(card)


@pytest.mark.parametrize("query,cited", [("98/2023/NĐ-CP", "98-2023-nd-cp"), ("34-CT/TW", "34-ct-tw-2014"),
                                         ("nd 98/2023", "98-2023-nd-cp"), ("19/CT-TTg", "19-ct-ttg-2021")])
def test_a_bare_number_finds_only_what_cites_it_never_the_words_of_its_type(client, kb, query, cited):
    html = client.get("/search", params={"q": query, **ALL}).text
    docs = result_docs(html)
    expected = citing_docs(kb, cited)
    assert docs and set(docs) <= expected, (docs, expected)
    # the law and the circular say "Nghị định", "Chính phủ", "Chỉ thị" often; they do not cite the number
    assert LAW not in docs and "12-2019-tt-bnv" not in docs
    assert f"{len(expected)} văn bản" in text_of(html)


def test_the_passages_shown_under_a_number_are_those_citing_it(client, kb):
    resp = kb.searcher.search("34-CT/TW", group="doc", mode="lexical", limit=50)
    for r in resp.results:
        for shown in [r, *r.more]:
            assert "34-ct-tw-2014" in shown.passage.cites, shown.passage.id


def test_a_number_several_documents_share_shows_every_candidate():
    from corpus.registry import RegistryEntry

    kb = open_site_kb()   # a fresh copy: its registry gets two more plans numbered 12/KH-UBND
    for i, (province, date) in enumerate([("Lai Châu", "2019-02-01"), ("Hà Giang", "2013-05-10")]):
        kb.registry.add(RegistryEntry(id=f"12-kh-ubnd-test-{i}", doc_type="Kế hoạch", number="12", symbol="12/KH-UBND",
                                      canonical="12/KH-UBND", date=date, issuer=f"Ủy ban nhân dân tỉnh {province}",
                                      title=f"Kế hoạch thi đua của tỉnh {province}"))
    html = TestClient(create_app(kb=kb)).get("/search", params={"q": "12/KH-UBND", **ALL}).text
    ids = card_ids(html)
    assert ids[0] == "12-kh-ubnd-2013" and {"12-kh-ubnd-test-0", "12-kh-ubnd-test-1"} <= set(ids)
    # the corpus's own first, then the others newest first (2019 before 2013)
    assert ids.index("12-kh-ubnd-test-0") < ids.index("12-kh-ubnd-test-1")
    assert "3 văn bản có thể mang số này" in text_of(html)
    assert "Lai Châu" in text_of(html) and "Hà Giang" in text_of(html)


# --- results by document -----------------------------------------------------------------
def matching_documents(kb, query: str) -> list[dict]:
    """The documents with a passage the lexical index matches, counted here from the index and the
    manifest, not from the searcher's grouping."""
    pids = [pid for pid, _ in kb.searcher.lexical.search(parse_query(query, kb.glossary), None, 100_000)]
    meta = {m["id"]: m for m in kb.documents_meta()}
    docs = dict.fromkeys(pid.split("#")[0] for pid in pids)
    return [meta[d] for d in docs]


def shown_facets(html: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for head, body in re.findall(r'<section class="facet"><h2>([^<]+)</h2>(.*?)</section>', html, re.S):
        items = re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a> <span class="count">(\d+)</span>', body)
        out[unescape(head)] = {unescape(v): int(c) for v, c in items}
    return out


@pytest.mark.parametrize("query", ["thi đua", "chiến sĩ thi đua cơ sở", "khen thuong"])
def test_facets_and_total_count_documents(client, kb, query):
    html = client.get("/search", params={"q": query, **ALL}).text
    docs = matching_documents(kb, query)
    facets = shown_facets(html)
    for label, key in [("Loại văn bản", "doc_type"), ("Tỉnh/thành", "province"), ("Năm", "year")]:
        expected = Counter(str(d[key]) for d in docs if d.get(key))
        assert facets.get(label) == dict(expected), (label, facets.get(label), expected)
    assert re.search(rf"(?<![\d.]){len(docs)} văn bản", text_of(html))
    assert "hơn" not in text_of(html.split('class="summary"')[1][:300]), "the total is exact"


def test_each_document_is_one_result_with_its_other_passages_under_it(client, kb):
    html = client.get("/search", params={"q": "thi đua", **ALL}).text
    docs = result_docs(html)
    assert len(docs) == len(set(docs)) == min(10, len(matching_documents(kb, "thi đua")))
    more = re.findall(r'<summary>(\d+) đoạn khác trong văn bản này</summary>', html)
    assert more, "a document with several matching passages offers them"
    # the count is the number of that document's other matching passages
    first = re.search(r'<li class="result">.*?href="/doc/([^"#]+).*?<summary>(\d+) đoạn khác', html, re.S)
    pids = [pid for pid, _ in kb.searcher.lexical.search(parse_query("thi đua", kb.glossary), None, 100_000)]
    assert int(first.group(2)) == sum(pid.split("#")[0] == first.group(1) for pid in pids) - 1
    assert "<details class=\"more\">" in html   # opens without JavaScript


def test_pages_go_over_documents(bundled_kb):
    """Over the bundled corpus (96 documents): page 2 holds the next ten documents, none of page 1's."""
    client = TestClient(create_app(kb=bundled_kb))
    one_html = client.get("/search", params={"q": "thi đua", **ALL}).text
    one = result_docs(one_html)
    two_html = client.get("/search", params={"q": "thi đua", "page": 2, **ALL}).text
    two = result_docs(two_html)
    assert len(one) == len(set(one)) == 10 and two and not set(one) & set(two)
    assert 'start="11"' in two_html
    total = len(matching_documents(bundled_kb, "thi đua"))
    assert f"{total} văn bản" in text_of(one_html) and "hơn" not in text_of(one_html.split('class="summary"')[1][:200])


def test_the_api_groups_when_asked_and_keeps_its_fields_otherwise(client):
    plain = client.get("/api/search", params={"q": "thi đua"}).json()
    assert plain["group"] is None and len(plain["results"]) == 10
    assert {"doc_id", "section_id", "snippet", "state", "same"} <= set(plain["results"][0])
    assert len({r["doc_id"] for r in plain["results"]}) < 10, "by passage: one document fills several rows"
    grouped = client.get("/api/search", params={"q": "thi đua", "group": "doc"}).json()
    assert grouped["group"] == "doc"
    docs = [r["doc_id"] for r in grouped["results"]]
    assert len(docs) == len(set(docs)) == grouped["total"]
    assert grouped["total"] < plain["total"] and grouped["passages_total"] == plain["total"]
    assert any(r["more_count"] and r["more"] and "<mark>" in r["more"][0]["snippet"] for r in grouped["results"])
    cards = client.get("/api/search", params={"q": "nd 98/2023"}).json()["documents"]
    assert cards[0]["id"] == "98-2023-nd-cp" and cards[0]["cited_by_url"] == "/doc/98-2023-nd-cp#cited-by"


# --- edges -------------------------------------------------------------------------------
def test_a_page_beyond_the_last_says_so_and_offers_the_last(client):
    html = client.get("/search", params={"q": "thi đua", "page": 99999, **ALL}).text
    shown = text_of(html)
    last = re.search(r"có (\d+) trang kết quả", shown)
    assert "Trang 99999 vượt quá trang cuối" in shown and last
    url = unescape(re.search(r'<a href="([^"]+)">Đến trang cuối', html).group(1))
    page = client.get(url).text
    assert result_docs(page) and "vượt quá" not in text_of(page) and "Trang sau" not in page
    if int(last.group(1)) > 1:
        assert f"trang {last.group(1)}/{last.group(1)}" in text_of(page)


def test_an_inverted_year_range_says_so_and_offers_it_swapped(client):
    html = client.get("/search", params={"q": "thi đua", "year_from": 2024, "year_to": 2013, **ALL}).text
    assert "năm bắt đầu sau năm kết thúc" in text_of(html)
    url = unescape(re.search(r'<a href="([^"]+)">Tìm từ năm 2013 đến năm 2024', html).group(1))
    assert "year_from=2013" in url and "year_to=2024" in url
    assert result_docs(client.get(url).text)


def test_a_pasted_page_of_text_is_echoed_shortened(client):
    query = ("thi đua khen thưởng " * 200)[:3000]
    html = client.get("/search", params={"q": query}).text
    for echoed in re.findall(r'<b class="query">(.*?)</b>', html, re.S):
        assert len(unescape(echoed)) <= 121 and echoed.endswith("…")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert len(unescape(title)) < 200


def test_a_document_without_a_number_is_named_without_a_blank_number(client):
    html = client.get("/search", params={"q": "Đợt thi đua đặc biệt lập thành tích chào mừng Bắc Kạn", **ALL}).text
    assert OFFICE_PLAN in result_docs(html)
    item = result_of(html, OFFICE_PLAN)
    shown = text_of(item)
    assert "Kế hoạch không số" in shown and "tháng 9/2024" in shown
    # no result is named by its blank number, nor its whole text opens with it; a section's text
    # quoting its heading as written ("Số: /KH-VP") stays as written
    names = [text_of(n) for n in re.findall(r'<p class="doc">(.*?)</p>', html, re.S)]
    assert names and not [n for n in names if "/KH-VP" in n] and "…/9/2024" not in html
    assert "Kế hoạch /KH-VP" not in text_of(html.split('<ol class="results"')[1])


def test_the_draft_badge_shows_in_results_and_cards():
    kb = open_site_kb()   # a fresh copy whose manifest row says the plan is a draft
    from search_app.routes.kbview import corpus_meta

    corpus_meta(kb)[PLAN]["draft"] = True
    html = TestClient(create_app(kb=kb)).get("/search", params={"q": "200/KH-UBND", **ALL}).text
    item = result_of(html, PLAN)
    assert '<span class="badge draft">Dự thảo</span>' in item
    assert '<span class="badge draft">Dự thảo</span>' in cards(html)[0]


def test_on_a_phone_the_filters_fold_behind_a_button(client):
    html = client.get("/search", params={"q": "thi đua"}).text
    assert '<label for="show-filters" class="filters-button"' in html and "Bộ lọc" in html
    # the checkbox comes before the filters it folds (a CSS sibling rule, no JavaScript)
    assert html.index('id="show-filters"') < html.index('fieldset class="context"') < html.index('id="facets"')
    css = client.get("/static/site.css").text
    assert "@media (max-width: 600px)" in css and ".filters-toggle:checked ~ .search-layout .facets" in css
