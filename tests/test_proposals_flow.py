"""Issue 17, done when: over real HTTP (uvicorn on loopback), a commune registers for the year, the
province returns the registration with a reason and then receives it; the registration becomes a
proposal; the proposal fails the pre-send check for a missing document and is sent anyway with a
justification the province sees; the province returns it for the missing tờ trình; the commune
attaches it and resubmits; the province receives, reviews, approves, downloads the decision draft
and enters the signed decision: the award line is in the records and in form 0602, the commune
sees the result, and every move is in the audit log. On SQLite and on PostgreSQL.

The pre-send check is the real one (proposals.checks), on the day set for the test (3 December
2026: before Bắc Ninh's 10/12 deadline): the records hold the provincial Cờ thi đua the commune's
collectives won that year, so that one Cờ thi đua của Chính phủ is within its 20%."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from live_site import serving
from proposals_site import TINH, XA, docx_bytes, logged_in, make_site, pdf_bytes, seed_units, xlsx_bytes
from records_db import pg_server, records_url  # noqa: F401

COLLECTIVE = "Trường Trung học cơ sở Nội Duệ"
AWARD = "Cờ thi đua của Chính phủ"


DAY = dt.date(2026, 12, 3)
# the articles the real check cites for the dossier of a Cờ thi đua của Chính phủ (read in the texts)
MISSING_TO_TRINH = "điểm a khoản 2 Điều 37 Nghị định 152/2025/NĐ-CP"
MISSING_MINUTES = "điểm c khoản 2 Điều 37 Nghị định 152/2025/NĐ-CP"
MISSING_OPINION = "khoản 3 Điều 84 Luật 06/2022/QH15"
PROVINCIAL_FLAG = "Cờ thi đua của Ủy ban nhân dân tỉnh"
LEADERS = [COLLECTIVE, "Trường Tiểu học Nội Duệ", "Trạm Y tế xã Nội Duệ", "Hợp tác xã nông nghiệp Nội Duệ",
           "Trường Mầm non Nội Duệ"]


@pytest.fixture(autouse=True)
def on_the_day(monkeypatch):
    import proposals.clock
    monkeypatch.setattr(proposals.clock, "today", lambda: DAY)


def seed_flags(url: str) -> None:
    """The province's Cờ thi đua of 2026 to five of the commune's collectives (the base of the 20%)."""
    from awards.catalogue import default_catalogue
    from records.db import open_db
    from records.models import Unit
    from records.store import Store
    from sqlalchemy import select
    with open_db(url).session(actor="cli:test") as s:
        store = Store(s)
        xa = s.scalars(select(Unit).where(Unit.code == XA)).one()
        kind = store.award_kind(default_catalogue().find(PROVINCIAL_FLAG))
        d, _ = store.decision("2150/QĐ-UBND", "Ủy ban nhân dân tỉnh Bắc Ninh", dt.date(2026, 11, 25),
                              signer="Vương Quốc Tuấn", level="tỉnh", owner_unit_id=xa.parent_id)
        for name in LEADERS:
            store.add_line(d, store.collective(name, xa), kind, year=2026)


@pytest.fixture
def site(tmp_path, records_url):  # noqa: F811
    from proposals.db import forget
    from records.db import close_all
    ids = seed_units(records_url)
    seed_flags(records_url)
    app = make_site(tmp_path, records_url)
    with serving(app, log_level="warning") as port:
        yield f"http://127.0.0.1:{port}", ids, records_url, tmp_path
    close_all()
    forget()


def test_register_propose_return_resubmit_approve_decide(site):
    base, ids, url, tmp_path = site
    xa, _ = logged_in(base, "xa_bt")
    tinh, _ = logged_in(base, "tinh_bt")

    # 1. registration, typed in and imported from .xlsx; returned once with a reason, then received
    r = xa.post("/api/registrations", json={"unit": XA, "year": 2026, "movement_id": ids["movement"]})
    assert r.status_code == 200, r.text
    reg = r.json()
    assert reg["receiver"]["code"] == TINH and reg["status"] == "draft"
    rid = reg["id"]
    r = xa.post(f"/api/registrations/{rid}/entries", json={"kind": "tập thể", "name": COLLECTIVE, "award": "co thi dua cua chinh phu"})
    assert r.status_code == 200, r.text
    sheet = xlsx_bytes([["STT", "Đối tượng", "Họ và tên", "Danh hiệu đăng ký", "Ghi chú"],
                        ["1", "cá nhân", "Nguyễn Văn Hùng", "CSTĐ cơ sở", "giáo viên"]])
    r = xa.post(f"/api/registrations/{rid}/import", files={"file": ("dang-ky-2026.xlsx", sheet)})
    assert r.status_code == 200 and r.json() == {"added": 1}, r.text
    assert xa.post(f"/api/registrations/{rid}/move", json={"action": "submit"}).status_code == 200
    r = tinh.post(f"/api/registrations/{rid}/move", json={"action": "return", "reason": "Ghi rõ chỉ tiêu thi đua của từng tập thể"})
    assert r.json()["status"] == "returned", r.text
    page = xa.get(f"/registrations/{rid}")
    assert "Ghi rõ chỉ tiêu thi đua của từng tập thể" in page.text
    assert xa.post(f"/api/registrations/{rid}/move", json={"action": "submit"}).json()["status"] == "submitted"
    assert tinh.post(f"/api/registrations/{rid}/move", json={"action": "receive"}).json()["status"] == "received"

    # 2. at year end the registration is the starting list: one proposal per title
    r = xa.post(f"/api/registrations/{rid}/proposals")
    assert r.status_code == 200, r.text
    started = [xa.get(f"/api/proposals/{pid}").json() for pid in r.json()["proposals"]]
    assert sorted(p["award"] for p in started) == ["Chiến sĩ thi đua cơ sở", AWARD]
    p = next(p for p in started if p["award"] == AWARD)
    pid = p["id"]
    assert [x["name"] for x in p["recipients"]] == [COLLECTIVE]
    assert p["receiver"]["code"] == TINH       # decided by the Government: the province forwards it

    # 3. a document, then the check fails for the missing tờ trình; sent anyway with a justification
    r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": "Báo cáo thành tích"},
                files={"file": ("bao-cao-thanh-tich.pdf", pdf_bytes(), "application/pdf")})
    assert r.status_code == 200, r.text
    r = xa.post(f"/api/proposals/{pid}/submit", json={})
    assert r.json()["sent"] is False, r.text
    missing = {f["document"]: f["article"] for f in r.json()["failures"] if f["rule"] == "dossier"}
    assert missing == {"to_trinh": MISSING_TO_TRINH, "bien_ban_hoi_dong": MISSING_MINUTES,
                       "y_kien_co_quan": MISSING_OPINION}
    assert [f["rule"] for f in r.json()["failures"]] == ["dossier"] * 3     # within the 20%, in time
    assert xa.get(f"/api/proposals/{pid}").json()["status"] == "draft"
    page = xa.get(f"/proposals/{pid}").text
    assert MISSING_TO_TRINH in page and "Lý do vẫn gửi" in page
    r = xa.post(f"/api/proposals/{pid}/submit", json={"justification": "Tờ trình đã gửi bản giấy ngày 02/12"})
    assert r.json()["sent"] is True, r.text

    # 4. the province sees the justification, receives it and returns it for the missing document
    seen = tinh.get(f"/proposals/{pid}").text
    assert "Tờ trình đã gửi bản giấy ngày 02/12" in seen
    assert tinh.post(f"/api/proposals/{pid}/move", json={"action": "receive"}).status_code == 200
    r = tinh.post(f"/api/proposals/{pid}/move", json={"action": "return", "reason": "Thiếu tờ trình đề nghị khen thưởng"})
    assert r.json()["status"] == "returned" and r.json()["reason"] == "Thiếu tờ trình đề nghị khen thưởng"

    # 5. the commune attaches the tờ trình (through the page's form) and resubmits: the check passes
    form = xa.get(f"/proposals/{pid}").text
    from proposals_site import token_of
    r = xa.post(f"/proposals/{pid}/attachments", data={"kind": "to_trinh", "csrf_token": token_of(form)},
                files={"file": ("to-trinh.docx", docx_bytes())})
    assert r.status_code == 303, r.text
    for kind, name in (("biên bản họp hội đồng", "bien-ban.pdf"), ("văn bản hiệp y", "hiep-y.pdf")):
        r = xa.post(f"/api/proposals/{pid}/attachments", data={"kind": kind},
                    files={"file": (name, pdf_bytes(kind), "application/pdf")})
        assert r.status_code == 200, r.text
    r = xa.post(f"/api/proposals/{pid}/submit", json={})
    assert r.json() == {"sent": True, "failures": [], "status": "submitted"}

    # 6. received, reviewed, approved; the decision draft; the signed decision entered
    for action in ("receive", "review", "approve"):
        r = tinh.post(f"/api/proposals/{pid}/move", json={"action": action})
        assert r.status_code == 200, (action, r.text)
    draft = tinh.get(f"/proposals/{pid}/decision.docx")
    assert draft.status_code == 200 and draft.headers["content-disposition"].startswith("attachment")
    from docx import Document
    doc = Document(io.BytesIO(draft.content))
    text = "\n".join(par.text for par in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Căn cứ Luật Thi đua, khen thưởng" in text and "Kèm theo Quyết định số ………" in text
    assert any(COLLECTIVE in c for c in cells)
    r = tinh.post(f"/api/proposals/{pid}/decision", json={"number": "245/QĐ-TTg", "date": "2026-11-20", "signer": "Phạm Minh Chính"})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "decided" and done["decision"]["number"] == "245/QĐ-TTg"
    assert done["decision"]["issuer"] == "Thủ tướng Chính phủ"

    # 7. the commune sees the result; the line is in the records and in form 0602
    mine = xa.get(f"/api/proposals/{pid}").json()
    assert mine["decision"]["number"] == "245/QĐ-TTg"
    assert "245/QĐ-TTg" in xa.get(f"/proposals/{pid}").text
    found = xa.get("/api/records/search", params={"name": "truong trung hoc co so noi due"}).json()
    assert sorted((x["award"], x["decision_number"]) for x in found["lines"]) == [
        ("Cờ thi đua của Bộ, ban, ngành, tỉnh", "2150/QĐ-UBND"), (AWARD, "245/QĐ-TTg")]
    report = xa.get("/records/report/0602", params={"from": "2026-01-01", "to": "2026-12-31"})
    assert report.status_code == 200 and "Ủy ban nhân dân tỉnh Bắc Ninh" in report.text

    from records import reports
    from records.db import open_db
    from records.models import AuditEntry, AwardLine
    from sqlalchemy import select
    with open_db(url).session() as s:
        form = reports.compute(s, "0602", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert form.value("Ủy ban nhân dân tỉnh Bắc Ninh", "total") == 1
        assert form.value("Ủy ban nhân dân tỉnh Bắc Ninh", "kind:collective") == 1
        assert form.value("Ủy ban nhân dân tỉnh Bắc Ninh", "group:co_chinh_phu") == 1
        lines = [ln for ln in s.scalars(select(AwardLine)).all() if ln.award_kind.name == AWARD]
        assert [(ln.collective.name, ln.year) for ln in lines] == [(COLLECTIVE, 2026)]
        moves = s.execute(select(AuditEntry.table_name, AuditEntry.actor, AuditEntry.before, AuditEntry.after)
                          .where(AuditEntry.table_name.in_(("proposal", "registration"))).order_by(AuditEntry.id)).all()
        trail = [(t, actor, b["status"], a["status"]) for t, actor, b, a in moves if t == "proposal" and True]
        assert trail == [
            ("proposal", "xa_bt", "draft", "submitted"), ("proposal", "tinh_bt", "submitted", "received"),
            ("proposal", "tinh_bt", "received", "returned"), ("proposal", "xa_bt", "returned", "submitted"),
            ("proposal", "tinh_bt", "submitted", "received"), ("proposal", "tinh_bt", "received", "under_review"),
            ("proposal", "tinh_bt", "under_review", "approved"), ("proposal", "tinh_bt", "approved", "decided")]
        assert [(b["status"], a["status"]) for t, _, b, a in moves if t == "registration"] == [
            ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "received")]
        assert any(a["reason"] == "Thiếu tờ trình đề nghị khen thưởng" for t, _, b, a in moves)
        decision_audit = s.scalars(select(AuditEntry).where(AuditEntry.table_name.in_(("decision", "award_line")))).all()
        by_officer = [e for e in decision_audit if e.actor != "cli:test"]    # the seeded flags aside
        assert {e.actor for e in by_officer} == {"tinh_bt"} and len(by_officer) >= 2
    log = xa.get(f"/api/proposals/{pid}").json()["moves"]
    assert len(log) == 8 and log[0]["reason"].startswith("Gửi dù chưa đạt kiểm tra: Tờ trình đã gửi bản giấy")

    home = xa.get("/proposals").text
    assert AWARD in home and "Đã có quyết định khen thưởng" in home
    incoming = tinh.get("/api/proposals", params={"unit": TINH}).json()
    assert [p["id"] for p in incoming["incoming"]] == [pid]
