"""The context selector and status badges in a real browser: headless Chromium (Debian's chromium +
chromium-driver) driven by Selenium, against uvicorn on a free loopback port, over the real bundled
corpus. An officer's path: search, see each result's badge, choose a province, a sector, a date and
untick "only texts in force", apply, read the summary; tick it again; open a document and come back:
the context was remembered (cookie). Screenshots go to test-artifacts/browser-status/ (gitignored)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving  # noqa: E402

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser-status"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found: "
                "apt-get install chromium chromium-driver)", allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

LABELS = {"Còn hiệu lực", "Đã bị thay thế", "Hết hiệu lực", "Còn hiệu lực, đã sửa đổi một phần",
          "Chưa có hiệu lực", "Chưa rõ hiệu lực"}


@pytest.fixture(scope="module")
def site_url(bundled_kb):
    from search_app.app import create_app

    with serving(create_app(kb=bundled_kb), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    with headless_chrome("1280,1000", ("--lang=vi",)) as driver:
        yield driver


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def _summary(driver) -> str:
    return driver.find_element(By.ID, "context-summary").text


def _result_docs(driver) -> list[str]:
    return [a.get_attribute("href").split("/doc/")[1].split("#")[0]
            for a in driver.find_elements(By.CSS_SELECTOR, "li.result p.doc a")]


def _apply(driver, wait, previous_url: str) -> None:
    driver.find_element(By.CSS_SELECTOR, "fieldset.context button[type=submit]").click()
    wait.until(lambda d: d.current_url != previous_url and d.find_elements(By.ID, "context-summary"))


def test_badges_context_selector_and_remembered_context(site_url, browser):
    wait = WebDriverWait(browser, 20)
    today = dt.date.today()

    # 1. search: every result wears a status badge, with the source on hover; the defaults
    browser.get(site_url + "/")
    box = wait.until(EC.presence_of_element_located((By.NAME, "q")))
    assert browser.find_element(By.ID, "in_force").is_selected(), "only texts in force: on by default"
    assert browser.find_element(By.ID, "as_of").get_attribute("value") == today.isoformat()
    box.send_keys("Cờ thi đua của Chính phủ\n")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.result")))
    results = browser.find_elements(By.CSS_SELECTOR, "li.result")
    assert results
    for li in results:
        badge = li.find_element(By.CSS_SELECTOR, "span.badge.status")
        assert badge.text in LABELS and badge.get_attribute("title")
    assert _summary(browser) == f"Áp dụng: tại ngày {today:%d/%m/%Y} · chỉ văn bản còn hiệu lực"
    assert not {"province_ctx", "sector", "as_of", "in_force", "ctx"} & set(_query(browser)), "defaults stay out of the URL"
    _shot(browser, "1-results-with-badges")

    # 2. choose a province, a sector, a date in 2022, untick "only texts in force", apply
    Select(browser.find_element(By.ID, "province_ctx")).select_by_visible_text("Bắc Ninh")
    Select(browser.find_element(By.ID, "sector")).select_by_value("tu-phap")
    date = browser.find_element(By.ID, "as_of")
    browser.execute_script("arguments[0].value = '2022-06-01'", date)   # a date picker's typing is locale-bound
    browser.find_element(By.ID, "in_force").click()
    _apply(browser, wait, browser.current_url)
    qs = _query(browser)
    assert qs["q"] == ["Cờ thi đua của Chính phủ"] and qs["province_ctx"] == ["Bắc Ninh"]
    assert qs["sector"] == ["tu-phap"] and qs["as_of"] == ["2022-06-01"] and qs["in_force"] == ["0"]
    assert "ctx" not in qs, "the form marker does not stay in the address"
    assert _summary(browser) == ("Áp dụng: tỉnh Bắc Ninh · ngành Tư pháp · tại ngày 01/06/2022 · "
                                 "gồm cả văn bản hết hoặc chưa có hiệu lực")
    assert not browser.find_element(By.ID, "in_force").is_selected()
    _shot(browser, "2-context-chosen")

    # 3. tick it again: on 01/06/2022 the 2025 decree is not in force yet, the 2017 one is
    browser.find_element(By.ID, "in_force").click()
    _apply(browser, wait, browser.current_url)
    qs = _query(browser)
    assert "in_force" not in qs and qs["as_of"] == ["2022-06-01"]
    assert _summary(browser) == "Áp dụng: tỉnh Bắc Ninh · ngành Tư pháp · tại ngày 01/06/2022 · chỉ văn bản còn hiệu lực"
    docs = _result_docs(browser)
    assert docs and "152-2025-nd-cp" not in docs and "91-2017-nd-cp" in docs
    states = {b.get_attribute("data-state") for b in browser.find_elements(By.CSS_SELECTOR, "li.result span.badge.status")}
    assert states <= {"in_force", "partly_amended", "unknown"}
    _shot(browser, "3-in-force-on-2022")

    # 4. open a result: the document page has its badge and what replaced it
    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "li.result p.doc a") if "91/2017/NĐ-CP" in a.text)
    link.click()
    wait.until(EC.presence_of_element_located((By.ID, "hieu-luc")))
    panel = browser.find_element(By.ID, "hieu-luc").text
    assert "Đã được thay thế bởi" in panel and "98/2023/NĐ-CP" in panel
    assert browser.find_element(By.CSS_SELECTOR, ".badges span.badge.status").text == "Đã bị thay thế"
    mapped = browser.find_elements(By.CSS_SELECTOR, "table.provisions a.by")
    assert mapped and mapped[0].get_attribute("href").split("#")[0].endswith("/doc/152-2025-nd-cp")
    browser.execute_script("window.scrollTo(0, 0)")   # the link opened the article: show the status first
    _shot(browser, "4-superseded-document")

    # 5. come back through the menu (a link without any context): the context was remembered
    browser.find_element(By.LINK_TEXT, "Tìm kiếm").click()
    wait.until(EC.presence_of_element_located((By.ID, "context-summary")))
    assert urlsplit(browser.current_url).query == ""
    assert _summary(browser).startswith("Áp dụng: tỉnh Bắc Ninh · ngành Tư pháp · tại ngày 01/06/2022")
    assert "ngữ cảnh đã lưu" in _summary(browser)
    assert Select(browser.find_element(By.ID, "province_ctx")).first_selected_option.text == "Bắc Ninh"
    assert Select(browser.find_element(By.ID, "sector")).first_selected_option.get_attribute("value") == "tu-phap"
    assert browser.find_element(By.ID, "as_of").get_attribute("value") == "2022-06-01"
    assert browser.find_element(By.ID, "in_force").is_selected()
    box = browser.find_element(By.NAME, "q")
    box.send_keys("hồ sơ đề nghị khen thưởng\n")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "li.result")))
    qs = _query(browser)
    assert qs["province_ctx"] == ["Bắc Ninh"] and qs["as_of"] == ["2022-06-01"]
    assert "152-2025-nd-cp" not in _result_docs(browser)
    _shot(browser, "5-context-remembered")
