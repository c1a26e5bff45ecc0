"""The site's small pure pieces, table-driven: URLs, escaping of snippets and glossary marking, the
chain's layering, the standard full citation, issuer comparison. No knowledge base needed."""
from __future__ import annotations

import pytest

from search_app import urls
from search_app.routes.chain_svg import chain_svg
from search_app.routes.doc_html import mark_glossary_terms
from search_app.routes.documents import full_form
from search_app.routes.kbview import chain_layers
from corpus.draft_check import same_issuer
from search_app.routes.present import display_date, snippet_html
from search_app.routes.search import clean_query, read_filters


@pytest.mark.parametrize("built, expected", [
    (urls.search("thi đua"), "/search?q=thi+%C4%91ua"),
    (urls.search("34-CT/TW", type="Chỉ thị"), "/search?q=34-CT%2FTW&type=Ch%E1%BB%89+th%E1%BB%8B"),
    (urls.search("x", page=1), "/search?q=x"),                     # page 1 is the default: no parameter
    (urls.search("x", page=3, year_from=2021), "/search?q=x&year_from=2021&page=3"),
    (urls.search("<script>"), "/search?q=%3Cscript%3E"),         # a query never reaches a link raw
    (urls.doc("06-2022-qh15", "chuong-3.dieu-24"), "/doc/06-2022-qh15#dieu-24"),  # articles: short anchor
    (urls.doc("200-kh-ubnd-2021", "ii.1"), "/doc/200-kh-ubnd-2021#ii.1"),
    (urls.doc("a/b"), "/doc/a%2Fb"),
    (urls.chain("200-kh-ubnd-2021"), "/doc/200-kh-ubnd-2021/chain"),
    (urls.lookup("Chỉ thị 34"), "/lookup?text=Ch%E1%BB%89+th%E1%BB%8B+34"),
    (urls.glossary(None, "danh hiệu thi đua"), "/glossary?category=danh+hi%E1%BB%87u+thi+%C4%91ua"),
    (urls.api_citations("19-ct-ttg-2021"), "/api/documents/19-ct-ttg-2021/citations"),
])
def test_url_builder(built, expected):
    assert built == expected


@pytest.mark.parametrize("snippet, expected", [
    ([("Chiến sĩ ", False), ("thi đua", True), (" cơ sở", False)], "Chiến sĩ <mark>thi đua</mark> cơ sở"),
    ([("<script>alert(1)</script>", True)], "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>"),
    ("tiêu chuẩn «chiến sĩ» & <b>", "tiêu chuẩn <mark>chiến sĩ</mark> &amp; &lt;b&gt;"),
    ("<mark>khen thưởng</mark> <img src=x onerror=alert(1)>", "<mark>khen thưởng</mark> &lt;img src=x onerror=alert(1)&gt;"),
    ("«unbalanced", "unbalanced"),                                 # never leave a tag open
    (None, ""),
])
def test_snippets_are_escaped_and_only_our_marks_survive(snippet, expected):
    assert str(snippet_html(snippet)) == expected


class _Entry:
    def __init__(self, term, definition):
        self.term, self.definition = term, definition


class _Match:
    def __init__(self, start, end, entry):
        self.start, self.end, self.entry = start, end, entry


class _TinyGlossary:
    """Finds "UBND" and "thi đua" (offsets into the text it is given), like Glossary.find_terms."""

    terms = {"UBND": "Ủy ban nhân dân \"cấp tỉnh\" <b>", "thi đua": "Thi đua là hoạt động có tổ chức"}

    def find_terms(self, text):
        out = []
        for term, definition in self.terms.items():
            i = text.find(term)
            while i >= 0:
                out.append(_Match(i, i + len(term), _Entry(term, definition)))
                i = text.find(term, i + len(term))
        return out


@pytest.mark.parametrize("html_in, must_have, must_not_have", [
    ("<p>Đề nghị UBND tỉnh xét</p>",
     ['<abbr class="term" title="Ủy ban nhân dân &#34;cấp tỉnh&#34; &lt;b&gt;">UBND</abbr>'], ["<b>"]),
    # inside a link or a heading a term is left alone (the link/heading already says what it is)
    ('<p><a href="/doc/x">Kế hoạch của UBND</a></p>', ['<a href="/doc/x">Kế hoạch của UBND</a>'], ["<abbr"]),
    ('<h2 id="dieu-1">Điều 1. Phong trào thi đua</h2>', ["Phong trào thi đua</h2>"], ["<abbr"]),
    # escaped document text stays escaped after marking
    ("<p>&lt;script&gt;alert(1)&lt;/script&gt; thi đua</p>", ["&lt;script&gt;alert(1)&lt;/script&gt;", "<abbr"], ["<script>"]),
    ("<p>a &amp; b UBND</p>", ["a &amp; b <abbr"], []),
    # a code inside a document number is part of the number, not a term
    ("<p>Số: 777/KH-UBND, Kế hoạch 12/UBND-VX</p>", ["777/KH-UBND", "12/UBND-VX"], ["<abbr"]),
])
def test_glossary_terms_marked_on_text_nodes_only(html_in, must_have, must_not_have):
    out = mark_glossary_terms(html_in, _TinyGlossary())
    for s in must_have:
        assert s in out
    for s in must_not_have:
        assert s not in out


