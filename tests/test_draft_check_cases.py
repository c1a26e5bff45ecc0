"""The drafting check on hand-written drafts (tests/gold/draft_check_cases.yaml): 12 drafts with one
planted error each (superseded, wrong date, wrong issuer, invented number, ambiguous local number,
not in full form: two of each) and correct drafts. The issue's bar: at least 11 of 12 caught on the
right citation with the right kind, and no warning on a correct draft. Run against the bundled
corpus's registry (the registry data, the national list and the corpus documents), no province."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from corpus.citation_eval import draft_outcome, score_drafts
from corpus.citation_rows import cite_rows

DRAFTS = Path(__file__).parent / "gold" / "draft_check_cases.yaml"
CASES = yaml.safe_load(DRAFTS.read_text(encoding="utf-8"))
PLANTED = [c for c in CASES if c["error"]]
CORRECT = [c for c in CASES if not c["error"]]


def test_the_set_is_two_drafts_of_each_kind_and_some_correct_ones():
    assert Counter(c["error"]["kind"] for c in PLANTED) == {
        k: 2 for k in ("superseded", "date", "issuer", "unknown", "ambiguous", "not_full_form")}
    assert len(CORRECT) >= 4 and len({c["id"] for c in CASES}) == len(CASES)


def _planted_row(rows, error):
    hits = [r for r in rows if error["at"] in r["text"]]
    return hits[error["nth"] - 1] if len(hits) >= error["nth"] else None


def test_at_least_11_of_12_planted_errors_caught_on_the_right_citation(bundled_kb):
    s = score_drafts(DRAFTS, bundled_kb.registry)
    assert s["planted"] == 12 and s["caught"] >= 11, s["failures"]
    assert s["false_alarms"] == 0, s["failures"]


@pytest.mark.parametrize("case", PLANTED, ids=[c["id"] for c in PLANTED])
def test_each_planted_error(bundled_kb, case):
    """Each case on its own, so a regression names the draft (the bar above allows one miss)."""
    assert draft_outcome(case, bundled_kb.registry)[0] == "caught"


@pytest.mark.parametrize("case", CORRECT, ids=[c["id"] for c in CORRECT])
def test_no_warning_on_a_correct_draft(bundled_kb, case):
    outcome, rows = draft_outcome(case, bundled_kb.registry)
    assert rows and outcome == "correct", [(r["text"], r["warnings"]) for r in rows if r["warnings"]]


def test_cite_eval_scores_the_drafts(bundled_kb):
    tdkt = Path(sys.executable).parent / "tdkt"
    out = subprocess.run([str(tdkt), "cite-eval", "--drafts", str(DRAFTS), "--build-dir", str(bundled_kb.build_dir)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "caught on the right citation with the right kind: 12/12" in out.stdout
    assert "correct drafts with a warning: 0/6" in out.stdout


def test_a_planted_error_offers_the_right_value(bundled_kb):
    """Wrong date / issuer: the right value; not in full form: the full form to paste; ambiguous:
    no full form at all."""
    by_id = {c["id"]: c for c in PLANTED}

    def planted(case_id):
        case = by_id[case_id]
        return _planted_row(cite_rows(case["draft"], bundled_kb.registry), case["error"])

    assert planted("date-party-34-ct-tw")["warnings"][0]["right"] == "07/4/2014"
    assert planted("date-nd-30-2020")["warnings"][0]["right"] == "05/3/2020"
    assert planted("issuer-party-05-ct-tw")["warnings"][0]["right"] == "Bộ Chính trị"
    assert planted("issuer-nd-152-2025")["warnings"][0]["right"] == "Chính phủ"
    full = planted("not-full-first-mention-19-ct-ttg")["warnings"][0]["right"]
    assert full.startswith("Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ về việc phát động thi đua")
    assert "15/6/2022" in planted("not-full-law-by-number")["warnings"][0]["right"]
    assert planted("ambiguous-kh-157")["full_form"] is None
    assert "152/2025/NĐ-CP" in planted("superseded-nd-98-2023")["warnings"][0]["message"]


@pytest.mark.browser
def test_browser_lookup_page_asks_for_the_full_form_and_leaves_own_papers_alone(bundled_kb):
    from live_site import CHROMEDRIVER, CHROMIUM, headless_chrome, serving
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs chromium and chromedriver")
    pytest.importorskip("selenium")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from search_app.app import create_app

    draft = ("Để triển khai Chỉ thị số 19/CT-TTg của Thủ tướng Chính phủ, xét Tờ trình số 45/TTr-SNV ngày 02/12/2025 "
             "của Sở Nội vụ về việc khen thưởng, Ủy ban nhân dân tỉnh ban hành Kế hoạch.")
    with serving(create_app(kb=bundled_kb), log_level="warning") as port, headless_chrome("1280,1000", ("--lang=vi",)) as d:
        d.get(f"http://127.0.0.1:{port}/lookup")
        d.find_element(By.ID, "text").send_keys(draft)
        d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(d, 20).until(lambda x: len(x.find_elements(By.CSS_SELECTOR, "ol.lookup-results > li")) == 2)
        directive, paper = d.find_elements(By.CSS_SELECTOR, "ol.lookup-results > li")
        warning = directive.find_element(By.CSS_SELECTOR, ".warn-not_full_form").text
        assert "Nghị định 30/2020/NĐ-CP" in warning and "ngày ban hành" in warning and "trích yếu" in warning
        full = directive.find_element(By.CSS_SELECTOR, ".full-form output").text
        assert full.startswith("Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ về việc phát động thi đua")
        assert not paper.find_elements(By.CSS_SELECTOR, ".warn")
        assert "không kiểm tra được" in paper.find_element(By.CSS_SELECTOR, ".not-checkable").text
        assert "1 cảnh báo" in d.find_element(By.CSS_SELECTOR, "p.summary").text
