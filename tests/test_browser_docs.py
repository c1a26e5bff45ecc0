"""The document side of issue 18 in a real browser (headless Chromium, as tests/test_browser.py), on a
phone (390 px wide) and a desktop (1,366 px): the document page's tabs (with and without
JavaScript), the copy buttons, the chain diagram within the viewport, the home page. Screenshots
are kept under test-artifacts/browser/ (gitignored)."""
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
from live_site import exact_viewport, headless_chrome, serving  # noqa: E402

PLAN = "200-kh-ubnd-2021"
CIRCULAR = "12-2019-tt-bnv"
WIDTHS = {"phone": "390,844", "desktop": "1366,900"}


@pytest.fixture(scope="module")
def site_url():
    from search_app.app import create_app

    with serving(create_app(kb=open_site_kb()), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module", params=list(WIDTHS))
def browser(request):
    with headless_chrome(WIDTHS[request.param], extra=("--force-device-scale-factor=1",)) as driver:
        exact_viewport(driver, *(int(x) for x in WIDTHS[request.param].split(",")))
        driver.device = request.param
        yield driver


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"docs-{driver.device}-{name}.png"))


def _shown(driver, css: str) -> bool:
    return driver.find_element(By.CSS_SELECTOR, css).is_displayed()


def _no_sideways_scroll(driver) -> None:
    width, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"the page is {width} px wide in a {inner} px window"


def test_tabs_switch_and_the_text_shows_first(site_url, browser):
    wait = WebDriverWait(browser, 15)
    browser.get(f"{site_url}/doc/{PLAN}")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".doc-body")))
    assert _shown(browser, "#noi-dung") and not _shown(browser, "#thuoc-tinh")
    _shot(browser, "1-document")
    for tab, panel in (("Thuộc tính", "#thuoc-tinh"), ("Lược đồ", "#luoc-do"), ("Văn bản liên quan", "#lien-quan")):
        link = browser.find_element(By.LINK_TEXT, tab)
        link.click()
        wait.until(lambda d: _shown(d, panel))
        assert not _shown(browser, "#noi-dung")
        assert link.get_attribute("aria-selected") == "true"
        _shot(browser, f"2-tab-{panel[1:]}")
    attrs = browser.find_element(By.CSS_SELECTOR, "#thuoc-tinh table").get_attribute("textContent")
    assert "Ngày ban hành" in attrs and "09/10/2021" in attrs and "Tình trạng" in attrs
    browser.find_element(By.LINK_TEXT, "Nội dung").click()
    wait.until(lambda d: _shown(d, "#noi-dung"))
    if browser.device == "phone":
        _no_sideways_scroll(browser)


def test_copy_buttons_copy_the_full_form_and_an_article_link(site_url, browser):
    wait = WebDriverWait(browser, 15)
    browser.get(f"{site_url}/doc/{PLAN}")
    button = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".cite-form button.copy")))
    button.click()
    wait.until(lambda d: button.get_attribute("data-copied"))
    assert button.get_attribute("data-copied") == button.get_attribute("data-copy")
    assert button.get_attribute("data-copied").startswith("Kế hoạch số 200/KH-UBND ngày 09/10/2021")
    _shot(browser, "3-copied")
    browser.get(f"{site_url}/doc/{CIRCULAR}#dieu-5")
    link = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'a.permalink[data-copy-link="#dieu-5"]')))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    browser.execute_script("arguments[0].click()", link)   # it shows on hover; a touch taps it
    wait.until(lambda d: link.get_attribute("data-copied"))
    assert link.get_attribute("data-copied") == f"{site_url}/doc/{CIRCULAR}#dieu-5"
    assert _shown(browser, "#noi-dung")   # an article's anchor keeps the text tab open


def test_chain_diagram_fits_the_viewport(site_url, browser):
    wait = WebDriverWait(browser, 15)
    browser.get(f"{site_url}/doc/{PLAN}/chain")
    svg = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "svg.chain")))
    right, inner = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.right, window.innerWidth]", svg)
    assert right <= inner + 1, f"the diagram ends at {right} px in a {inner} px window"
    _no_sideways_scroll(browser)
    _shot(browser, "4-chain")
    browser.find_element(By.CSS_SELECTOR, "a.full-size").click()
    svg = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "figure.full svg.chain")))
    natural = int(svg.get_attribute("width"))
    assert abs(svg.size["width"] - natural) <= 1, "the full-size view draws it at its own width"
    _shot(browser, "5-chain-full")


def test_home_page_browse_newest_and_framework(site_url, browser):
    wait = WebDriverWait(browser, 15)
    browser.get(site_url + "/")
    wait.until(EC.presence_of_element_located((By.ID, "duyet")))
    assert "Luật 06/2022/QH15" in browser.find_element(By.ID, "khung-phap-ly").text
    assert browser.find_elements(By.CSS_SELECTOR, "#moi-nhat li")
    if browser.device == "phone":
        _no_sideways_scroll(browser)
    _shot(browser, "6-home")
    link = browser.find_element(By.CSS_SELECTOR, ".browse-province a")
    name = link.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "article.doc-list")))
    assert name in browser.find_element(By.TAG_NAME, "h1").text
    _shot(browser, "7-list")


def test_tabs_work_without_javascript(site_url):
    with headless_chrome(WIDTHS["phone"], ("--blink-settings=scriptEnabled=false",)) as driver:
        driver.device = "nojs"
        driver.get(f"{site_url}/doc/{PLAN}")
        WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".doc-body")))
        assert _shown(driver, "#noi-dung") and not _shown(driver, "#luoc-do")
        driver.find_element(By.LINK_TEXT, "Lược đồ").click()
        WebDriverWait(driver, 15).until(lambda d: _shown(d, "#luoc-do"))
        assert not _shown(driver, "#noi-dung")
        _shot(driver, "8-tab-without-script")


def test_print_view_shows_every_tab_without_the_menus(site_url, browser):
    browser.get(f"{site_url}/doc/{PLAN}")
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".doc-body")))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for panel in ("#noi-dung", "#thuoc-tinh", "#luoc-do", "#lien-quan"):
            assert _shown(browser, panel), panel
        for chrome in ("header.site", ".tab-list", ".doc-actions", "nav.toc"):
            assert not _shown(browser, chrome), chrome
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_cited_document_copy_button(site_url, browser):
    wait = WebDriverWait(browser, 15)
    browser.get(f"{site_url}/doc/34-ct-tw-2014")
    button = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "p.full-form button.copy")))
    button.click()
    wait.until(lambda d: button.get_attribute("data-copied"))
    assert button.get_attribute("data-copied") == ("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục "
                                                   "đổi mới công tác thi đua, khen thưởng")