def test_real_glossary_marks_an_abbreviation():
    from glossary.load import Glossary

    out = mark_glossary_terms("<p>Ủy quyền cho UBND tỉnh Lạng Sơn</p>", Glossary.load())
    assert '<abbr class="term" title="' in out and ">UBND</abbr>" in out


def test_chain_layers_put_the_politburo_on_top_and_units_at_the_bottom():
    edges = [("200-kh-ubnd-2021", "19-ct-ttg-2021", "implements"), ("19-ct-ttg-2021", "34-ct-tw-2014", "implements"),
             ("1419-vks-vp-2021", "200-kh-ubnd-2021", "implements")]
    assert chain_layers(edges, "200-kh-ubnd-2021") == [["34-ct-tw-2014"], ["19-ct-ttg-2021"], ["200-kh-ubnd-2021"],
                                                      ["1419-vks-vp-2021"]]
    # a cycle in bad data is cut, not looped forever
    assert sum(map(len, chain_layers([("a", "b", "implements"), ("b", "a", "implements")], "a"))) == 2


def test_chain_svg_links_every_box_and_escapes_labels():
    nodes = {n: {"label": lbl, "url": f"/doc/{n}", "in_corpus": n == "a", "date_display": ""}
             for n, lbl in (("a", "Kế hoạch <b>"), ("b", "Chỉ thị 34-CT/TW"))}
    svg = str(chain_svg([["b"], ["a"]], [("a", "b", "implements")], nodes, focus="a"))
    assert svg.count("<a href=") == 2 and 'href="/doc/b"' in svg
    assert "Kế hoạch &lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count("<line") == 1


@pytest.mark.parametrize("entry, expected", [
    ({"doc_type": "Chỉ thị", "canonical": "34-CT/TW", "date": "2014-04-07", "issuer": "Bộ Chính trị",
      "title": "về tiếp tục đổi mới công tác thi đua, khen thưởng"},
     "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng"),
    ({"doc_type": "Luật", "canonical": "06/2022/QH15", "date": "2022-06-15", "issuer": "Quốc hội", "title": "Thi đua, khen thưởng"},
     "Luật số 06/2022/QH15 ngày 15/6/2022 của Quốc hội về thi đua, khen thưởng"),
    ({"doc_type": "Kế hoạch", "canonical": "200/KH-UBND"}, "Kế hoạch số 200/KH-UBND"),
])
def test_full_citation_form(entry, expected):
    assert full_form(entry) == expected


@pytest.mark.parametrize("cited, known, same", [
    ("UBND tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn", True),
    ("Bộ Chính trị", "Bộ Chính trị", True),
    ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ", True),
    ("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh Lạng Sơn", True),
    ("Ban Bí thư", "Bộ Chính trị", False),
    ("UBND tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Lạng Sơn", False),
    ("Thủ tướng Chính phủ", "Chính phủ", False),          # a Nghị định is the Government's, not the Prime Minister's
    ("Chính phủ", "Thủ tướng Chính phủ", False),
    ("Bộ trưởng Bộ Nội vụ", "Bộ Nội vụ", True),
    ("Chủ tịch UBND tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn", True),
    ("Tổng Thanh tra Chính phủ", "Thanh tra Chính phủ", True),
    ("Chủ tịch nước", "Ngân hàng Nhà nước Việt Nam", False),
    ("Tổng cục Thuế", "Cục Thuế tỉnh Lạng Sơn", False),
    ("Bộ Tài chính", "Bộ Nội vụ", False),
])
def test_issuer_comparison(cited, known, same):
    assert same_issuer(cited, known) is same


@pytest.mark.parametrize("raw, expected", [
    ("  thi   đua ", "thi đua"),
    ("a\x00b\x07c", "a b c"),
    ("x" * 5000, "x" * 2000),
    (None, ""),
])
def test_query_cleaning(raw, expected):
    assert clean_query(raw) == expected


def test_malformed_filters_are_dropped_not_errors():
    f = read_filters({"year_from": "abc", "year_to": "99999", "type": "Kế hoạch"})
    assert f == {"type": "Kế hoạch", "province": None, "issuer": None, "year_from": None, "year_to": None}


