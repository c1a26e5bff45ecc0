"""Legal status and the asker's context on the site, in the API and in `tdkt search`, over the real
bundled corpus (built once per session by the `bundled_kb` fixture): every result and document page
wears a status badge; a superseded decree names what replaced it and where each article went; the
context in the URL (province_ctx, sector, as_of, in_force) ranks as the library says and, on the
site, is remembered in a cookie; bad values are dropped with a note, never an error."""
from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from corpus.status import LABELS
from indexer.applicability import Context
from search_app.app import create_app
from search_app.cli import main
from search_app.context import COOKIE

ND_91 = "91-2017-nd-cp"      # superseded on 01/01/2024 (inferred), articles mapped to 152/2025
ND_98 = "98-2023-nd-cp"      # cited only: replaced 91/2017, itself replaced by 152/2025 on 01/07/2025
ND_152 = "152-2025-nd-cp"    # in force from 01/07/2025
LAW_2003 = "15-2003-qh11"    # expired on 01/01/2024, replaced by Luật 06/2022/QH15
LAW_2022 = "06-2022-qh15"
ENDED = {"superseded", "expired"}
# A query naming the old decree: its ended passages still rank on page 1 when the filter is off.
OLD_Q = "Nghị định 91/2017/NĐ-CP Cờ thi đua của Chính phủ"
BADGE = re.compile(r'<span class="badge status status-([a-z-]+)" data-state="([a-z_]+)" title="([^"]*)">([^<]+)</span>')


@pytest.fixture(scope="module")
def app(bundled_kb):
    return create_app(kb=bundled_kb)


@pytest.fixture()
def client(app):
    """A fresh client per test: its own cookie jar."""
    return TestClient(app)


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def results_html(html: str) -> list[str]:
    return re.findall(r'<li class="result">(.*?)</li>', html, re.S)


def result_docs(html: str) -> list[str]:
    return [re.search(r'href="/doc/([^"#]+)', r).group(1) for r in results_html(html)]


def summary(html: str) -> str:
    m = re.search(r'id="context-summary">(.*?)</p>', html, re.S)
    return text_of(m.group(1)) if m else ""


def api(client, **params) -> dict:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200
    return r.json()


# --- badges ----------------------------------------------------------------------------------
def test_every_search_result_wears_a_badge_for_the_state_on_the_date(client):
    r = client.get("/search", params={"q": OLD_Q, "as_of": "2026-01-15", "in_force": "0"})
    assert r.status_code == 200
    rows = results_html(r.text)
    assert rows
    for row in rows:
        m = BADGE.search(row)
        assert m, row[:300]
        css, state, title, label = m.groups()
        assert unescape(label) == LABELS[state]
    # 91/2017 is shown superseded on 15/01/2026, with its source clause and "(suy luận)" on hover
    old = [row for row in rows if f"/doc/{ND_91}" in row]
    assert old, "without the in-force filter the old decree answers too"
    css, state, title, label = BADGE.search(old[0]).groups()
    assert state == "superseded" and css == "superseded" and unescape(label) == "Đã bị thay thế"
    assert "Nguồn:" in unescape(title) and "(suy luận)" in unescape(title) and "15/01/2026" in unescape(title)


def test_the_badge_follows_the_chosen_date(client):
    r = client.get("/search", params={"q": "Cờ thi đua của Chính phủ", "as_of": "2022-06-01", "in_force": "0"})
    states = {d: BADGE.search(row).group(2) for d, row in zip(result_docs(r.text), results_html(r.text))}
    assert states.get(ND_91) == "in_force"           # in force in 2022
    if ND_152 in states:
        assert states[ND_152] == "not_yet_in_force"  # took effect on 01/07/2025


def test_a_document_card_wears_its_badge(client):
    r = client.get("/search", params={"q": "152/2025/NĐ-CP", "as_of": "2022-06-01"})
    card = r.text.split('class="doc-card"')[1].split("</article>")[0]
    assert f'href="/doc/{ND_152}"' in card and 'data-state="not_yet_in_force"' in card and "Chưa có hiệu lực" in card


