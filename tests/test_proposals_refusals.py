"""What the proposals' routes refuse, over real HTTP: another unit's proposal (neither read nor
moved), a move by the unit that does not hold it, a viewer's write, a write without a session or
without the CSRF token, an attachment of a type not allowed, misnamed or too large — each with a
clear message — and a request failing midway leaves nothing behind (no row, no file)."""
from __future__ import annotations

import pytest

from proposals_site import XA, docx_bytes, logged_in, pdf_bytes, serving_site

AWARD = "Bằng khen của Thủ tướng Chính phủ"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serving_site(tmp_path_factory.mktemp("proposals_refusals")) as site:
        yield site


@pytest.fixture(scope="module")
def clients(site):
    base, _ = site
    return {login: logged_in(base, login)[0] for login in ("xa_bt", "xa_xem", "tinh_bt", "ls_bt")}


def new_proposal(c, recipient: str = "Nguyễn Thị Hoa") -> int:
    r = c.post("/api/proposals", json={"unit": XA, "award": AWARD, "year": 2026})
    assert r.status_code == 200, r.text
    pid = r.json()["id"]
    assert c.post(f"/api/proposals/{pid}/recipients", json={"kind": "cá nhân", "name": recipient}).status_code == 200
    return pid


def test_another_units_officer_neither_reads_nor_moves_it(clients):
    pid = new_proposal(clients["xa_bt"])
    other = clients["ls_bt"]
    for method, path, body in [("GET", f"/api/proposals/{pid}", None), ("GET", f"/proposals/{pid}", None),
                               ("POST", f"/api/proposals/{pid}/submit", {}),
                               ("POST", f"/api/proposals/{pid}/recipients", {"kind": "cá nhân", "name": "Kẻ Lạ"}),
                               ("POST", f"/api/proposals/{pid}/move", {"action": "receive"})]:
        r = other.request(method, path, json=body)
        assert r.status_code == 404, (method, path, r.status_code)
        assert f"không có hồ sơ đề nghị số {pid}" in r.text
    # the receiving level sees nothing of a draft either
    assert clients["tinh_bt"].get(f"/api/proposals/{pid}").status_code == 404
    # nor does another unit's home list it
    assert clients["ls_bt"].get("/api/proposals", params={"unit": XA}).status_code == 403


def test_only_the_unit_holding_it_moves_it(clients):
    xa, tinh = clients["xa_bt"], clients["tinh_bt"]
    pid = new_proposal(xa)
    r = xa.post(f"/api/proposals/{pid}/submit", json={"justification": "Tờ trình gửi sau"})
    assert r.json()["sent"] is True
    r = xa.post(f"/api/proposals/{pid}/move", json={"action": "receive"})   # the proposer cannot receive its own
    assert r.status_code == 403 and "Ủy ban nhân dân tỉnh Bắc Ninh" in r.json()["detail"]
    r = tinh.post(f"/api/proposals/{pid}/recipients", json={"kind": "cá nhân", "name": "Thêm Người"})
    assert r.status_code == 403
    r = tinh.post(f"/api/proposals/{pid}/move", json={"action": "approve"})   # not yet under review
    assert r.status_code == 409 and "Đã gửi lên cấp trên" in r.json()["detail"]
    r = tinh.post(f"/api/proposals/{pid}/move", json={"action": "return", "reason": "  "})
    assert r.status_code == 400 and "cần ghi lý do" in r.json()["detail"]
    r = tinh.post(f"/api/proposals/{pid}/decision", json={"number": "1/QĐ-TTg", "date": "2026-11-20", "signer": "X"})
    assert r.status_code == 409


def test_a_viewer_reads_but_does_not_write(clients):
    pid = new_proposal(clients["xa_bt"])
    viewer = clients["xa_xem"]
    assert viewer.get(f"/api/proposals/{pid}").status_code == 200
    r = viewer.post(f"/api/proposals/{pid}/recipients", json={"kind": "cá nhân", "name": "Trần B"})
    assert r.status_code == 403 and "xa_xem" in r.json()["detail"]
    assert viewer.post(f"/api/proposals/{pid}/submit", json={}).status_code == 403
    assert viewer.post("/api/proposals", json={"unit": XA, "award": AWARD, "year": 2026}).status_code == 403


def test_no_session_or_no_csrf_token_is_refused(site, clients):
    import httpx
    base, _ = site
    pid = new_proposal(clients["xa_bt"])
    anonymous = httpx.Client(base_url=base, follow_redirects=False, timeout=20)
    assert anonymous.post(f"/api/proposals/{pid}/submit", json={}).status_code == 403
    assert anonymous.get(f"/api/proposals/{pid}").status_code == 403
    assert anonymous.get(f"/proposals/{pid}").status_code == 303          # a page sends the browser to log in
    xa = clients["xa_bt"]
    token = xa.headers.pop("X-CSRF-Token")
    try:
        r = xa.post(f"/api/proposals/{pid}/recipients", json={"kind": "cá nhân", "name": "Không Mã"})
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        r = xa.post(f"/proposals/{pid}/recipients", data={"kind": "individual", "name": "Không Mã", "csrf_token": "sai"})
        assert r.status_code == 403
    finally:
        xa.headers["X-CSRF-Token"] = token
    names = [x["name"] for x in xa.get(f"/api/proposals/{pid}").json()["recipients"]]
    assert "Không Mã" not in names