@pytest.mark.parametrize("value, expected", [("2014-04-07", "07/4/2014"), ("2024-09", "…/9/2024"), (None, ""),
                                             ({"year": 2024, "month": 9, "day": None}, "…/9/2024")])
def test_dates_shown_as_vietnamese_texts_write_them(value, expected):
    assert display_date(value) == expected


@pytest.mark.parametrize("passage, expected", [
    ({"section_id": "chuong-3.dieu-24", "breadcrumb": ["Chương III", "Điều 24"], "heading": "Danh hiệu “Chiến sĩ thi đua cơ sở”"},
     "Chương III › Điều 24 › Danh hiệu “Chiến sĩ thi đua cơ sở”"),
    ({"section_id": "ii.1", "breadcrumb": ["II.", "1."], "heading": "1. Tổ chức quán triệt"}, "II. › 1. Tổ chức quán triệt"),
    ({"section_id": "", "breadcrumb": [], "heading": "Kế hoạch 200/KH-UBND", "title": "Kế hoạch 200/KH-UBND"}, ""),
    ({"section_id": "preamble", "breadcrumb": [], "heading": ""}, ""),
])
def test_result_breadcrumb(passage, expected):
    from search_app.routes.search import crumbs

    assert crumbs(passage) == expected


def test_only_the_first_occurrence_of_a_term_is_marked():
    out = mark_glossary_terms("<p>UBND tỉnh và UBND huyện</p><p>UBND xã, thi đua</p>", _TinyGlossary())
    assert out.count("<abbr") == 2 and out.count(">UBND</abbr>") == 1


def test_table_of_contents_lists_articles_not_every_clause():
    from search_app.routes.doc_html import toc_html

    tokens = [{"id": "dieu-1", "name": "Điều 1. Phạm vi &lt;điều chỉnh&gt;", "children": [
        {"id": "dieu-1.k1", "name": "1.", "children": [{"id": "dieu-1.k1.a", "name": "a)", "children": []}]}]},
        {"id": "ii", "name": "II. NỘI DUNG", "children": [{"id": "ii.1", "name": "1. Tổ chức quán triệt", "children": []}]}]
    out = toc_html(tokens)
    assert 'href="#dieu-1"' in out and 'href="#ii.1"' in out
    assert "dieu-1.k1" not in out                                  # bare "1." and "a)" are skipped
    assert "Phạm vi &lt;điều chỉnh&gt;" in out                     # names stay escaped


def test_chain_layers_keep_a_local_directive_next_to_the_plan_that_implements_it():
    edges = [("200", "19-ttg", "implements"), ("19-ttg", "34-tw", "implements"), ("200", "02-ubnd", "implements"),
             ("200", "01-kl", "implements"), ("01-kl", "05-tw", "implements"), ("200", "05-tw", "implements")]
    layers = chain_layers(edges, "200")
    assert set(layers[0]) == {"05-tw", "34-tw"}
    assert set(layers[1]) == {"01-kl", "02-ubnd", "19-ttg"}   # 02/CT-UBND is not hoisted to the top row
    assert layers[2] == ["200"]
    # ordered so that the arrows 01-KL → 05-CT/TW and 19/CT-TTg → 34-CT/TW do not cross
    row0, row1 = layers[0], layers[1]
    assert (row1.index("01-kl") < row1.index("19-ttg")) == (row0.index("05-tw") < row0.index("34-tw"))


def test_clause_markers_start_their_paragraph():
    from search_app.routes.doc_html import _inline_markers

    rendered = ('<h3 id="chuong-2.dieu-24">Điều 24. Danh hiệu</h3>\n<h4 id="chuong-2.dieu-24.k1">1.</h4>\n'
                '<p>Danh hiệu “Lao động tiên tiến”</p>\n<h5 id="chuong-2.dieu-24.k1.a">a)</h5>\n<p>Hoàn thành tốt</p>')
    out = _inline_markers(rendered)
    assert '<h3 id="chuong-2.dieu-24">Điều 24. Danh hiệu</h3>' in out          # articles keep their heading
    # the marker is the clause's own link (the page copies it)
    assert ('<p id="chuong-2.dieu-24.k1" class="clause lvl4"><a class="marker" href="#chuong-2.dieu-24.k1" '
            'data-copy-link="#chuong-2.dieu-24.k1" title="Sao chép liên kết tới 1.">1.</a> Danh hiệu') in out
    assert ('<p id="chuong-2.dieu-24.k1.a" class="clause lvl5"><a class="marker" href="#chuong-2.dieu-24.k1.a" '
            'data-copy-link="#chuong-2.dieu-24.k1.a" title="Sao chép liên kết tới a)">a)</a> Hoàn thành tốt</p>') in out
    assert "<h4" not in out and "<h5" not in out