def test_api_results_carry_state_label_status_and_the_context(client):
    s = api(client, q=OLD_Q, as_of="15/01/2026")
    assert s["context"]["in_force_only"] is False           # off by default in the API
    assert s["context"]["as_of"] == "2026-01-15" and s["context"]["summary"].startswith("Áp dụng:")
    assert s["results"]
    for row in s["results"]:
        assert row["state"] in LABELS and row["status_label"] == LABELS[row["state"]]
        assert {"state", "effective", "ended", "replaced_by", "source", "inferred", "label"} <= set(row["status"])
    old = next(row for row in s["results"] if row["doc_id"] == ND_91)
    assert old["state"] == "superseded" and old["status"]["replaced_by"] == [ND_98]


def test_api_document_has_its_status(client):
    d = client.get(f"/api/documents/{ND_91}").json()
    assert d["status"]["state"] == "superseded" and d["status"]["provisions"]
    assert d["state"] == "superseded" and d["status_label"] == "Đã bị thay thế"
    cited = client.get(f"/api/documents/{ND_98}").json()
    assert cited["in_corpus"] is False and cited["state"] == "superseded" and cited["status_label"] == "Đã bị thay thế"


# --- document pages -----------------------------------------------------------------------------
def test_superseded_decree_names_its_replacement_and_maps_its_articles(client, bundled_kb):
    r = client.get(f"/doc/{ND_91}")
    assert r.status_code == 200
    meta = text_of(r.text.split('<table class="meta">')[1].split("</table>")[0])
    assert "Ngày hiệu lực 01/10/2017" in meta and "Ngày hết hiệu lực 01/1/2024" in meta
    assert "Tình trạng Đã bị thay thế" in meta
    assert 'data-state="superseded"' in r.text.split('class="badges"')[1].split("</p>")[0]
    panel = r.text.split('id="hieu-luc"')[1].split("</section>")[0]
    page = text_of(panel)
    assert "Đã được thay thế bởi Nghị định 98/2023/NĐ-CP" in page and "kể từ ngày 01/1/2024" in page
    assert f'href="/doc/{ND_98}"' in panel                  # the cited page of a text outside the corpus
    assert "Văn bản đang có hiệu lực: Nghị định 152/2025/NĐ-CP" in page
    assert "Căn cứ:" in page and "(suy luận)" in page
    # each old article links to the replacing article, "Điều N. heading"
    mapped = {unescape(t): h for h, t in re.findall(r'<a class="by" href="([^"]+)">([^<]+)</a>', panel)}
    status = bundled_kb.document(ND_91).status
    first = status["provisions"][0]
    want = f'{first["by_label"]}. {first["by_heading"]}'
    assert want in mapped, list(mapped)[:5]
    href = mapped[want]
    assert href.startswith(f"/doc/{first['by']}#")
    anchor = href.split("#", 1)[1]
    assert first["by_section"].endswith(anchor)
    target = client.get(href.split("#")[0])
    assert f'id="{anchor}"' in target.text                  # the link lands on the article
    assert "Điều 7" in " ".join(mapped) and any(h.endswith("#dieu-7") for h in mapped.values())


def test_expired_law_names_the_law_that_replaced_it(client):
    r = client.get(f"/doc/{LAW_2003}")
    panel = r.text.split('id="hieu-luc"')[1].split("</section>")[0]
    assert 'data-state="expired"' in panel and f'href="/doc/{LAW_2022}"' in panel
    assert "Đã được thay thế bởi Luật 06/2022/QH15" in text_of(panel) and "Điều 94" in text_of(panel)


def test_document_in_force_shows_its_dates_and_a_green_badge(client):
    r = client.get(f"/doc/{ND_152}")
    meta = text_of(r.text.split('<table class="meta">')[1].split("</table>")[0])
    assert "Ngày hiệu lực 01/7/2025" in meta and "Tình trạng Còn hiệu lực" in meta
    badges = r.text.split('class="badges"')[1].split("</p>")[0]
    assert 'class="badge status status-in-force"' in badges and "Điều 59" in unescape(badges)


