"""The records pages in a real browser (headless Chromium, uvicorn on loopback, demo records on
SQLite): an officer types a name without accents, opens a decision from the results, sees its căn
cứ lines, then opens form 0602 and clicks a figure to see the lines it counts (as many as the
figure says). Screenshots go to test-artifacts/browser-records/."""
from __future__ import annotations

from pathlib import Path

import pytest

from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving  # noqa: E402

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser-records"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found)",
                allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site_url(bundled_kb, tmp_path_factory):
    from records import demo
    from records.db import close_all, open_db
    from search_app.app import create_app
    from search_app.settings import Settings
    url = f"sqlite:///{tmp_path_factory.mktemp('records') / 'r.sqlite3'}"
    demo.fill(open_db(url), lines=1500, seed=4, actor="test")
    with serving(create_app(kb=bundled_kb, settings=Settings(database_url=url)), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"
    close_all()


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_lookup_decision_and_report_in_a_browser(site_url):
    from records import demo
    from records.columns import layout
    at = {c.key: i for i, c in enumerate(layout().columns)}
    row = next(r for r in demo.rows(1500, seed=4) if r[at["recipient_kind"]] == "cá nhân" and r[at["basis"]])
    typed = row[at["name"]]
    from corpus.vntext import fold
    with headless_chrome("1280,1000", ("--lang=vi",)) as browser:
        wait = WebDriverWait(browser, 20)
        browser.get(site_url + "/records")
        box = wait.until(EC.presence_of_element_located((By.ID, "name")))
        box.send_keys(fold(typed))                      # typed without accents
        browser.find_element(By.CSS_SELECTOR, "form.records-form button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.records-lines")))
        _shot(browser, "1-lookup")
        names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.records-lines td:first-child a")]
        assert typed in names
        number = row[at["number"]]
        browser.find_element(By.LINK_TEXT, number).click()
        wait.until(EC.presence_of_element_located((By.ID, "basis")))
        _shot(browser, "2-decision")
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith(f"Quyết định số {number}")
        assert browser.find_elements(By.CSS_SELECTOR, "#basis li")
        assert typed in browser.find_element(By.ID, "recipients").text

        browser.get(site_url + "/records/report/0602?from=2015-01-01&to=2025-12-31")
        table = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.records-form-table")))
        _shot(browser, "3-report")
        first = table.find_element(By.CSS_SELECTOR, "tbody tr.total td a")
        figure = int(first.text)
        assert figure > 0
        first.click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.records-lines")))
        _shot(browser, "4-lines")
        assert len(browser.find_elements(By.CSS_SELECTOR, "table.records-lines tbody tr")) == figure
