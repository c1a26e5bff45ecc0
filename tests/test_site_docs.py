"""The document side of issue 18, through FastAPI's TestClient over the site's fixture knowledge base
(tests/conftest_site.py): /doc/<number> in any spelling, the document page's tabs, attributes and
relations, downloads, copy buttons, the chain diagram's width, the home page and its lists."""
from __future__ import annotations

import io
import re
from collections import Counter
from html import unescape

import pytest
from fastapi.testclient import TestClient

from conftest_site import open_site_kb
from search_app.app import create_app

PLAN = "200-kh-ubnd-2021"          # Kế hoạch 200/KH-UBND, UBND tỉnh Lạng Sơn, 09/10/2021 (seed 000)
LAW = "06-2022-qh15"               # Luật Thi đua, khen thưởng 2022 (in the fixture corpus)
CIRCULAR = "12-2019-tt-bnv"        # replaced by Thông tư 15/2025/TT-BNV… per the registry


@pytest.fixture(scope="module")
def kb():
    return open_site_kb()


@pytest.fixture(scope="module")
def client(kb):
    return TestClient(create_app(kb=kb), follow_redirects=False)


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def panel(html: str, panel_id: str) -> str:
    start = html.index(f'id="{panel_id}" role="tabpanel"')
    end = html.find('role="tabpanel"', start + 30)
    return html[start:end if end > 0 else None]


# --- /doc/<number> ------------------------------------------------------------------------
@pytest.mark.parametrize("path, target", [
    ("/doc/34-ct-tw", "/doc/34-ct-tw-2014"),              # the case: a cited-only directive
    ("/doc/34-CT%2FTW", "/doc/34-ct-tw-2014"),
    ("/doc/200%2FKH-UBND", f"/doc/{PLAN}"),               # the number as typed, slash encoded
    ("/doc/200/KH-UBND", f"/doc/{PLAN}"),                 # …or not
    ("/doc/200-KH-UBND", f"/doc/{PLAN}"),
    ("/doc/nd-30-2020", "/doc/30-2020-nd-cp"),            # type code first, as officers say it
    ("/doc/luat-06-2022", f"/doc/{LAW}"),
    ("/doc/91%2F2017%2FN%C4%90-CP", "/doc/91-2017-nd-cp"),  # with Đ
    ("/doc/ct-19", "/doc/19-ct-ttg-2021"),
])
def test_a_number_in_any_spelling_redirects_to_its_document(client, path, target):
    r = client.get(path)
    assert r.status_code == 308 and r.headers["location"] == target
    assert client.get(target).status_code == 200


def test_a_number_several_documents_have_lists_them(client):
    r = client.get("/doc/05-ct-tw")     # Chỉ thị 05-CT/TW of 2011 and of 2016
    assert r.status_code == 300
    page = text_of(r.text)
    assert "có thể là 2 văn bản" in page
    links = re.findall(r'<a href="(/doc/[^"]+)">', r.text)
    assert {"/doc/05-ct-tw-2011", "/doc/05-ct-tw-2016"} <= set(links)


@pytest.mark.parametrize("path", ["/doc/999%2FKH-KHONG", "/doc/999/QĐ-KHONGCO", "/doc/khong-co-so"])
def test_an_unknown_number_is_a_vietnamese_404_naming_it(client, path):
    r = client.get(path)
    assert r.status_code == 404
    page = text_of(r.text)
    assert "Không có văn bản với số hiệu hoặc mã" in page and "KHONG" in page.upper()


# --- the document page -----------------------------------------------------------------------
def test_document_page_has_four_tabs_that_work_without_javascript(client):
    html = client.get(f"/doc/{PLAN}").text
    tabs = re.findall(r'<a role="tab" href="#([a-z-]+)"[^>]*>([^<]+)</a>', html)
    assert tabs == [("noi-dung", "Nội dung"), ("thuoc-tinh", "Thuộc tính"), ("luoc-do", "Lược đồ"),
                    ("lien-quan", "Văn bản liên quan")]
    for anchor, _ in tabs:      # each tab is an anchor to its panel: :target shows it without a script
        assert f'id="{anchor}" role="tabpanel"' in html
    css = client.get("/static/site.css").text
    assert ".tab-panel:target" in css and "@media print" in css