def test_cited_document_page_shows_badge_and_replacement(client):
    r = client.get(f"/doc/{ND_98}")
    assert r.status_code == 200 and "Văn bản được trích dẫn" in text_of(r.text)
    h1 = r.text.split("<h1>")[1].split("</h1>")[0]
    assert 'data-state="superseded"' in h1 and "Đã bị thay thế" in h1
    panel = r.text.split('id="hieu-luc"')[1].split("</section>")[0]
    assert f'href="/doc/{ND_152}"' in panel and "Đã được thay thế bởi Nghị định 152/2025/NĐ-CP" in text_of(panel)
    assert "Ngày hết hiệu lực 01/7/2025" in text_of(r.text)


# --- the context changes the ranking as the library says ----------------------------------------
def test_site_default_is_texts_in_force_today(client):
    r = client.get("/search", params={"q": "Cờ thi đua của Chính phủ"})
    today = dt.date.today()
    assert summary(r.text) == f"Áp dụng: tại ngày {today:%d/%m/%Y} · chỉ văn bản còn hiệu lực"
    assert 'id="in_force" name="in_force" type="checkbox" value="1" checked' in r.text
    assert f'id="as_of" name="as_of" type="date" value="{today.isoformat()}"' in r.text


def test_in_force_only_leaves_out_every_ended_text(client):
    q = OLD_Q
    off = client.get("/search", params={"q": q, "as_of": "2026-01-15", "in_force": "0"})
    assert ENDED & set(re.findall(r'data-state="([a-z_]+)"', "".join(results_html(off.text)))), \
        "the query must reach ended texts for the filter to be tested"
    assert ND_91 in result_docs(off.text)
    for page in (1, 2, 3):
        on = client.get("/search", params={"q": q, "as_of": "2026-01-15", "page": page})   # site default: on
        states = [BADGE.search(row).group(2) for row in results_html(on.text)]
        assert states and not ENDED & set(states)
        assert ND_91 not in result_docs(on.text)
    s = api(client, q=q, as_of="2026-01-15", in_force="1")
    assert s["results"] and all(row["state"] not in ENDED for row in s["results"])


def test_on_a_2022_date_the_old_decree_answers_and_the_2025_one_does_not(client):
    for q in ("Cờ thi đua của Chính phủ", "hồ sơ đề nghị khen thưởng"):
        r = client.get("/search", params={"q": q, "as_of": "2022-06-01", "in_force": "1"})
        docs = result_docs(r.text)
        assert docs and ND_152 not in docs
        assert ND_91 in docs
        assert "tại ngày 01/06/2022 · chỉ văn bản còn hiệu lực" in summary(r.text)
        s = api(client, q=q, as_of="01/06/2022", in_force="1")
        assert ND_152 not in {row["doc_id"] for row in s["results"]}
        assert all(row["state"] == "in_force" or row["state"] == "unknown" for row in s["results"])


@pytest.mark.parametrize("params, ctx", [
    ({"sector": "tu-phap", "as_of": "2026-01-15", "in_force": "0"}, dict(sector="tu-phap", as_of="2026-01-15")),
    ({"province_ctx": "Bắc Ninh", "as_of": "2026-01-15", "in_force": "1"},
     dict(province="Bắc Ninh", as_of="2026-01-15", in_force_only=True)),
    ({"as_of": "2022-06-01", "in_force": "1"}, dict(as_of="2022-06-01", in_force_only=True)),
])
def test_api_ranking_is_the_librarys_for_the_context(client, bundled_kb, params, ctx):
    for q in ("Kỷ niệm chương", "khen thưởng"):
        s = api(client, q=q, **params)
        lib = bundled_kb.searcher.search(q, limit=10, context=Context.make(**ctx))
        assert [(row["doc_id"], row["section_id"]) for row in s["results"]] == \
               [(x.passage.doc_id, x.passage.section_id) for x in lib.results]
        assert [row["state"] for row in s["results"]] == [x.state for x in lib.results]


def test_a_sector_puts_its_texts_first(client):
    plain = client.get("/search", params={"q": "Kỷ niệm chương", "as_of": "2026-01-15", "in_force": "0"})
    sector = client.get("/search", params={"q": "Kỷ niệm chương", "as_of": "2026-01-15", "in_force": "0", "sector": "tu-phap"})
    assert sum(d.endswith("-tt-btp") for d in result_docs(sector.text)[:5]) > sum(d.endswith("-tt-btp") for d in result_docs(plain.text)[:5])
    assert "ngành Tư pháp" in summary(sector.text)
    # the sector is chosen by its name as well as its key; the select shows it chosen
    by_name = client.get("/search", params={"q": "Kỷ niệm chương", "sector": "Tư pháp", "in_force": "0"})
    assert '<option value="tu-phap" selected>' in by_name.text


