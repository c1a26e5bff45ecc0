"""The award file page in a real browser (headless Chromium via Selenium, uvicorn on loopback, the
bundled corpus): an officer opens "Hồ sơ khen thưởng" from the menu, chooses the award, the
recipient kind, the date and Bắc Ninh, reads the quoted criteria, follows one to its clause on the
document page, ticks the dossier checklist, copies the căn cứ block, sees the print view without
the menu and the form, and finds the .docx link. Screenshots go to test-artifacts/browser-award/."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving  # noqa: E402

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "browser-award"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"headless browser test needs chromium and chromedriver ({CHROMIUM}, {CHROMEDRIVER} not found)",
                allow_module_level=True)
selenium = pytest.importorskip("selenium", reason="the `test` extra (selenium) is not installed")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site_url(bundled_kb):
    from search_app.app import create_app

    with serving(create_app(kb=bundled_kb), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _visible(driver, css: str) -> bool:
    return driver.execute_script(f"return getComputedStyle(document.querySelector('{css}')).display") != "none"


def test_award_file_page_in_a_browser(site_url):
    with headless_chrome("1280,1000", ("--lang=vi",)) as browser:
        wait = WebDriverWait(browser, 20)
        browser.get(site_url + "/")
        wait.until(EC.presence_of_element_located((By.LINK_TEXT, "Hồ sơ khen thưởng"))).click()
        box = wait.until(EC.presence_of_element_located((By.ID, "award")))
        box.send_keys("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
        Select(browser.find_element(By.ID, "recipient")).select_by_visible_text("Cá nhân")
        browser.execute_script("arguments[0].value = '2026-01-15'", browser.find_element(By.ID, "date"))
        Select(browser.find_element(By.ID, "province")).select_by_visible_text("Bắc Ninh")
        browser.find_element(By.CSS_SELECTOR, "form.award-form button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "basis-block")))
        qs = parse_qs(urlsplit(browser.current_url).query)
        assert qs["date"] == ["2026-01-15"] and qs["province"] == ["Bắc Ninh"] and qs["recipient"] == ["individual"]
        assert browser.find_element(By.ID, "award-name").text == "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
        criteria = browser.find_elements(By.CSS_SELECTOR, "#part-criteria li")
        assert any("02 lần liên tục được tặng danh hiệu “Chiến sĩ thi đua cơ sở”" in li.text for li in criteria)
        basis = browser.find_element(By.ID, "basis-block").text.splitlines()
        assert basis[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
        assert basis[1].startswith("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ")
        assert basis[2].startswith("Căn cứ Quyết định số 86/2025/QĐ-UBND ngày 03 tháng 12 năm 2025")
        _shot(browser, "1-award-file")

        # the dossier checklist ticks
        box = browser.find_element(By.CSS_SELECTOR, "#part-dossier input[type=checkbox]")
        box.click()
        assert box.is_selected()

        # copy the căn cứ block
        browser.find_element(By.ID, "copy-basis").click()
        wait.until(lambda d: d.find_element(By.ID, "copy-status").text == "Đã sao chép.")

        # the print view hides the menu, the form and the buttons, keeps the file
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        assert not _visible(browser, "header.site") and not _visible(browser, "form.award-form")
        assert not _visible(browser, "#copy-basis") and _visible(browser, "#basis-block")
        _shot(browser, "2-print-view")
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

        # the .docx link carries the same choices
        href = browser.find_element(By.ID, "docx-link").get_attribute("href")
        assert "/award.docx?" in href and parse_qs(urlsplit(href).query)["province"] == ["Bắc Ninh"]

        # follow a criterion to its clause on the document page
        link = browser.find_element(By.CSS_SELECTOR, "#part-criteria li a.cite")
        assert link.text.startswith("khoản 1 Điều 74")
        link.click()
        wait.until(lambda d: "/doc/06-2022-qh15" in d.current_url)
        anchor = urlsplit(browser.current_url).fragment
        assert anchor == "chuong-3.muc-5.dieu-74.k1"
        target = browser.find_element(By.ID, anchor)
        assert "Bằng khen của Bộ, ban, ngành, tỉnh để tặng hoặc truy tặng cho cá nhân" in target.text
        _shot(browser, "3-criterion-in-the-law")

        # the same award on a 2022 date: the rules of 2022
        browser.back()
        wait.until(EC.presence_of_element_located((By.ID, "basis-block")))
        browser.execute_script("arguments[0].value = '2022-06-01'", browser.find_element(By.ID, "date"))
        Select(browser.find_element(By.ID, "province")).select_by_index(0)
        browser.find_element(By.CSS_SELECTOR, "form.award-form button[type=submit]").click()
        wait.until(lambda d: "2022-06-01" in d.current_url)
        basis = browser.find_element(By.ID, "basis-block").text
        assert basis.startswith("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;") and "152/2025" not in basis
        assert "91/2017/NĐ-CP" in browser.find_element(By.ID, "part-criteria").text
        _shot(browser, "4-rules-of-2022")


def test_eligibility_and_side_by_side_in_a_browser(site_url):
    with headless_chrome("1280,1000", ("--lang=vi",)) as browser:
        wait = WebDriverWait(browser, 20)
        browser.get(site_url + "/award")
        wait.until(EC.presence_of_element_located((By.LINK_TEXT, "Xét điều kiện theo quá trình khen thưởng →"))).click()
        box = wait.until(EC.presence_of_element_located((By.ID, "history")))
        box.clear()
        box.send_keys("name: Trần Văn B\nkind: individual\nyears:\n  2023: {rating: xuat_sac, titles: [CSTĐCS]}\n"
                      "  2024: {rating: tot, titles: [LĐTT]}\n  2025: {rating: xuat_sac, titles: [CSTĐCS]}\n")
        browser.execute_script("arguments[0].value = '2026-01-15'", browser.find_element(By.ID, "date"))
        browser.find_element(By.CSS_SELECTOR, "form.award-form button[type=submit]").click()
        misses = wait.until(EC.presence_of_element_located((By.ID, "misses"))).text
        assert "Bằng khen của Bộ, ban, ngành, tỉnh: thiếu 1 năm Chiến sĩ thi đua cơ sở liên tục (chuỗi bị gián đoạn năm 2024)" in misses
        assert "Trần Văn B" in browser.find_element(By.CSS_SELECTOR, "p.summary").text
        _shot(browser, "5-eligibility")

        browser.get(site_url + "/award/compare?family=Chi%E1%BA%BFn+s%C4%A9+thi+%C4%91ua&date=2026-01-15&since=2022-06-01")
        flags = wait.until(EC.presence_of_element_located((By.ID, "flags"))).text
        assert "13/2018/TT-BGTVT (Giao thông vận tải) ghi tỷ lệ 15%" in flags
        assert len(browser.find_elements(By.CSS_SELECTOR, "table.compare tbody tr")) > 10
        _shot(browser, "6-side-by-side")
