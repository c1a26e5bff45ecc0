"""A real browser logs in and out: headless Chromium on the real site (uvicorn on loopback).
The header shows "Đăng nhập", then the officer's name and "Đăng xuất", then "Đăng nhập" again;
a wrong password shows the Vietnamese message on the login page."""
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

PASSWORD = "Hoa-sen-nở-2025"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    from accounts.users import add_user
    from search_app.app import create_app
    from search_app.settings import Settings

    tmp = tmp_path_factory.mktemp("browser_accounts")
    app = create_app(kb=open_site_kb(), settings=Settings(build_dir=tmp, database_url=f"sqlite:///{tmp / 'records.sqlite3'}"))
    add_user(app.state.accounts_db, "nguyenvana", "Nguyễn Văn A", PASSWORD, "editor", "TINH-BN", "cli:test")
    with serving(app, log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    with headless_chrome("1280,900") as driver:
        yield driver


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _header(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "header.site .account").text


def _log_in(driver, password: str) -> None:
    driver.find_element(By.ID, "login").clear()
    driver.find_element(By.ID, "login").send_keys("nguyenvana")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.login-form button[type=submit]").click()


def test_login_header_logout(site_url, browser):
    wait = WebDriverWait(browser, 20)
    browser.get(site_url + "/search?q=khen+th%C6%B0%E1%BB%9Fng")
    assert _header(browser) == "Đăng nhập"
    browser.find_element(By.LINK_TEXT, "Đăng nhập").click()
    wait.until(EC.presence_of_element_located((By.ID, "password")))
    _log_in(browser, "sai mật khẩu rồi")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.warn")))
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in browser.find_element(By.CSS_SELECTOR, "p.warn").text
    _shot(browser, "accounts-login-wrong")
    _log_in(browser, PASSWORD)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "header.site .account .officer")))
    assert browser.current_url == site_url + "/search?q=khen+th%C6%B0%E1%BB%9Fng"   # back where the officer was
    assert "Nguyễn Văn A" in _header(browser) and "Đăng xuất" in _header(browser)
    _shot(browser, "accounts-logged-in")
    browser.find_element(By.CSS_SELECTOR, "header.site .account button").click()
    wait.until(EC.presence_of_element_located((By.LINK_TEXT, "Đăng nhập")))
    assert "Nguyễn Văn A" not in _header(browser)
    _shot(browser, "accounts-logged-out")


def test_phone_header_keeps_the_login_link_in_view(site_url):
    with headless_chrome("390,844") as phone:
        phone.get(site_url + "/login")
        link = phone.find_element(By.CSS_SELECTOR, "header.site .account a")
        assert link.is_displayed() and link.text == "Đăng nhập"
        width = phone.execute_script("return window.innerWidth")   # headless Chromium keeps at least ~500 px
        assert width < 800   # the narrow layout
        assert link.rect["x"] + link.rect["width"] <= width
        assert phone.execute_script("return document.documentElement.scrollWidth") <= width   # nothing pushed off-screen
        _shot(phone, "accounts-login-phone")
