"""A real browser on the real site: headless Chromium (Debian's chromium + chromium-driver) driven by
Selenium, against uvicorn on a free loopback port. An officer's path: open the search page, type a
query, submit, open a result, follow a citation link. A screenshot of each page is saved under
test-artifacts/browser/ (gitignored) as the test's artifacts."""
from __future__ import annotations

from pathlib import Path

import pytest

from live_site import CHROMEDRIVER, CHROMIUM

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found: "
                "apt-get install chromium chromium-driver)", allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from conftest_site import open_site_kb  # noqa: E402
from live_site import headless_chrome, serving  # noqa: E402


@pytest.fixture(scope="module")
def site_url():
    from search_app.app import create_app

    with serving(create_app(kb=open_site_kb()), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    with headless_chrome("1280,900") as driver:
        yield driver


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_search_open_result_follow_citation(site_url, browser):
    wait = WebDriverWait(browser, 15)

    # 1. the search page
    browser.get(site_url + "/")
    box = wait.until(EC.presence_of_element_located((By.NAME, "q")))
    assert "Tra cứu văn bản thi đua, khen thưởng" in browser.find_element(By.TAG_NAME, "h1").text
    _shot(browser, "1-search-page")

    # 2. type a query and submit with the keyboard, as an officer would
    box.send_keys("triển khai thực hiện Chỉ thị 19/CT-TTg\n")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.result")))
    assert "kết quả cho" in browser.find_element(By.CSS_SELECTOR, "p.summary").text
    assert browser.find_elements(By.CSS_SELECTOR, "li.result mark"), "query words are highlighted"
    _shot(browser, "2-results")

    # 3. open the result from Kế hoạch 200/KH-UBND
    result = next(a for a in browser.find_elements(By.CSS_SELECTOR, "li.result p.doc a") if "200/KH-UBND" in a.text)
    result.click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".doc-body")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kế hoạch 200/KH-UBND"
    assert "09/10/2021" in browser.find_element(By.CSS_SELECTOR, "table.meta").text
    _shot(browser, "3-document")

    # 4. follow the citation of Chỉ thị 19/CT-TTg in the text
    cite = next(a for a in browser.find_elements(By.CSS_SELECTOR, ".doc-body a") if "19/CT-TTg" in a.text)
    assert "19/CT-TTg" in (cite.get_attribute("title") or "")  # date and title on hover
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cite)
    cite.click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.cited")))
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "19/CT-TTg" in browser.find_element(By.TAG_NAME, "h1").text
    assert "Các đoạn trích dẫn văn bản này" in page and "200/KH-UBND" in page
    _shot(browser, "4-cited-document")

    # 5. and up the chain to the Politburo's directive
    browser.find_element(By.LINK_TEXT, "Xem chuỗi chỉ đạo").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "svg.chain")))
    assert "34-CT/TW" in browser.find_element(By.CSS_SELECTOR, "svg.chain").text
    _shot(browser, "5-chain")


def test_lookup_form_warns_about_a_wrong_date(site_url, browser):
    wait = WebDriverWait(browser, 15)
    browser.get(site_url + "/")
    browser.find_element(By.LINK_TEXT, "Kiểm tra trích dẫn").click()
    box = wait.until(EC.presence_of_element_located((By.ID, "text")))
    box.send_keys("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003;\n"
                  "Thực hiện Chỉ thị số 34-CT/TW ngày 07/5/2014 của Bộ Chính trị,")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.lookup-results")))
    warnings = [w.text for w in browser.find_elements(By.CSS_SELECTOR, "p.warn")]
    assert any("hết hiệu lực" in w and "06/2022/QH15" in w for w in warnings)
    assert any("07/5/2014" in w and "07/4/2014" in w for w in warnings)
    standard = [o.text for o in browser.find_elements(By.CSS_SELECTOR, ".full-form output")]
    assert "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng" in standard
    # the pasted draft is still in the box, to fix and check again
    assert "07/5/2014" in browser.find_element(By.ID, "text").get_attribute("value")
    _shot(browser, "6-lookup")
