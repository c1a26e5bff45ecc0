"""The records' write pages over real HTTP (uvicorn on loopback, httpx clients with their own
cookie jars, SQLite): the import upload, edit and delete, the officers' pages. Every write refused
without a session, with a wrong CSRF token, for a viewer and for an officer of another unit; an
upload with a bad row imports nothing and names the row and cell; the good rows on request; a
re-upload adds nothing; every change in the decision's history (who, old → new)."""
from __future__ import annotations

import io
import re

import httpx
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from accounts.users import add_user
from accounts.web import CSRF_HEADER
from live_site import serving
from records.models import AuditEntry, AwardLine, Decision
from records.store import Store
from search_app.settings import Settings
from test_accounts_http import PASSWORD, StubKB, client, fast_hashing, logged_in, token_of  # noqa: F401
from test_records_import import GOOD, HEADER

LS, BN = "uy-ban-nhan-dan-tinh-lang-son", "uy-ban-nhan-dan-tinh-bac-ninh"
XA = "Ủy ban nhân dân xã Tân Lập"
BAD_AWARD = ["9/QĐ-UBND", "20/01/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Huân chương Không Có",
             "cá nhân", "Hoàng Văn Lỗi", XA, 2024, None, None]
BAD_DATE = ["10/QĐ-UBND", "31/02/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Giấy khen",
            "cá nhân", "Đỗ Thị Ngày", XA, 2024, None, None]
# GOOD without the Chủ tịch nước decision (45/QĐ-CTN: no cơ quan trình, so no province owns it)
LS_ROWS = [r for r in GOOD if r[2] != "Chủ tịch nước"]


def xlsx_bytes(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory, fast_hashing):  # noqa: F811
    from records.db import close_all, open_db
    from search_app.app import create_app
    tmp = tmp_path_factory.mktemp("records_write")
    url = f"sqlite:///{tmp / 'records.sqlite3'}"
    app = create_app(kb=StubKB(), settings=Settings(build_dir=tmp / "build", database_url=url))
    db = open_db(url)
    with db.session(actor="cli:test") as s:       # the tỉnh and its xã (a role in the tỉnh covers the xã)
        store = Store(s)
        store.unit(XA, parent=store.unit("Ủy ban nhân dân tỉnh Lạng Sơn", level="tỉnh"), level="xã")
        store.unit("Ủy ban nhân dân tỉnh Bắc Ninh", level="tỉnh")
    accounts = app.state.accounts_db
    add_user(accounts, "bientap", "Nguyễn Văn Biên", PASSWORD, "editor", LS, "cli:test")
    add_user(accounts, "xem", "Trần Thị Xem", PASSWORD, "viewer", LS, "cli:test")
    add_user(accounts, "khac", "Lê Văn Khác", PASSWORD, "editor", BN, "cli:test")
    add_user(accounts, "quantri", "Phạm Quản Trị", PASSWORD, "admin", LS, "cli:test")
    with serving(app, log_level="warning") as port:
        yield app, db, f"http://127.0.0.1:{port}"
    close_all()


def count(db, model, *where) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def upload(c: httpx.Client, token: str, content: bytes, name: str = "qd.xlsx", accept: bool = False, path="/records/import",
           header: bool = False):
    data = {"accept_good_rows": "1"} if accept else {}
    headers = {CSRF_HEADER: token} if header else {}
    if not header:
        data["csrf_token"] = token
    return c.post(path, data=data, files={"file": (name, content)}, headers=headers)


def decision_id(db, number: str) -> int:
    with db.session() as s:
        return s.scalar(select(Decision.id).where(Decision.number == number))


# ---- import ----

def test_an_upload_with_a_bad_row_imports_nothing_and_names_the_row_and_cell(site):
    app, db, base = site
    c, token = logged_in(base, "bientap")
    before = count(db, AwardLine)
    r = upload(c, token, xlsx_bytes(LS_ROWS + [BAD_AWARD, BAD_DATE]))
    assert r.status_code == 422
    text = re.sub(r"<[^>]+>", " ", r.text)
    assert "chưa nhập dòng nào" in text
    assert re.search(r"\b6\s+E \(Hình thức khen thưởng\)\s+không có “Huân chương Không Có”", text)
    assert re.search(r"\b7\s+B \(Ngày quyết định\)\s+“31/02/2025” không phải ngày", text)
    assert count(db, AwardLine) == before