def test_attributes_tab_lists_every_attribute(client):
    attrs = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td></tr>', panel(client.get(f"/doc/{LAW}").text, "thuoc-tinh")))
    assert attrs["Số hiệu"] == "06/2022/QH15" and attrs["Loại văn bản"] == "Luật"
    assert attrs["Cơ quan ban hành"] == "Quốc hội" and attrs["Ngày ban hành"] == "15/6/2022"
    assert attrs["Ngày hiệu lực"] == "01/1/2024"
    assert attrs["Tình trạng"] == "Còn hiệu lực"
    assert {"Người ký", "Lĩnh vực", "Nguồn", "Ngày hết hiệu lực"} <= set(attrs)


def test_schema_tab_shows_typed_relations_both_ways(client):
    schema = panel(client.get(f"/doc/{PLAN}").text, "luoc-do")
    rows = re.findall(r'<tr class="rel-([a-z_]+) dir-(in|out)[^"]*">\s*<th scope="row">([^<]+)</th>', schema)
    labels = [label for _, _, label in rows]
    for label in ("Căn cứ", "Là căn cứ của", "Hướng dẫn", "Sửa đổi, bổ sung", "Thay thế", "Bị thay thế bởi",
                  "Bãi bỏ", "Dẫn chiếu", "Được dẫn chiếu bởi"):
        assert label in labels
    implements = schema.split('class="rel-implements dir-out">')[1].split("</tr>")[0]
    assert "19/CT-TTg" in text_of(implements)                    # the plan implements the directive
    forwarded = schema.split('class="rel-implements dir-in')[1].split("</tr>")[0]
    assert "Không có" in forwarded or "/doc/" in forwarded


def test_schema_tab_of_a_replaced_text_names_what_replaced_it(client):
    schema = panel(client.get(f"/doc/{CIRCULAR}").text, "luoc-do")
    replaced = text_of(schema.split('class="rel-replaces dir-in')[1].split("</tr>")[0])
    assert "Bị thay thế bởi" in replaced and "Không có" not in replaced


def test_related_tab_lists_the_forwarding_letter_and_the_chain(client):
    related = panel(client.get(f"/doc/{PLAN}").text, "lien-quan")
    assert "/doc/1419-vks-vp-2021" in related                  # the Công văn forwarding it
    assert "34-CT/TW" in text_of(related)                       # up the chain


def test_copy_buttons_carry_the_full_form_and_each_provision_link(client):
    html = client.get(f"/doc/{PLAN}").text
    copy = unescape(re.search(r'<button type="button" class="copy" data-copy="([^"]+)"', html).group(1))
    assert copy.startswith("Kế hoạch số 200/KH-UBND ngày 09/10/2021 của Ủy ban nhân dân tỉnh Lạng Sơn về triển khai")
    circular = client.get(f"/doc/{CIRCULAR}").text
    links = re.findall(r'data-copy-link="#([^"]+)"', circular)
    assert "dieu-5" in links                                    # an article's short anchor
    ids = set(re.findall(r'\bid="([^"]+)"', circular))
    assert links and all(a in ids for a in links), "every copied link points at an anchor of the page"
    assert any("." in a for a in links), "clauses (khoản) have their own links"
    assert client.get("/static/doc.js").status_code == 200 and 'src="/static/doc.js"' in html


def test_downloads_as_text_and_word(client, kb):
    from docx import Document as Word

    html = client.get(f"/doc/{PLAN}").text
    assert f'href="/doc/{PLAN}.txt"' in html and f'href="/doc/{PLAN}.docx"' in html
    txt = client.get(f"/doc/{PLAN}.txt")
    assert txt.status_code == 200 and txt.headers["content-type"].startswith("text/plain")
    assert "attachment" in txt.headers["content-disposition"] and ".txt" in txt.headers["content-disposition"]
    text = txt.content.decode("utf-8")
    assert "Số: 200/KH-UBND" in text and "Chỉ thị số 19/CT-TTg" in text
    last = kb.document(PLAN).sections[-1]
    assert (last.text or last.heading).split("\n")[0].strip()[:40] in text       # to the end
    word = client.get(f"/doc/{PLAN}.docx")
    assert word.status_code == 200 and "wordprocessingml" in word.headers["content-type"]
    paragraphs = [p.text for p in Word(io.BytesIO(word.content)).paragraphs]
    assert "Số: 200/KH-UBND" in paragraphs and any("19/CT-TTg" in p for p in paragraphs)
    assert client.get(f"/doc/{PLAN}.pdf").status_code == 404
    assert client.get("/doc/khong-co.txt").status_code == 404


