"""The proposals' pages in a real browser (headless Chromium, uvicorn on loopback, SQLite), on a
phone-sized and a desktop window: the commune's officer logs in, opens the unit's page, creates a
proposal, adds a recipient, attaches a file, submits; the pre-send check's failure is shown with
its article, and the officer sends it anyway with a justification; the province's officer sees it
among the incoming proposals, with the justification, and receives it. Nothing is pushed off a
phone's screen. Screenshots go to test-artifacts/browser-proposals/."""
from __future__ import annotations

from pathlib import Path

import pytest

from live_site import CHROMEDRIVER, CHROMIUM, exact_viewport, headless_chrome
from proposals_site import MISSING_TO_TRINH, PASSWORD, pdf_bytes, serving_site

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser-proposals"
WINDOWS = {"phone": (390, 844), "desktop": (1280, 900)}

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found)",
                allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    with serving_site(tmp_path_factory.mktemp("browser_proposals")) as site:
        yield site


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _login(browser, wait, base: str, login: str, next_path: str) -> None:
    browser.delete_all_cookies()
    browser.get(f"{base}/login?next={next_path}")
    wait.until(EC.presence_of_element_located((By.ID, "login"))).send_keys(login)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login-form button[type=submit], main form button[type=submit]").click()


def _fits(browser, width: int) -> None:
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width, "no sideways scrolling"


@pytest.mark.parametrize("window", WINDOWS)
def test_propose_and_receive_in_a_browser(site_url, window):
    base, tmp = site_url
    width, height = WINDOWS[window]
    upload = tmp / f"bao-cao-thanh-tich-{window}.pdf"
    upload.write_bytes(pdf_bytes())
    recipient = f"Trường Mầm non Nội Duệ ({window})"
    with headless_chrome(f"{width},{height}", ("--lang=vi",)) as browser:
        exact_viewport(browser, width, height)
        wait = WebDriverWait(browser, 20)
        _login(browser, wait, base, "xa_bt", "/proposals")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.proposal-new")))
        assert "Ủy ban nhân dân xã Nội Duệ" in browser.find_element(By.TAG_NAME, "h1").text
        _fits(browser, width)
        _shot(browser, f"{window}-1-home")
        browser.find_element(By.ID, "p-award").send_keys("Cờ thi đua của Chính phủ")
        browser.find_element(By.CSS_SELECTOR, "form.proposal-new button[type=submit]").click()

        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.recipient-new")))
        browser.find_element(By.ID, "r-kind").send_keys("tập thể")
        browser.find_element(By.ID, "r-name").send_keys(recipient)
        browser.find_element(By.ID, "r-ach").send_keys("Dẫn đầu phong trào thi đua năm học")
        browser.find_element(By.CSS_SELECTOR, "form.recipient-new button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "recipients"), recipient))

        browser.find_element(By.ID, "a-kind").send_keys("Báo cáo thành tích")
        browser.find_element(By.ID, "a-file").send_keys(str(upload))
        browser.find_element(By.CSS_SELECTOR, "form.attach-new button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "attachments"), upload.name))
        _fits(browser, width)
        _shot(browser, f"{window}-2-proposal")

        browser.find_element(By.CSS_SELECTOR, "form.move-submit button[type=submit]").click()
        failures = wait.until(EC.presence_of_element_located((By.ID, "check")))
        assert MISSING_TO_TRINH in failures.text
        _fits(browser, width)
        _shot(browser, f"{window}-3-check-failed")
        browser.find_element(By.ID, "m-just").send_keys("Tờ trình gửi bản giấy qua bưu điện")
        browser.find_element(By.CSS_SELECTOR, "form.move-submit button[type=submit]").click()
        status = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.status")))
        assert "Đã gửi lên cấp trên" in status.text
        proposal_path = browser.current_url.removeprefix(base)

        _login(browser, wait, base, "tinh_bt", "/proposals")
        incoming = wait.until(EC.presence_of_element_located((By.ID, "incoming")))
        link = next(a for a in incoming.find_elements(By.TAG_NAME, "a") if a.get_attribute("href").endswith(proposal_path))
        link.click()
        justification = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.justification")))
        assert "Tờ trình gửi bản giấy qua bưu điện" in justification.text
        _fits(browser, width)
        _shot(browser, f"{window}-4-received-side")
        browser.find_element(By.CSS_SELECTOR, "form.move-receive button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.status"), "Cấp trên đã tiếp nhận"))
        log = browser.find_element(By.ID, "log").text
        assert "xa_bt" in log and "tinh_bt" in log
        _shot(browser, f"{window}-5-received")