def test_the_summary_names_the_sector_the_query_named(client):
    r = client.get("/search", params={"q": "Kỷ niệm chương Vì sự nghiệp Tư pháp", "as_of": "2026-01-15"})
    assert summary(r.text) == "Áp dụng: ngành Tư pháp (theo câu hỏi) · tại ngày 15/01/2026 · chỉ văn bản còn hiệu lực"
    r = client.get("/search", params={"q": "Kỷ niệm chương Vì sự nghiệp Tư pháp", "province_ctx": "bac ninh",
                                      "sector": "y-te", "as_of": "2026-01-15", "in_force": "0"})
    assert summary(r.text) == ("Áp dụng: tỉnh Bắc Ninh · ngành Tư pháp (theo câu hỏi, thay cho ngành Y tế đã chọn) · "
                               "tại ngày 15/01/2026 · gồm cả văn bản hết hoặc chưa có hiệu lực")
    assert api(client, q="Kỷ niệm chương Vì sự nghiệp Tư pháp")["context"]["favoured_sector"] == "Tư pháp"


def test_context_selector_lists_provinces_and_sectors(client, bundled_kb):
    r = client.get("/")
    form = r.text.split('<fieldset class="context"')[1].split("</fieldset>")[0]
    provinces = {m["province"] for m in bundled_kb.documents_meta() if m.get("province")}
    options = re.findall(r'<option value="([^"]*)"', form.split('id="province_ctx"')[1].split("</select>")[0])
    assert options[0] == "" and set(options[1:]) == provinces
    assert '<option value="tu-phap">Tư pháp</option>' in form
    assert "Tỉnh/thành phố" in form and "Ngành" in form and "Áp dụng tại ngày" in form and "Chỉ văn bản còn hiệu lực" in form


def test_links_on_the_page_keep_the_context(client):
    r = client.get("/search", params={"q": "thi đua", "province_ctx": "Bắc Ninh", "sector": "tu-phap",
                                      "as_of": "2022-06-01", "in_force": "0"})
    nxt = unescape(re.search(r'href="([^"]+)" rel="next"', r.text).group(1))
    qs = parse_qs(urlsplit(nxt).query)
    assert qs["province_ctx"] == ["Bắc Ninh"] and qs["sector"] == ["tu-phap"] and qs["as_of"] == ["2022-06-01"]
    assert qs["in_force"] == ["0"] and qs["page"] == ["2"]
    facet = next(unescape(h) for h in re.findall(r'href="(/search\?[^"]*type=[^"]*)"', r.text))
    assert "province_ctx=" in facet and "in_force=0" in facet
    json_link = unescape(re.search(r'href="(/api/search[^"]+)">JSON', r.text).group(1))
    assert "in_force=0" in json_link and "as_of=2022-06-01" in json_link
    # the API link of a site search with the default (on) says so: the API's default is off
    r = client.get("/search", params={"q": "thi đua"})
    assert "in_force=1" in unescape(re.search(r'href="(/api/search[^"]+)">JSON', r.text).group(1))