def test_chain_diagram_scales_to_the_width_and_has_a_full_size_view(client):
    html = client.get(f"/doc/{PLAN}/chain").text
    svg = re.search(r"<svg class=\"chain\"[^>]*>", html).group(0)
    assert "viewBox=" in svg
    assert "max-width: 100%" in client.get("/static/site.css").text
    full = re.search(r'href="([^"]+)" class="full-size"', html).group(1)
    r = client.get(unescape(full))
    assert r.status_code == 200 and 'class="chain-figure full"' in r.text


# --- home page ---------------------------------------------------------------------------------
def test_home_page_browses_by_type_issuer_province_and_year_with_document_counts(client, kb):
    html = client.get("/").text
    metas = kb.documents_meta()
    by_type = Counter(m["doc_type"] for m in metas if m.get("doc_type"))   # counted here, independently
    browse = html.split('class="browse-type"')[1].split("</section>")[0]
    shown = {unescape(v): int(n) for v, n in re.findall(r'<a href="[^"]+">([^<]+)</a> <span class="count">(\d+)</span>', browse)}
    assert shown == dict(by_type)
    for key in ("issuer", "province", "year"):
        assert f'class="browse-{key}"' in html
    link = unescape(re.search(r'<a href="(/van-ban\?type=[^"]+)">Kế hoạch</a>', browse).group(1))
    listed = client.get(link).text
    assert listed.count('<li><a href="/doc/') == by_type["Kế hoạch"]


def test_home_page_shows_the_newest_documents_and_the_framework_in_force(client, kb):
    html = client.get("/").text
    newest = text_of(html.split('id="moi-nhat"')[1].split("</section>")[0])
    dates = re.findall(r"(?:\d\d|…)/\d{1,2}/(\d{4})\b", newest)
    assert dates[0] == "2024" and dates == sorted(dates, reverse=True)      # the Bắc Kạn plan of 9/2024 first
    framework = text_of(html.split('id="khung-phap-ly"')[1].split("</section>")[0])
    assert "Luật 06/2022/QH15" in framework and "Nghị định 152/2025/NĐ-CP" in framework
    assert "Nghị định 91/2017/NĐ-CP" not in framework and "Nghị định 98/2023/NĐ-CP" not in framework  # ended
    assert "Tra cứu văn bản thi đua, khen thưởng" in html and 'name="q"' in html


def test_a_wide_layer_of_the_chain_wraps_onto_rows():
    from search_app.routes.chain_svg import chain_svg

    plans = [f"kh-{i}" for i in range(9)]      # nine plans implementing one directive: 1,814 px in one row
    nodes = {n: {"label": n, "url": f"/doc/{n}", "in_corpus": True} for n in ["ct"] + plans}
    svg = str(chain_svg([["ct"], plans], [(p, "ct", "implements") for p in plans], nodes, focus="ct"))
    width = int(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))
    assert width <= 1200
    ys = {int(y) for y in re.findall(r'<rect class="box[^"]*" x="\d+" y="(\d+)"', svg)}
    assert len(ys) == 3                        # the directive, then the plans on two rows
    assert svg.count('class="chain-node"') == 10


def test_tdkt_show_resolves_numbers_the_same_way(kb):
    from corpus.errors import UserError
    from search_app.commands.show import find_document_id

    assert find_document_id(kb, "200/KH-UBND") == PLAN
    assert find_document_id(kb, "luat-06-2022") == LAW
    with pytest.raises(UserError):
        find_document_id(kb, "34-CT/TW")          # cited only: not a corpus document `tdkt show` can print
