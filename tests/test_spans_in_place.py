"""Spans in place (issue 12 part 6): a citation's link covers exactly its own words on the page.

Kế hoạch 200/KH-UBND, section II.1, cites Chỉ thị 19/CT-TTg in its heading and again in its text;
the heading's offsets were once applied to the text, so the link wrapped "yên truyền có hiệu q" and
the cited page of 19/CT-TTg showed that broken excerpt twice. Checked over the whole bundled corpus:
every linked citation (in a section's text, its heading, a table cell or a footnote) is linked on
the rendered page with exactly its own words, and the cited pages' excerpts mark citation words.
"""
from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from corpus.models import Citation, Document, Footnote, Section


class _Links(HTMLParser):
    """The words inside each <a data-cite=N> of a page (one citation may be several links: one per
    line it spans), and the words inside each <mark>."""

    def __init__(self):
        super().__init__()
        self.cite: int | None = None
        self.in_mark = False
        self.links: dict[int, list[str]] = defaultdict(list)
        self.marks: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("data-cite") is not None:
            self.cite = int(a["data-cite"])
            self.links[self.cite].append("")
        elif tag == "mark":
            self.in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "a":
            self.cite = None
        elif tag == "mark":
            self.in_mark = False

    def handle_data(self, data):
        if self.cite is not None:
            self.links[self.cite][-1] += data
        if self.in_mark:
            self.marks[-1] += data


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def client(bundled_kb):
    from search_app.app import create_app
    return TestClient(create_app(kb=bundled_kb))


def _page(client, doc_id: str) -> _Links:
    from search_app import urls
    resp = client.get(urls.doc(doc_id))
    assert resp.status_code == 200, (doc_id, resp.status_code)
    p = _Links()
    p.feed(resp.text)
    return p


def test_every_citation_offset_holds_its_own_words(bundled_kb):
    for meta in bundled_kb.documents_meta():
        doc = bundled_kb.document(meta["id"])
        wrong = [(c.section_id, c.part, c.text) for c in doc.citations if doc.citation_source(c) is None]
        assert not wrong, (doc.id, wrong[:5])


def test_every_linked_citation_is_linked_with_exactly_its_words(bundled_kb, client):
    """The rendered document page: every citation the page links (it resolves to a document) is
    linked, and the link's words are the citation's words, in headings, tables and footnotes too."""
    checked, parts = 0, set()
    for meta in bundled_kb.documents_meta():
        doc = bundled_kb.document(meta["id"])
        page = _page(client, doc.id)
        for i, c in enumerate(doc.citations):
            if not c.target:
                assert i not in page.links, (doc.id, c.text)      # unresolved: no link to nowhere
                continue
            assert _words(" ".join(page.links.get(i, []))) == _words(c.text), (doc.id, i, c.part, c.section_id)
            checked += 1
            parts.add(c.part)
        assert set(page.links) <= set(range(len(doc.citations))), doc.id
    assert checked > 1500 and {"text", "heading", "footnote"} <= parts


def test_plan_200_section_ii1_links_the_heading_and_the_text_apart(bundled_kb, client):
    doc = bundled_kb.document("200-kh-ubnd-2021")
    page = _page(client, doc.id)
    sec = [c for c in doc.citations if c.section_id == "ii.1" and c.canonical == "19/CT-TTg"]
    assert {c.part for c in sec} == {"heading", "text"}
    for c in sec:
        assert page.links[doc.citations.index(c)] == ["Chỉ thị số 19/CT-TTg"]
    assert not any("yên truyền" in w for ws in page.links.values() for w in ws)


def test_cited_page_of_19_ct_ttg_shows_each_passage_once_with_its_words(bundled_kb, client):
    from search_app.routes.documents import cited_view
    view = cited_view(bundled_kb, "19-ct-ttg-2021")
    items = [p for d in view["citing"] for p in d["items"] if p["section_id"] == "ii.1" and "200-kh-ubnd-2021" in p["url"]]
    assert len(items) == 2
    excerpts = [(p["excerpt"]["before"], p["excerpt"]["hit"]) for p in items]
    assert all(hit == "Chỉ thị số 19/CT-TTg" for _, hit in excerpts)
    assert len(set(excerpts)) == 2                      # the heading's and the text's own surroundings
    page = _page(client, "19-ct-ttg-2021")
    assert page.marks and not any("yên truyền có hiệu q" == m for m in page.marks)