# --- the cookie -------------------------------------------------------------------------------------
def test_submitting_the_form_remembers_the_context(client):
    form = {"q": "khen thưởng", "ctx": "1", "province_ctx": "Bắc Ninh", "sector": "tu-phap", "as_of": "2022-06-01"}
    r = client.get("/search", params=form, follow_redirects=False)        # the box left unticked
    assert r.status_code == 303
    qs = parse_qs(urlsplit(r.headers["location"]).query)
    assert qs == {"q": ["khen thưởng"], "province_ctx": ["Bắc Ninh"], "sector": ["tu-phap"],
                  "as_of": ["2022-06-01"], "in_force": ["0"]}
    assert COOKIE in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    shown = client.get(r.headers["location"])
    want = "Áp dụng: tỉnh Bắc Ninh · ngành Tư pháp · tại ngày 01/06/2022 · gồm cả văn bản hết hoặc chưa có hiệu lực"
    assert summary(shown.text) == want
    # a link from another page carries no context: the cookie brings it back
    entry = client.get("/glossary")
    assert entry.status_code == 200
    again = client.get("/search", params={"q": "thi đua"})
    assert summary(again.text).startswith(want) and "ngữ cảnh đã lưu" in summary(again.text)
    assert '<option value="Bắc Ninh" selected>' in again.text and 'value="2022-06-01"' in again.text
    assert 'type="checkbox" value="1">' in again.text                 # unticked, as chosen
    # the URL's context wins over the cookie
    url = client.get("/search", params={"q": "thi đua", "as_of": "2026-01-15"})
    assert summary(url.text) == "Áp dụng: tại ngày 15/01/2026 · chỉ văn bản còn hiệu lực"
    # the API never reads the cookie
    assert api(client, q="thi đua")["context"]["province"] is None
    # choosing the defaults again forgets it
    reset = client.get("/search", params={"q": "thi đua", "ctx": "1", "province_ctx": "", "sector": "",
                                          "as_of": dt.date.today().isoformat(), "in_force": "1"}, follow_redirects=False)
    assert reset.status_code == 303 and reset.headers["location"] == "/search?q=thi+%C4%91ua"
    assert f'{COOKIE}=""' in reset.headers["set-cookie"] and "Max-Age=0" in reset.headers["set-cookie"]
    after = client.get(reset.headers["location"])
    assert "ngữ cảnh đã lưu" not in after.text and "chỉ văn bản còn hiệu lực" in summary(after.text)


@pytest.mark.parametrize("cookie", [
    "garbage", "%%%", "province_ctx%3D%3Cscript%3Ealert(1)%3C%2Fscript%3E", "sector%3D..%2F..%2Fetc%2Fpasswd",
    "as_of%3D2022-02-30%26in_force%3Dmaybe", "x" * 5000, "in_force%3D0%26sector%3Dkhong-co",
])
def test_a_forged_cookie_is_never_trusted(app, cookie):
    client = TestClient(app, cookies={COOKIE: cookie})
    r = client.get("/search", params={"q": "thi đua"})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "context-note" not in r.text    # dropped silently
    s = summary(r.text)
    assert "tại ngày" in s and "tỉnh" not in s and "ngành" not in s


def test_a_valid_cookie_part_is_kept_and_a_bad_part_dropped(app):
    client = TestClient(app, cookies={COOKIE: "in_force%3D0%26sector%3Dkhong-co%26province_ctx%3DL%E1%BA%A1ng+S%C6%A1n"})
    s = summary(client.get("/search", params={"q": "thi đua"}).text)
    assert s.startswith("Áp dụng: tỉnh Lạng Sơn · tại ngày") and "gồm cả văn bản hết" in s


# --- bad values: a note, never an error ---------------------------------------------------------------
@pytest.mark.parametrize("params, note", [
    ({"as_of": "2022-02-30"}, "Ngày áp dụng “2022-02-30” không hợp lệ"),
    ({"as_of": "31/13/2025"}, "không hợp lệ: dùng ngày hôm nay"),
    ({"as_of": "0001-01-01"}, "không hợp lệ"),
    ({"as_of": "hôm qua"}, "không hợp lệ"),
    ({"sector": "khong-co-nganh-nay"}, "Không có ngành “khong-co-nganh-nay”"),
    ({"province_ctx": "Atlantis"}, "Không có tỉnh/thành phố “Atlantis”"),
    ({"in_force": "maybe"}, "(dùng 1 hoặc 0)"),
    ({"sector": "<script>alert(1)</script>"}, "Không có ngành"),
])
def test_bad_context_values_are_ignored_with_a_note(client, params, note):
    r = client.get("/search", params={"q": "thi đua", **params})
    assert r.status_code == 200
    notes = [text_of(n) for n in re.findall(r'class="warn context-note">(.*?)</p>', r.text, re.S)]
    assert any(note in n for n in notes), notes
    assert "<script>alert" not in r.text
    assert results_html(r.text), "the search still answers"
    s = api(client, q="thi đua", **params)
    assert any(note in n for n in s["context"]["notes"])