def test_accept_good_rows_imports_only_the_good_ones_and_a_reupload_adds_nothing(site):
    app, db, base = site
    c, token = logged_in(base, "bientap")
    before = count(db, AwardLine)
    content = xlsx_bytes(LS_ROWS + [BAD_AWARD])
    r = upload(c, token, content, accept=True)
    assert r.status_code == 200 and "4 dòng mới, 0 dòng đã có" in r.text and "bỏ qua 1 lỗi" in r.text
    assert count(db, AwardLine) == before + 4
    assert decision_id(db, "9/QĐ-UBND") is None
    links = re.findall(r'href="(/records/decision/\d+)"', r.text)
    assert len(links) == 3 and "77/QĐ-UBND" in c.get(links[0]).text + c.get(links[1]).text + c.get(links[2]).text
    again = upload(c, token, content, accept=True)
    assert "0 dòng mới, 4 dòng đã có" in again.text and count(db, AwardLine) == before + 4
    with db.session() as s:      # audited under the officer's login
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.table_name == "award_line")))
    assert "bientap" in actors


def test_the_api_import_takes_the_token_in_a_header(site):
    app, db, base = site
    c, token = logged_in(base, "bientap")
    row = ["501/QĐ-UBND", "05/05/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Giấy khen", "cá nhân",
           "Vi Thị Api", XA, 2024, None, None]
    assert upload(c, "", xlsx_bytes([row]), path="/api/records/import", header=True).status_code == 403
    r = upload(c, token, xlsx_bytes([row]), path="/api/records/import", header=True)
    body = r.json()
    assert r.status_code == 200 and body["imported"] and body["added"] == 1 and body["errors"] == []
    assert body["decisions"][0]["number"] == "501/QĐ-UBND" and c.get(body["decisions"][0]["url"]).status_code == 200
    bad = upload(c, token, xlsx_bytes([BAD_AWARD]), path="/api/records/import", header=True).json()
    assert bad["imported"] is False and bad["errors"][0]["row"] == 2 and bad["errors"][0]["column"] == "E"


def test_an_officer_of_another_province_cannot_import_its_decisions(site):
    app, db, base = site
    c, token = logged_in(base, "khac")
    r = upload(c, token, xlsx_bytes([LS_ROWS[0]]))
    assert r.status_code == 422
    text = re.sub(r"<[^>]+>", " ", r.text)
    assert re.search(r"\b2\s+C \(Cơ quan ban hành\)\s+tài khoản khac không có quyền", text)


@pytest.mark.parametrize("name,content,expected", [
    ("qd.xls", b"\xd0\xcf\x11\xe0 old excel", "chỉ nhận tệp .xlsx hoặc .csv"),
    ("qd.xlsm", b"PK macro", "chỉ nhận tệp .xlsx hoặc .csv"),
    ("qd.xlsx", b"this is not a workbook", "không phải tệp Excel .xlsx"),
    ("qd.csv", b"", "tệp rỗng"),
    ("qd.csv", "Số quyết định;Ngày\n1;2\n".encode(), "dòng tiêu đề thiếu cột"),
])
def test_a_file_that_is_not_the_template_is_a_clear_message(site, name, content, expected):
    _, _, base = site
    c, token = logged_in(base, "bientap")
    r = upload(c, token, content, name=name)
    assert r.status_code == 400 and expected in r.text
    assert "/tmp" not in r.text and "tdkt-upload" not in r.text     # the file is named as the officer named it


def test_a_file_over_the_limit_is_refused_before_it_is_read(site):
    _, _, base = site
    c, token = logged_in(base, "bientap")
    from search_app.routes.records_write import UPLOAD_LIMIT
    r = upload(c, token, b"x" * (UPLOAD_LIMIT + 100 * 1024), name="big.csv")
    assert r.status_code == 413 and "Tệp quá lớn" in r.text


