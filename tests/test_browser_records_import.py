"""An officer imports a file in a real browser (headless Chromium, uvicorn on loopback, SQLite):
asks for the import page and is sent to log in and back, uploads a file with a bad row, sees the
row and cell named and nothing imported, ticks "nhập các dòng đúng", uploads again, then opens an
imported decision from the result and sees its recipients and its history. Screenshots go to
test-artifacts/browser-records/."""
from __future__ import annotations

from pathlib import Path

import pytest

from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser-records"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found)",
                allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from test_accounts_http import PASSWORD, StubKB, fast_hashing  # noqa: E402,F401
from test_records_import import write_xlsx  # noqa: E402
from test_records_write_http import BAD_AWARD, LS, LS_ROWS  # noqa: E402


@pytest.fixture(scope="module")
def site_url(tmp_path_factory, fast_hashing):  # noqa: F811
    from accounts.users import add_user
    from records.db import close_all
    from search_app.app import create_app
    from search_app.settings import Settings
    tmp = tmp_path_factory.mktemp("browser_records_import")
    app = create_app(kb=StubKB(), settings=Settings(build_dir=tmp / "build", database_url=f"sqlite:///{tmp / 'r.sqlite3'}"))
    add_user(app.state.accounts_db, "bientap", "Nguyễn Văn Biên", PASSWORD, "editor", LS, "cli:test")
    with serving(app, log_level="warning") as port:
        yield f"http://127.0.0.1:{port}", tmp
    close_all()


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_log_in_upload_see_errors_import_good_rows_see_the_decision(site_url):
    url, tmp = site_url
    f = write_xlsx(tmp / "quyet-dinh.xlsx", LS_ROWS + [BAD_AWARD])
    with headless_chrome("1280,1000", ("--lang=vi",)) as browser:
        wait = WebDriverWait(browser, 20)
        browser.get(url + "/records/import")                      # not logged in: the login page, then back
        wait.until(EC.presence_of_element_located((By.ID, "password")))
        browser.find_element(By.ID, "login").send_keys("bientap")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form.login-form button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "file")))
        assert browser.current_url == url + "/records/import"

        browser.find_element(By.ID, "file").send_keys(str(f))
        browser.find_element(By.CSS_SELECTOR, "form.records-upload button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.records-errors")))
        _shot(browser, "5-import-errors")
        assert "chưa nhập dòng nào" in browser.find_element(By.CSS_SELECTOR, ".records-not-imported").text
        cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.records-errors tbody tr td")]
        assert cells[:2] == ["6", "E (Hình thức khen thưởng)"] and "Huân chương Không Có" in cells[2]

        browser.find_element(By.ID, "file").send_keys(str(f))
        browser.find_element(By.ID, "accept_good_rows").click()
        browser.find_element(By.CSS_SELECTOR, "form.records-upload button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".records-imported")))
        _shot(browser, "6-import-good-rows")
        assert "4 dòng mới, 0 dòng đã có" in browser.find_element(By.CSS_SELECTOR, ".records-imported").text

        browser.find_element(By.PARTIAL_LINK_TEXT, "Quyết định 123/QĐ-UBND").click()
        wait.until(EC.presence_of_element_located((By.ID, "recipients")))
        _shot(browser, "7-imported-decision")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Quyết định số 123/QĐ-UBND ngày 15/01/2025"
        recipients = browser.find_element(By.ID, "recipients").text
        assert "Nguyễn Văn An" in recipients and "Phòng Văn hóa - Xã hội" in recipients
        history = browser.find_element(By.ID, "history").text
        assert "bientap" in history and "Thêm" in history
        assert browser.find_elements(By.LINK_TEXT, "Sửa quyết định")
