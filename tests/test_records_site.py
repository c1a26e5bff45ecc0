"""The records pages (issue 16) over HTTP: lookup without accents, a decision's recipients and its
căn cứ lines linked to the knowledge base (a superseded one flagged), a person's history, form 0602
with each figure linking to exactly the lines it counts, .xlsx downloads, TDKT_RECORDS_PUBLIC=0
refusing reads, and no write route. SQLite and PostgreSQL."""
from __future__ import annotations

import io
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from records.importing import import_file
from records_db import pg_server, records_db, records_url  # noqa: F401
from search_app.app import create_app
from search_app.settings import Settings
from test_records_import import GOOD, HEADER, write_xlsx

STATE = [["7/QĐ-CTN", "10/03/2025", "Chủ tịch nước", "Chủ tịch nước", "Huân chương Lao động hạng Ba", "cá nhân",
          "Trần Thị Bích", "Sở Y tế tỉnh Lạng Sơn", 2024, "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ;",
          None, "thường xuyên", "Ủy ban nhân dân tỉnh Lạng Sơn"],
         ["7/QĐ-CTN", "10/03/2025", "Chủ tịch nước", "Chủ tịch nước", "Huân chương Lao động hạng Ba", "tập thể",
          "Trạm Y tế xã Tân Lập", "Sở Y tế tỉnh Lạng Sơn", 2024, None, None, "cống hiến", "Ủy ban nhân dân tỉnh Lạng Sơn"]]


@pytest.fixture
def client(records_db, records_url, tmp_path, bundled_kb):
    rows = [r + [None, None] for r in GOOD] + STATE
    import_file(records_db, write_xlsx(tmp_path / "a.xlsx", rows, header=HEADER + ["Loại hình khen thưởng", "Cơ quan trình"]),
                actor="cli:test")
    return TestClient(create_app(kb=bundled_kb, settings=Settings(database_url=records_url)))


def links(html: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(' + pattern + r'[^"]*)"', html)]


def test_lookup_page_without_accents(client):
    r = client.get("/records", params={"name": "nguyen van an"})
    assert r.status_code == 200
    assert r.text.count("Nguyễn Văn An") >= 2 and "123/QĐ-UBND" in r.text and "Trần Thị Bích" not in r.text
    x = client.get(links(r.text, "/records/export.xlsx")[0])
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/vnd.openxmlformats")
    names = [row[6] for row in load_workbook(io.BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Nguyễn Văn An", "Nguyễn Văn An"]


def test_bad_lookup_input_is_a_message(client):
    r = client.get("/records", params={"name": "a", "from": "31/02/2025"})
    assert r.status_code == 200 and "không phải ngày" in r.text
    assert client.get("/records", params={"name": "x" * 500}).status_code == 400
    assert client.get("/records/decision/999999").status_code == 404
    assert client.get("/records/report/0699").status_code == 404


def test_decision_page_links_and_flags_its_basis(client):
    r = client.get("/records", params={"name": "tran thi bich"})
    page = client.get(links(r.text, "/records/decision/")[0])
    assert page.status_code == 200 and "Trạm Y tế xã Tân Lập" in page.text and "Trần Thị Bích" in page.text
    basis = page.text.split('id="basis"')[1].split('id="recipients"')[0]
    assert 'class="flagged"' in basis and "hết hiệu lực" in basis
    found = client.get("/records", params={"name": "nguyen van an", "award": "Bằng khen của Chủ tịch UBND tỉnh"}).text
    good = client.get(links(found, "/records/decision/")[0])
    doc_links = links(good.text.split('id="basis"')[1], "/doc/")
    assert doc_links and all(client.get(u).status_code == 200 for u in doc_links)


def test_person_history(client):
    r = client.get("/records", params={"name": "nguyen van an"})
    person = client.get(links(r.text, "/records/person/")[0])
    assert person.status_code == 200 and "Chiến sĩ thi đua cơ sở" in person.text and "Bằng khen" in person.text


def test_report_numbers_link_to_their_lines(client):
    r = client.get("/records/report/0602", params={"from": "2025-01-01", "to": "2025-12-31"})
    assert r.status_code == 200 and "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC" in r.text
    cells = re.findall(r'<a href="(/records/report/0602/lines[^"]*)">(\d+)</a>', r.text)
    assert cells
    for href, n in cells:
        lines = client.get(unescape(href))
        assert lines.status_code == 200
        assert lines.text.count('href="/records/decision/') == int(n)
    x = client.get(links(r.text, "/records/report/0602.xlsx")[0])
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws["A1"].value == "Biểu số 0602.N/BNV-TĐKT" and ws["C8"].value == 3   # GOOD[2] and the two STATE lines
    t = client.get("/records/template.xlsx")
    assert t.status_code == 200 and load_workbook(io.BytesIO(t.content)).active["A1"].value == "Số quyết định"


def test_reads_refused_when_not_public(records_url, bundled_kb):
    c = TestClient(create_app(kb=bundled_kb, settings=Settings(database_url=records_url, records_public=False)))
    assert c.get("/records", params={"name": "an"}).status_code == 403
    assert c.get("/records/report/0602").status_code == 403


def test_no_write_route_without_the_accounts_package(client):
    paths = client.app.openapi()["paths"]
    for path, ops in paths.items():
        if path.startswith("/records"):
            assert set(ops) <= {"get", "head"}, path


def test_api_search_matches_the_library(client):
    r = client.get("/api/records/search", params={"name": "nguyen van an"})
    assert r.status_code == 200
    got = [(x["name"], x["award"], x["decision_number"], x["decision_date"]) for x in r.json()["lines"]]
    assert got == [("Nguyễn Văn An", "Chiến sĩ thi đua cơ sở", "77/QĐ-UBND", "2025-09-02"),
                   ("Nguyễn Văn An", "Bằng khen của Bộ, ban, ngành, tỉnh", "123/QĐ-UBND", "2025-01-15")]
    bad = client.get("/api/records/search", params={"award": "Huân chương Lao động hạng Tư"})
    assert bad.status_code == 404 and "Huân chương Lao động hạng Tư" in bad.json()["detail"]


def test_decision_and_history_download_as_xlsx(client):
    r = client.get("/records", params={"name": "nguyen van an"})
    person = client.get(links(r.text, "/records/person/")[0])
    x = client.get(next(u for u in links(person.text, "/records/person/") if u.endswith("/export.xlsx")))
    assert x.status_code == 200
    awards = [row[4] for row in load_workbook(io.BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True)]
    assert awards == ["Bằng khen của Bộ, ban, ngành, tỉnh", "Chiến sĩ thi đua cơ sở"]
    page = client.get(links(client.get("/records", params={"name": "tran thi bich"}).text, "/records/decision/")[0])
    x = client.get(next(u for u in links(page.text, "/records/decision/") if u.endswith("/export.xlsx")))
    names = sorted(row[6] for row in load_workbook(io.BytesIO(x.content)).active.iter_rows(min_row=2, values_only=True))
    assert names == ["Trạm Y tế xã Tân Lập", "Trần Thị Bích"]
    assert client.get("/records/decision/999999/export.xlsx").status_code == 404