# ---- who may write ----

def _ids(db):
    with db.session() as s:
        d = s.scalar(select(Decision).where(Decision.number == "123/QĐ-UBND"))
        if d is None:
            return None, None
        return d.id, s.scalar(select(AwardLine.id).where(AwardLine.decision_id == d.id))


@pytest.fixture
def imported(site):
    app, db, base = site
    if _ids(db)[0] is None:
        c, token = logged_in(base, "bientap")
        assert upload(c, token, xlsx_bytes(LS_ROWS), accept=True).status_code == 200
    return _ids(db)


def writes(d: int, line: int) -> list[tuple[str, dict]]:
    return [(f"/records/decision/{d}/edit", {"number": "123/QĐ-UBND", "date": "15/01/2025", "issuer": "x", "signer": "y"}),
            (f"/records/line/{line}/edit", {"award": "Giấy khen", "year": "2024"}),
            (f"/records/line/{line}/delete", {}), (f"/records/decision/{d}/delete", {}),
            ("/officers/add", {"login": "moi", "name": "Mới", "password": PASSWORD, "unit": LS, "role": "viewer"}),
            ("/officers/xem/active", {"active": "0"})]


@pytest.mark.parametrize("who", ["nobody", "wrong-csrf", "xem", "khac"])
def test_every_write_is_refused_without_the_right(site, imported, who):
    app, db, base = site
    d, line = imported
    if who == "nobody":
        c, token = client(base), "đoán-bừa"
    else:
        c, token = logged_in(base, "bientap" if who == "wrong-csrf" else who)
        token = "sai-mã" if who == "wrong-csrf" else token
    audit = count(db, AuditEntry)
    for path, data in writes(d, line):
        r = c.post(path, data={**data, "csrf_token": token})
        assert r.status_code == 403, f"{who} {path}: {r.status_code}"
    r = upload(c, token, xlsx_bytes(LS_ROWS))
    assert r.status_code in (403, 422) and count(db, AuditEntry) == audit      # nothing written, nothing audited
    for page in (f"/records/decision/{d}/edit", f"/records/line/{line}/delete", "/officers", "/records/import"):
        r = c.get(page)
        if who == "nobody":
            assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        elif who != "wrong-csrf" and not (who == "khac" and page == "/records/import"):
            assert r.status_code == 403, f"{who} GET {page}: {r.status_code}"


def test_links_to_write_pages_only_for_who_may_use_them(site, imported):
    _, _, base = site
    d, _ = imported
    anonymous = client(base).get(f"/records/decision/{d}").text
    assert "/edit" not in anonymous and "Lịch sử thay đổi" not in anonymous
    assert "/records/import" not in client(base).get("/records", params={"name": "an"}).text
    for who, sees_edit in (("bientap", True), ("khac", False), ("xem", False)):
        c, _ = logged_in(base, who)
        page = c.get(f"/records/decision/{d}").text
        assert (f"/records/decision/{d}/edit" in page) is sees_edit, who
        assert "Lịch sử thay đổi" in page
    c, _ = logged_in(base, "bientap")
    lookup = c.get("/records", params={"name": "an"}).text
    assert "/records/import" in lookup and "/officers" not in lookup
    assert "/officers" in logged_in(base, "quantri")[0].get("/records", params={"name": "an"}).text
    assert 'href="/records">Sổ khen thưởng</a>' in anonymous


# ---- edit and delete ----