@pytest.mark.parametrize("filename, content, message", [
    ("chay.exe", b"MZ\x90\x00" + b"\x00" * 200, "nội dung là exe"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "không nhận ra loại nội dung"),
    ("bao-cao.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "có đuôi .pdf nhưng nội dung là png"),
    ("rong.pdf", b"", "rỗng"),
])
def test_an_attachment_not_allowed_is_refused_with_its_name(clients, filename, content, message):
    xa = clients["xa_bt"]
    pid = new_proposal(xa)
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "khac"}, files={"file": (filename, content)})
    assert r.status_code == 400, r.text
    assert filename in r.json()["detail"] and message in r.json()["detail"]
    assert xa.get(f"/api/proposals/{pid}").json()["attachments"] == []


def test_an_attachment_too_large_is_refused(clients):
    xa = clients["xa_bt"]
    pid = new_proposal(xa)
    big = pdf_bytes() + b"0" * (21 * 1024 * 1024)
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "khac"}, files={"file": ("lon.pdf", big)})
    assert r.status_code == 413 and "tối đa 20 MB" in r.json()["detail"]
    just_over = pdf_bytes() + b"0" * (20 * 1024 * 1024)
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "khac"}, files={"file": ("hoi-lon.pdf", just_over)})
    assert r.status_code == 400 and "hoi-lon.pdf" in r.json()["detail"] and "quá lớn" in r.json()["detail"]


def test_an_unknown_document_kind_names_the_kinds(clients):
    xa = clients["xa_bt"]
    pid = new_proposal(xa)
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "thư tay"}, files={"file": ("a.pdf", pdf_bytes())})
    assert r.status_code == 400 and "thư tay" in r.json()["detail"] and "Tờ trình đề nghị khen thưởng" in r.json()["detail"]


def test_an_attachment_is_served_as_a_download_only(clients):
    xa = clients["xa_bt"]
    pid = new_proposal(xa)
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "tờ trình"},
                files={"file": ("Tờ trình <số 1>.docx", docx_bytes(), "text/html")})
    assert r.status_code == 200, r.text
    a = r.json()["attachments"][0]
    assert a["media_type"].endswith("wordprocessingml.document") and a["kind"] == "to_trinh"
    got = xa.get(f"/proposals/{pid}/attachments/{a['id']}")
    import hashlib
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == a["sha256"]
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in got.headers["content-security-policy"]
    assert "<" not in got.headers["content-disposition"]
    assert clients["ls_bt"].get(f"/proposals/{pid}/attachments/{a['id']}").status_code == 404


def test_a_request_failing_midway_leaves_nothing(site, clients, monkeypatch):
    """The transaction fails after the file is written: no attachment row, no file on disk; a
    submit failing after the move: still a draft, no move logged."""
    from sqlalchemy.orm import Session
    from proposals import attachments, workflow
    base, tmp = site
    xa = logged_in(base, "xa_bt")[0]      # its own connection: the server closes it after a 500
    pid = new_proposal(xa)
    folder = attachments.folder(tmp / "build")
    before = set(folder.glob("*")) if folder.exists() else set()

    real_commit = Session.commit

    def failing_commit(self):
        from proposals.models import Attachment
        if self.info.get("actor") and any(isinstance(o, Attachment) for o in self.identity_map.values()):
            raise RuntimeError("the disk is full")
        return real_commit(self)

    monkeypatch.setattr(Session, "commit", failing_commit)
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "khac"}, files={"file": ("a.pdf", pdf_bytes())})
    monkeypatch.setattr(Session, "commit", real_commit)
    assert r.status_code == 500
    xa = logged_in(base, "xa_bt")[0]
    assert xa.get(f"/api/proposals/{pid}").json()["attachments"] == []
    assert (set(folder.glob("*")) if folder.exists() else set()) == before

    real_move = workflow.move

    def move_then_fail(*args, **kwargs):
        real_move(*args, **kwargs)
        raise RuntimeError("the connection dropped")

    monkeypatch.setattr(workflow, "move", move_then_fail)
    r = xa.post(f"/api/proposals/{pid}/submit", json={"justification": "gửi thử"})
    monkeypatch.setattr(workflow, "move", real_move)
    assert r.status_code == 500
    xa = logged_in(base, "xa_bt")[0]
    after = xa.get(f"/api/proposals/{pid}").json()
    assert after["status"] == "draft" and after["moves"] == []


def test_a_registration_file_with_a_bad_row_imports_nothing(clients):
    from proposals_site import xlsx_bytes
    xa = clients["xa_bt"]
    rid = xa.post("/api/registrations", json={"unit": XA, "year": 2026}).json()["id"]
    sheet = xlsx_bytes([["Đối tượng", "Họ và tên", "Danh hiệu đăng ký"],
                        ["cá nhân", "Nguyễn Văn Hùng", "CSTĐ cơ sở"],
                        ["cá nhân", "Lê Thị Na", "Danh hiệu không có"]])
    r = xa.post(f"/api/registrations/{rid}/import", files={"file": ("dang-ky.xlsx", sheet)})
    assert r.status_code == 400 and "dòng 3, cột C (Danh hiệu đăng ký)" in r.json()["detail"]
    assert xa.get(f"/api/registrations/{rid}").json()["entries"] == []
    r = xa.post(f"/api/registrations/{rid}/import", files={"file": ("dang-ky.exe", b"MZ")})
    assert r.status_code == 400 and "dang-ky.exe" in r.json()["detail"]
    # the province cannot add to the commune's registration, nor receive a draft
    tinh = clients["tinh_bt"]
    assert tinh.post(f"/api/registrations/{rid}/move", json={"action": "receive"}).status_code == 404