def test_cited_pages_mark_citation_words(bundled_kb, client):
    """Every excerpt on every cited-document page marks the words of a citation of that document."""
    by_target: dict[str, set[str]] = defaultdict(set)
    for meta in bundled_kb.documents_meta():
        for c in bundled_kb.document(meta["id"]).citations:
            if c.target and not bundled_kb.has_document(c.target):
                by_target[c.target].add(_words(c.text))
    assert len(by_target) > 20
    for target, texts in sorted(by_target.items()):
        marks = [_words(m) for m in _page(client, target).marks]
        assert marks, target
        assert set(marks) <= texts, (target, set(marks) - texts)


def test_each_citing_passage_marks_its_own_citation(bundled_kb):
    """On a cited page, each passage's excerpt marks the words of the citation that passage is
    about (not the first citation of the document in that section)."""
    from search_app.routes.documents import cited_view
    targets = {c.target for m in bundled_kb.documents_meta() for c in bundled_kb.document(m["id"]).citations
               if c.target and not bundled_kb.has_document(c.target)}
    checked = 0
    for target in sorted(targets):
        for d in cited_view(bundled_kb, target)["citing"]:
            for p in d["items"]:
                if p["section_id"]:
                    assert p["excerpt"] and _words(p["excerpt"]["hit"]) == _words(p["text"]), (target, p["url"])
                    checked += 1
    assert checked > 300


def _doc(text: str, heading: str, notes: list[str]) -> Document:
    return Document(id="d", source_file="d.txt", sections=[Section(id="s", kind="numbered", label="1.", heading=heading, text=text)],
                    footnotes=[Footnote(marker=str(i + 1), text=t, section_id="s") for i, t in enumerate(notes)])


@pytest.mark.parametrize("part,footnote,start,ok", [
    ("text", None, 0, True), ("heading", None, 0, False), ("heading", None, 3, True),
    ("footnote", 0, 4, True), ("footnote", 1, 4, False), ("footnote", None, 4, False), ("text", None, 99, False),
])
def test_citation_source_is_the_part_its_offsets_point_into(part, footnote, start, ok):
    doc = _doc("Chỉ thị 19/CT-TTg về thi đua", "Về Chỉ thị 19/CT-TTg", ["Xem Chỉ thị 19/CT-TTg"])
    c = Citation(start=start, end=start + len("Chỉ thị 19/CT-TTg"), text="Chỉ thị 19/CT-TTg", section_id="s",
                 part=part, footnote=footnote)
    assert (doc.citation_source(c) is not None) == ok


@pytest.mark.browser
def test_browser_the_plans_heading_link_is_the_directive(bundled_kb):
    from pathlib import Path

    from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs chromium and chromedriver")
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By

    from search_app.app import create_app

    with serving(create_app(kb=bundled_kb), log_level="warning") as port, headless_chrome() as d:
        d.get(f"http://127.0.0.1:{port}/doc/200-kh-ubnd-2021")
        heading = d.find_element(By.ID, "ii.1")
        assert [a.text for a in heading.find_elements(By.CSS_SELECTOR, "a[data-cite]")] == ["Chỉ thị số 19/CT-TTg"]
        para = heading.find_element(By.XPATH, "following-sibling::p[1]")
        links = [a.text for a in para.find_elements(By.CSS_SELECTOR, "a[data-cite]")]
        assert links[0] == "Chỉ thị số 19/CT-TTg" and "yên truyền" not in " ".join(links)
        d.find_element(By.CSS_SELECTOR, "#ii\\.1 a[data-cite]").click()
        marks = [m.text for m in d.find_elements(By.CSS_SELECTOR, "section.citing mark")]
        assert "Chỉ thị số 19/CT-TTg" in marks and "yên truyền có hiệu q" not in marks
