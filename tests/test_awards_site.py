"""The award file on the site: /award (form, quoted criteria linked to their section, dossier
checklist, căn cứ block, print view), /api/award (the CLI's JSON), /award.docx read back with
python-docx (the căn cứ lines in order), and clear 400s for bad choices."""
from __future__ import annotations

import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from search_app.app import create_app

CHOICE = {"award": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "recipient": "individual", "date": "2026-01-15",
          "province": "Bắc Ninh"}


@pytest.fixture(scope="module")
def client(bundled_kb):
    return TestClient(create_app(kb=bundled_kb))


def test_api_award_matches_the_cli(client, bundled_kb, capsys, tmp_path):
    r = client.get("/api/award", params=CHOICE)
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"award", "criteria", "authority", "proposer", "dossier", "deadline", "limits", "money",
                         "prerequisites", "basis"}
    item = body["criteria"][0]
    assert set(item) >= {"doc", "article", "clause", "text", "url"}
    assert item["url"].startswith("/doc/06-2022-qh15#")
    from search_app.cli import main
    assert main(["award", CHOICE["award"], "--recipient", "individual", "--date", "2026-01-15", "--province", "Bắc Ninh",
                 "--json", "--build-dir", str(bundled_kb.build_dir)]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert cli["basis"] == body["basis"] and cli["criteria"] == body["criteria"]


def test_cli_award_errors_are_one_line(capsys, bundled_kb):
    from search_app.cli import main
    assert main(["award", "Bằng khen", "--recipient", "robot", "--build-dir", str(bundled_kb.build_dir)]) == 2
    assert "unknown recipient kind “robot”" in capsys.readouterr().err
    assert main(["award", "Giấy khen", "--date", "15-01-2026", "--build-dir", str(bundled_kb.build_dir)]) == 2
    assert "bad date" in capsys.readouterr().err


@pytest.mark.parametrize("params, status, message", [
    ({"award": "Huy hiệu Đảng"}, 404, "unknown award"),
    ({"award": "Gia đình văn hóa", "recipient": "individual"}, 400, "household"),
    ({"award": "Giấy khen", "date": "2026-02-30"}, 400, "date"),
    ({"award": "Giấy khen", "recipient": "robot"}, 400, "individual"),
    ({"award": "x" * 500}, 400, "200"),
])
def test_api_award_bad_choices_are_named(client, params, status, message):
    r = client.get("/api/award", params=params)
    assert r.status_code == status and message in r.json()["detail"]


def test_award_page_shows_the_file(client):
    r = client.get("/award", params=CHOICE)
    assert r.status_code == 200
    html = r.text
    assert "<q>Có 02 lần liên tục được tặng danh hiệu “Chiến sĩ thi đua cơ sở”" in html
    assert 'href="/doc/06-2022-qh15#chuong-3.muc-5.dieu-74.k1"' in html
    assert 'href="/doc/extra-86-2025-qd-ubnd-2#chuong-2.dieu-3.k3"' in html      # Bắc Ninh's own criteria
    assert html.count('type="checkbox"') >= 3                                   # the dossier checklist
    basis = re.search(r'<pre id="basis-block">(.*?)</pre>', html, re.S).group(1)
    assert basis.splitlines()[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert 'id="copy-basis"' in html and "window.print()" in html and 'href="/award.docx?' in html


def test_award_page_escapes_what_was_typed(client):
    r = client.get("/award", params={"award": "<script>alert(1)</script>"})
    assert r.status_code == 200 and "trong danh mục khen thưởng" in r.text   # the form again, with the message
    assert "<script>alert(1)" not in r.text and "&lt;script&gt;" in r.text


def test_award_page_without_a_choice_is_the_form(client):
    r = client.get("/award")
    assert r.status_code == 200 and '<datalist id="award-names">' in r.text and "basis-block" not in r.text


def test_docx_reads_back_with_the_basis_in_order(client):
    import docx
    r = client.get("/award.docx", params=CHOICE)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(r.content))
    paragraphs = [p.text for p in document.paragraphs]
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[0].startswith("ỦY BAN NHÂN DÂN TỈNH BẮC NINH") and "Độc lập - Tự do - Hạnh phúc" in header[1]
    api = client.get("/api/award", params=CHOICE).json()["basis"]
    basis = [t for t in paragraphs if t.startswith("Căn cứ")]
    assert basis == api and len(basis) == 3
    assert "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in paragraphs
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in paragraphs
    assert paragraphs.index("QUYẾT ĐỊNH:") > paragraphs.index(basis[-1])
    assert "Bắc Ninh, ngày 15 tháng 01 năm 2026" in paragraphs


def test_docx_2022_has_the_rules_of_2022(client):
    import docx
    r = client.get("/award.docx", params=CHOICE | {"date": "2022-06-01", "province": ""})
    basis = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs if p.text.startswith("Căn cứ")]
    assert basis[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003;" and not any("152/2025" in b for b in basis)


def test_docx_bad_choice_is_400(client):
    assert client.get("/award.docx", params={"award": "không có"}).status_code == 404
    assert client.get("/award.docx", params={"award": "Giấy khen", "date": "hôm qua"}).status_code == 400


def test_cli_award_list_and_text(capsys, bundled_kb):
    from search_app.cli import main
    assert main(["award", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 58 and any(line.startswith("Huân chương Lao động hạng Ba") for line in listed)
    assert main(["award", "CSTĐ cơ sở", "--date", "2026-01-15", "--build-dir", str(bundled_kb.build_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Chiến sĩ thi đua cơ sở — cá nhân — ngày 15/01/2026")
    assert "(Điều 23 06/2022/QH15)" in out and "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in out


def test_the_award_commands_and_pages_are_documented():
    """Docs checked by tests (datasette's habit): the commands, the routes and the families."""
    from pathlib import Path

    from awards.catalogue import load
    root = Path(__file__).resolve().parents[1]
    readme, awards_doc = (root / "README.md").read_text(encoding="utf-8"), (root / "docs" / "AWARDS.md").read_text(encoding="utf-8")
    for needle in ("tdkt award", "tdkt eligible", "--compare", "/award", "/api/award", "/award.docx", "/award/eligible"):
        assert needle in readme, needle
    for needle in ("tdkt award", "tdkt eligible", "/award/compare", "/api/award/eligible", "catalogue.yaml"):
        assert needle in awards_doc, needle
    for family in load().families:
        assert family in awards_doc, family


@pytest.mark.parametrize("typed, shown", [
    ("Huy hiệu Đảng", "Không có “Huy hiệu Đảng” trong danh mục khen thưởng"),
    ("Huân chương Lao động hạng Tư", "có phải: Huân chương Lao động"),
])
def test_an_unknown_award_is_named_in_vietnamese_on_the_page(client, typed, shown):
    r = client.get("/award", params={"award": typed})
    assert r.status_code == 200 and shown in r.text and "unknown award" not in r.text
