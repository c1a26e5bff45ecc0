"""The search page in a real browser (headless Chromium), on a phone (390 px wide) and a desktop
(1,366 px): a document number gives its card first, in the corpus (200/KH-UBND) and known only
from the registry (98/2023/NĐ-CP); a grouped result opens its other passages; on the phone the
filters fold behind "Bộ lọc" and the first result is on the first screen. Screenshots are kept
under test-artifacts/browser-search/ (gitignored)."""
from __future__ import annotations

from pathlib import Path

import pytest

from live_site import CHROMEDRIVER, CHROMIUM

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser-search"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found: "
                "apt-get install chromium chromium-driver)", allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from urllib.parse import quote  # noqa: E402

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from conftest_site import open_site_kb  # noqa: E402
from live_site import headless_chrome, serving  # noqa: E402

PHONE, DESKTOP = 390, 1366
# the first screen of a phone: the first result must start above this (CSS pixels from the top)
FIRST_SCREEN = 800


@pytest.fixture(scope="module")
def site_url():
    from search_app.app import create_app

    with serving(create_app(kb=open_site_kb()), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module", params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def browser(request):
    with headless_chrome(f"{request.param},900", extra=("--force-device-scale-factor=1",)) as driver:
        driver.set_window_size(request.param, 900)
        # the window's outer size includes nothing in headless mode, but make the viewport exact
        inner = driver.execute_script("return window.innerWidth")
        if inner != request.param:
            driver.set_window_size(request.param + (request.param - inner), 900)
        driver.width = request.param
        yield driver


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}-{driver.width}px.png"))


def _search(browser, site_url: str, query: str, extra: str = "") -> None:
    browser.get(f"{site_url}/search?q={quote(query)}{extra}")
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "section.results")))


def _top(browser, element) -> float:
    return browser.execute_script("return arguments[0].getBoundingClientRect().top + window.scrollY", element)


@pytest.mark.parametrize("query,doc_id,outside", [
    ("200/KH-UBND", "200-kh-ubnd-2021", False),
    ("98/2023/NĐ-CP", "98-2023-nd-cp", True),
])
def test_a_number_gives_its_card_first(site_url, browser, query, doc_id, outside):
    _search(browser, site_url, query, "&in_force=0")
    assert browser.execute_script("return window.innerWidth") == browser.width
    card = browser.find_element(By.CSS_SELECTOR, "section.results article.doc-card")
    assert card.get_attribute("data-doc") == doc_id
    assert card.find_element(By.CSS_SELECTOR, "h3 a").get_attribute("href").endswith(f"/doc/{doc_id}")
    assert ("NGOÀI KHO" in card.text.upper()) is outside
    results = browser.find_elements(By.CSS_SELECTOR, "li.result")
    assert results and _top(browser, card) < _top(browser, results[0]), "the card comes before the passages"
    if browser.width == PHONE:
        assert _top(browser, card) < FIRST_SCREEN, "the card is on the phone's first screen"
        assert card.size["width"] <= PHONE, "the card fits the phone's width"
    _shot(browser, f"number-{doc_id}")


def test_a_grouped_result_opens_its_other_passages(site_url, browser):
    _search(browser, site_url, "thi đua", "&in_force=0")
    details = browser.find_element(By.CSS_SELECTOR, "li.result details.more")
    inner = details.find_element(By.CSS_SELECTOR, "ul li a")
    assert not inner.is_displayed()
    summary = details.find_element(By.TAG_NAME, "summary")
    assert "đoạn khác" in summary.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    WebDriverWait(browser, 5).until(lambda d: inner.is_displayed())
    _shot(browser, "grouped-open")
    # each document once on the page
    firsts = [li.find_element(By.CSS_SELECTOR, "p.doc a").get_attribute("href")
              for li in browser.find_elements(By.CSS_SELECTOR, "ol.results > li.result")]
    assert len(firsts) == len(set(firsts))


def test_on_a_phone_the_filters_fold_and_the_first_result_is_on_the_first_screen(site_url, browser):
    _search(browser, site_url, "chiến sĩ thi đua cơ sở")
    first = browser.find_element(By.CSS_SELECTOR, "li.result")
    facets = browser.find_element(By.ID, "facets")
    context = browser.find_element(By.CSS_SELECTOR, "fieldset.context")
    button = browser.find_element(By.CSS_SELECTOR, "label.filters-button")
    if browser.width == PHONE:
        assert _top(browser, first) < FIRST_SCREEN, _top(browser, first)
        assert not facets.is_displayed() and not context.is_displayed()
        assert button.is_displayed() and button.text.startswith("Bộ lọc")
        _shot(browser, "phone-results")
        button.click()
        WebDriverWait(browser, 5).until(lambda d: facets.is_displayed())
        assert context.is_displayed()
        _shot(browser, "phone-filters-open")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE, "no sideways scrolling"
    else:
        assert facets.is_displayed() and context.is_displayed() and not button.is_displayed()
        assert _top(browser, first) < FIRST_SCREEN
        _shot(browser, "desktop-results")
