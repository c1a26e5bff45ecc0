"""A local number cited without its issuer's province is shown as ambiguous with its candidates,
never resolved to one province's document and never given a full form to paste; the drafter's
province (the lookup page's selector, `tdkt cite --province`, the API's `province`) picks one.
Over the bundled corpus, where Kế hoạch 200/KH-UBND of Lạng Sơn (09/10/2021) is in the corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
BARE = "Thực hiện Kế hoạch số 200/KH-UBND về công tác thi đua, khen thưởng"
NAMED = "Thực hiện Kế hoạch số 200/KH-UBND ngày 09/10/2021 của UBND tỉnh Lạng Sơn"


@pytest.fixture(scope="module")
def client(bundled_kb):
    from search_app.app import create_app
    return TestClient(create_app(kb=bundled_kb))


def _row(resp, number="200/KH-UBND"):
    return next(r for r in resp.json()["citations"] if r["canonical"] == number)


@pytest.mark.parametrize("text,province,status,resolved", [
    (BARE, None, "ambiguous", None),
    (BARE, "Lạng Sơn", "in_corpus", "200-kh-ubnd-2021"),
    (BARE, "lang son", "in_corpus", "200-kh-ubnd-2021"),        # as typed, without accents
    (BARE, "Bắc Ninh", "unknown", None),                        # Bắc Ninh's 200/KH-UBND is not known
    (NAMED, None, "in_corpus", "200-kh-ubnd-2021"),
])
def test_api_lookup_local_numbers(client, text, province, status, resolved):
    params = {"text": text} | ({"province": province} if province else {})
    row = _row(client.get("/api/lookup", params=params))
    assert (row["status"], row["resolved"]) == (status, resolved)
    if status == "ambiguous":
        assert row["full_form"] is None and "200-kh-ubnd-2021" in row["candidates"]
        assert any(w["kind"] == "ambiguous" for w in row["warnings"])
    if status == "in_corpus":
        assert row["full_form"] and "Lạng Sơn" in row["full_form"]


def test_post_lookup_takes_the_province(client):
    row = _row(client.post("/api/lookup", json={"text": BARE, "province": "Lạng Sơn"}))
    assert row["resolved"] == "200-kh-ubnd-2021"


def test_lookup_page_lists_candidates_and_offers_no_full_form(client):
    page = client.post("/lookup", data={"text": BARE}).text
    assert "Có thể là" in page and "/doc/200-kh-ubnd-2021" in page
    assert "Trích dẫn chuẩn" not in page.split("Kế hoạch số 200/KH-UBND")[-1].split("</li>")[0]
    chosen = client.post("/lookup", data={"text": BARE, "province": "Lạng Sơn"}).text
    assert "Trích dẫn chuẩn" in chosen and 'selected>Lạng Sơn' in chosen.replace('"Lạng Sơn" selected', "selected")


def test_an_unknown_province_is_said(client):
    page = client.get("/lookup", params={"text": BARE, "province": "Atlantis"}).text
    assert "Không có tỉnh/thành “Atlantis” trong kho" in page


def test_cli_cite_province(bundled_kb):
    def run(*extra):
        out = subprocess.run([sys.executable, "-m", "search_app.cli", "cite", BARE, "--build-dir", str(bundled_kb.build_dir), *extra],
                             cwd=REPO, capture_output=True, text=True, check=True).stdout
        return next(r for r in json.loads(out) if r["canonical"] == "200/KH-UBND")
    bare = run()
    assert bare["status"] == "ambiguous" and bare["full_form"] is None and bare["candidate_details"][0]["province"] == "Lạng Sơn"
    assert run("--province", "Lạng Sơn")["resolved"] == "200-kh-ubnd-2021"


@pytest.mark.browser
def test_browser_choosing_the_province_resolves_the_citation(bundled_kb):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs chromium and chromedriver")
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from search_app.app import create_app

    with serving(create_app(kb=bundled_kb), log_level="warning") as port, headless_chrome("1280,1000", ("--lang=vi",)) as d:
        wait = WebDriverWait(d, 20)
        d.get(f"http://127.0.0.1:{port}/lookup")
        d.find_element(By.ID, "text").send_keys(BARE)
        d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, "ol.lookup-results li"))
        item = d.find_element(By.CSS_SELECTOR, "ol.lookup-results li")
        assert item.find_elements(By.CSS_SELECTOR, ".candidates a")
        assert not item.find_elements(By.CSS_SELECTOR, ".full-form")
        assert "tỉnh/thành nào cũng có thể có số hiệu này" in item.text
        Select(d.find_element(By.ID, "province")).select_by_visible_text("Lạng Sơn")
        d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, "ol.lookup-results li .full-form"))
        full = d.find_element(By.CSS_SELECTOR, "ol.lookup-results li .full-form output").text
        assert "200/KH-UBND" in full and "Lạng Sơn" in full
        assert Select(d.find_element(By.ID, "province")).first_selected_option.text == "Lạng Sơn"