def test_editing_a_decision_is_in_its_history_and_moves_its_lines(site, imported):
    app, db, base = site
    d, _ = imported
    c, token = logged_in(base, "bientap")
    form = c.get(f"/records/decision/{d}/edit").text
    assert 'value="15/01/2025"' in form
    bad = c.post(f"/records/decision/{d}/edit", data={"csrf_token": token, "number": "123/QĐ-UBND", "date": "32/01/2025",
                                                      "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn", "signer": "Hồ Tiến Thiệu"})
    assert bad.status_code == 400 and "Ngày quyết định: “32/01/2025” không phải ngày" in bad.text
    r = c.post(f"/records/decision/{d}/edit", data={"csrf_token": token, "number": "123/QĐ-UBND", "date": "16/01/2025",
                                                    "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn", "signer": "Dương Xuân Huyên",
                                                    "basis": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"})
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    history = page.split('id="history"')[1]
    assert "bientap" in history and "Người ký: <del>Hồ Tiến Thiệu</del> → <ins>Dương Xuân Huyên</ins>" in history
    assert "Ngày quyết định: <del>2025-01-15</del> → <ins>2025-01-16</ins>" in history
    with db.session() as s:
        assert {x.isoformat() for x in s.scalars(select(AwardLine.decision_date).where(AwardLine.decision_id == d))} == {"2025-01-16"}
    clash = c.post(f"/records/decision/{d}/edit", data={"csrf_token": token, "number": "77/QĐ-UBND", "date": "02/09/2025",
                                                        "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn", "signer": "x"})
    assert clash.status_code == 400 and "Đã có quyết định 77/QĐ-UBND" in clash.text


def test_editing_and_deleting_a_line(site, imported):
    app, db, base = site
    d, line = imported
    c, token = logged_in(base, "bientap")
    bad = c.post(f"/records/line/{line}/edit", data={"csrf_token": token, "award": "Huân chương Không Có", "year": "2024"})
    assert bad.status_code == 400 and "không có “Huân chương Không Có”" in bad.text
    r = c.post(f"/records/line/{line}/edit", data={"csrf_token": token, "award": "Giấy khen", "year": "2023",
                                                   "method": "thường xuyên"})
    assert r.status_code == 303
    with db.session() as s:
        x = s.get(AwardLine, line)
        assert (x.award_kind_id, x.year) == ("giay-khen", 2023)
    assert "Năm: <del>2024</del> → <ins>2023</ins>" in c.get(f"/records/decision/{d}").text
    confirm = c.get(f"/records/line/{line}/delete")
    assert confirm.status_code == 200 and "Xóa dòng khen thưởng?" in confirm.text and count(db, AwardLine, AwardLine.id == line) == 1
    assert c.post(f"/records/line/{line}/delete", data={"csrf_token": token}).status_code == 303
    assert count(db, AwardLine, AwardLine.id == line) == 0
    assert "Xóa dòng khen thưởng" in c.get(f"/records/decision/{d}").text.split('id="history"')[1]


def test_a_province_editor_writes_its_communes_records_and_deletes_with_confirmation(site):
    app, db, base = site
    c, token = logged_in(base, "bientap")
    row = ["12/QĐ-UBND", "03/03/2025", XA, "Nông Văn Xã", "Giấy khen", "cá nhân", "Hà Thị Xã", XA, 2024, None, None]
    assert "1 dòng mới" in upload(c, token, xlsx_bytes([row])).text       # the xã's decision: the tỉnh's editor may
    d = decision_id(db, "12/QĐ-UBND")
    other, other_token = logged_in(base, "khac")
    assert other.post(f"/records/decision/{d}/delete", data={"csrf_token": other_token}).status_code == 403
    assert "Xóa quyết định số 12/QĐ-UBND" in c.get(f"/records/decision/{d}/delete").text
    r = c.post(f"/records/decision/{d}/delete", data={"csrf_token": token})
    assert r.status_code == 200 and "Đã xóa quyết định 12/QĐ-UBND" in r.text
    assert decision_id(db, "12/QĐ-UBND") is None
    with db.session() as s:
        deleted = s.scalars(select(AuditEntry).where(AuditEntry.decision_id == d, AuditEntry.action == "delete")).all()
    assert {e.table_name for e in deleted} == {"decision", "award_line"} and {e.actor for e in deleted} == {"bientap"}


# ---- officers ----

def test_an_admin_adds_an_officer_changes_the_role_and_disables_the_account(site):
    app, _, base = site
    c, token = logged_in(base, "quantri")
    page = c.get("/officers").text
    assert "bientap" in page and "khac" not in page          # another province's officer is not theirs
    weak = c.post("/officers/add", data={"csrf_token": token, "login": "canbo1", "name": "Vũ Thị Một",
                                         "password": "123", "unit": LS, "role": "editor"})
    assert weak.status_code == 400 and "too short" in weak.text
    r = c.post("/officers/add", data={"csrf_token": token, "login": "canbo1", "name": "Vũ Thị Một",
                                      "password": PASSWORD, "unit": LS, "role": "editor"})
    assert r.status_code == 200 and "Đã thêm Vũ Thị Một (canbo1)" in r.text
    elsewhere = c.post("/officers/add", data={"csrf_token": token, "login": "canbo2", "name": "Vũ Văn Hai",
                                              "password": PASSWORD, "unit": BN, "role": "editor"})
    assert elsewhere.status_code == 403 and "không quản trị đơn vị" in elsewhere.text
    officer, officer_token = logged_in(base, "canbo1")
    assert officer.get("/records/import").status_code == 200
    assert c.post("/officers/canbo1/role", data={"csrf_token": token, "unit": LS, "role": "viewer"}).status_code == 200
    assert officer.get("/records/import").status_code == 303          # the role change ended its session
    officer, _ = logged_in(base, "canbo1")
    assert officer.get("/records/import").status_code == 403          # a viewer now
    r = c.post("/officers/canbo1/active", data={"csrf_token": token, "active": "0"})
    assert r.status_code == 200 and "Đã khóa tài khoản canbo1" in r.text
    login_page = client(base)
    form = login_page.get("/login").text
    refused = login_page.post("/login", data={"login": "canbo1", "password": PASSWORD, "csrf_token": token_of(form)})
    assert refused.status_code == 401
    assert c.post("/officers/quantri/active", data={"csrf_token": token, "active": "0"}).status_code == 403
    assert c.post("/officers/khac/active", data={"csrf_token": token, "active": "0"}).status_code in (400, 403)


def test_an_editor_cannot_move_a_decision_into_another_units_records(site, imported):
    app, db, base = site
    d, _ = imported
    c, token = logged_in(base, "bientap")
    r = c.post(f"/records/decision/{d}/edit", data={"csrf_token": token, "number": "123/QĐ-UBND", "date": "16/01/2025",
                                                    "issuer": "Ủy ban nhân dân tỉnh Bắc Ninh", "signer": "Vương Quốc Tuấn"})
    assert r.status_code == 400 and "không có quyền cập nhật hồ sơ của “Ủy ban nhân dân tỉnh Bắc Ninh”" in r.text
    with db.session() as s:
        assert s.get(Decision, d).issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"


def test_the_good_rows_of_the_file_just_checked_without_choosing_it_again(site):
    app, db, base = site
    c, token = logged_in(base, "bientap")
    rows = [["601/QĐ-UBND", "06/06/2025", "Ủy ban nhân dân tỉnh Lạng Sơn", "Hồ Tiến Thiệu", "Giấy khen", "cá nhân",
             "Mai Văn Giữ", XA, 2024, None, None], BAD_AWARD]
    r = upload(c, token, xlsx_bytes(rows), name="giu-lai.xlsx")
    assert r.status_code == 422 and "Nhập 1 dòng đúng của “giu-lai.xlsx”" in r.text
    kept = re.search(r'name="upload_token" value="([^"]+)"', r.text).group(1)
    other, other_token = logged_in(base, "quantri")                 # another session cannot use it
    refused = other.post("/records/import", data={"csrf_token": other_token, "upload_token": kept}, files={"file": ("", b"")})
    assert refused.status_code == 400 and "không còn được giữ" in refused.text
    assert c.post("/records/import", data={"upload_token": kept}, files={"file": ("", b"")}).status_code == 403   # no CSRF
    done = c.post("/records/import", data={"csrf_token": token, "upload_token": kept}, files={"file": ("", b"")})
    assert done.status_code == 200 and "1 dòng mới" in done.text and decision_id(db, "601/QĐ-UBND") is not None
    again = c.post("/records/import", data={"csrf_token": token, "upload_token": kept}, files={"file": ("", b"")})
    assert again.status_code == 400 and "không còn được giữ" in again.text          # once only
    assert not [f for f in (app.state.settings.build_dir / "uploads").iterdir() if f.name.startswith(kept)]   # removed