def test_bad_values_in_the_form_are_shown_not_redirected(client):
    r = client.get("/search", params={"q": "thi đua", "ctx": "1", "as_of": "2022-02-30", "sector": "tu-phap"},
                   follow_redirects=False)
    assert r.status_code == 200 and "không hợp lệ" in r.text
    assert summary(r.text).startswith("Áp dụng: ngành Tư pháp")


def test_no_result_in_force_offers_the_search_among_every_text(client):
    # the 2022 law took effect on 01/01/2024: on 01/01/2023 no law of 2022 is in force yet
    params = {"q": "thi đua", "type": "Luật", "year_from": 2022, "year_to": 2022, "as_of": "2023-01-01"}
    r = client.get("/search", params=params)
    assert "Không tìm thấy kết quả" in text_of(r.text)
    link = next(unescape(h) for h, t in re.findall(r'<a href="([^"]+)">([^<]+)</a>', r.text) if "trong cả văn bản" in t)
    assert "in_force=0" in link and "as_of=2023-01-01" in link and "type=Lu" in link
    every = client.get(link)
    assert set(result_docs(every.text)) == {LAW_2022}
    assert 'data-state="not_yet_in_force"' in every.text


# --- the CLI ----------------------------------------------------------------------------------------------
def _cli(capsys, bundled_kb, *args) -> tuple[int, str, str]:
    code = main(["search", *args, "--build-dir", str(bundled_kb.build_dir), "--mode", "lexical"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_context_flags_and_json(capsys, bundled_kb):
    code, out, _ = _cli(capsys, bundled_kb, "Cờ thi đua của Chính phủ", "--as-of", "01/06/2022", "--in-force", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["context"]["as_of"] == "2022-06-01" and data["context"]["in_force_only"] is True
    assert data["results"] and all(r["status_label"] == LABELS[r["state"]] for r in data["results"])
    docs = [r["document"]["id"] for r in data["results"]]
    assert ND_152 not in docs and ND_91 in docs
    code, out, _ = _cli(capsys, bundled_kb, "Kỷ niệm chương", "--sector", "tu-phap", "--province", "bac ninh",
                        "--as-of", "2026-01-15", "--json")
    data = json.loads(out)
    assert data["context"]["sector"] == "tu-phap" and data["context"]["province"] == "Bắc Ninh"
    assert data["context"]["in_force_only"] is False                    # off unless --in-force
    lib = bundled_kb.searcher.search("Kỷ niệm chương", limit=10, mode="lexical",
                                     context=Context.make(sector="tu-phap", province="Bắc Ninh", as_of="2026-01-15"))
    assert [(r["document"]["id"], r["section"]["id"]) for r in data["results"]] == \
           [(x.passage.doc_id, x.passage.section_id) for x in lib.results]


def test_cli_prints_the_status_label_next_to_each_result(capsys, bundled_kb):
    code, out, _ = _cli(capsys, bundled_kb, OLD_Q, "--as-of", "2026-01-15", "--limit", "20")
    assert code == 0
    assert "Áp dụng: tại ngày 15/01/2026 · gồm cả văn bản hết hoặc chưa có hiệu lực" in out
    lines = [line for line in out.splitlines() if re.match(r"[ \d]\d\. ", line)]   # " 1. …", "12. …": not snippets
    assert lines and all(re.search(r"\[(" + "|".join(map(re.escape, LABELS.values())) + r")\]$", line) for line in lines)
    assert any("91/2017/NĐ-CP" in line and line.endswith("[Đã bị thay thế]") for line in lines)
    code, out, _ = _cli(capsys, bundled_kb, OLD_Q, "--as-of", "2026-01-15", "--in-force", "--limit", "20")
    assert code == 0 and "chỉ văn bản còn hiệu lực" in out
    assert "[Đã bị thay thế]" not in out and "[Hết hiệu lực]" not in out


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2022-02-30"], "--as-of 2022-02-30"),
    (["--as-of", "yesterday"], "give a date such as"),
    (["--sector", "khong-co"], "unknown sector"),
    (["--province", "Atlantis"], "no document of that province"),
])
def test_cli_bad_context_is_a_clear_error(capsys, bundled_kb, args, message):
    code, _, err = _cli(capsys, bundled_kb, "khen thưởng", *args)
    assert code == 2 and message in err and "Traceback" not in err
