"""Shared set-up of the proposals tests: a site over a records database (SQLite or PostgreSQL,
tests/records_db.py) with a province, one of its communes and another province; officers of each;
an httpx client logged in as one of them; small real files to attach (a PDF, a Word document).

The refusal and browser tests replace the pre-send check (proposals.checks.check_proposal, tested
in test_proposal_checks.py and in the flow) by ``dossier_check``: a proposal without a tờ trình fails."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from live_site import serving

from proposals.checks import Failure

PASSWORD = "Hoa-sen-nở-2025"
TINH, XA, OTHER = "TINH-BN", "XA-NOIDUE", "TINH-LS"
# login → (name, role, unit code)
OFFICERS = {
    "xa_bt": ("Nguyễn Thị Lan", "editor", XA),
    "xa_xem": ("Trần Văn Xem", "viewer", XA),
    "tinh_bt": ("Lê Văn Tỉnh", "editor", TINH),
    "ls_bt": ("Hoàng Thị Lạng", "editor", OTHER),
}
MISSING_TO_TRINH = "khoản 1 Điều 37 Nghị định 152/2025/NĐ-CP"


class StubKB:
    """An empty knowledge base: the căn cứ lines come from the data registry; the pre-send check's
    failures carry their articles but no links."""

    def documents_meta(self) -> list[dict]:
        return []

    def document(self, doc_id: str) -> None:
        return None


def dossier_check(session, proposal, catalogue=None, corpus=None) -> list[Failure]:
    if "to_trinh" in proposal.attachments:
        return []
    return [Failure(rule="dossier", nominee=None, message="Hồ sơ thiếu tờ trình đề nghị khen thưởng",
                    article=MISSING_TO_TRINH, quote="Tờ trình đề nghị khen thưởng")]


def seed_units(url: str) -> dict[str, int]:
    """The units of the tests (records' Unit, with the commune under its province) and a movement."""
    from records.db import open_db
    from records.models import Movement, Unit
    import datetime as dt
    with open_db(url).session(actor="cli:test") as s:
        tinh = Unit(code=TINH, name="Ủy ban nhân dân tỉnh Bắc Ninh", name_folded="uy ban nhan dan tinh bac ninh",
                    level="tỉnh", province="Bắc Ninh")
        xa = Unit(code=XA, name="Ủy ban nhân dân xã Nội Duệ", name_folded="uy ban nhan dan xa noi due",
                  level="xã", province="Bắc Ninh", parent=tinh)
        other = Unit(code=OTHER, name="Ủy ban nhân dân tỉnh Lạng Sơn", name_folded="uy ban nhan dan tinh lang son",
                     level="tỉnh", province="Lạng Sơn")
        movement = Movement(name="Phong trào thi đua “Dân vận khéo” năm 2026", kind="thuong_xuyen",
                            launched=dt.date(2026, 1, 15), unit=tinh)
        s.add_all([tinh, xa, other, movement])
        s.flush()
        return {TINH: tinh.id, XA: xa.id, OTHER: other.id, "movement": movement.id}


def make_site(tmp_path, url: str):
    from accounts.users import add_user
    from search_app.app import create_app
    from search_app.settings import Settings
    config = Settings(build_dir=tmp_path / "build", database_url=url, admin_token="mã-quản-trị-thử")
    app = create_app(kb=StubKB(), settings=config)
    for login, (name, role, unit) in OFFICERS.items():
        add_user(app.state.accounts_db, login, name, PASSWORD, role, unit, "cli:test")
    return app


@contextmanager
def serving_site(tmp) -> Iterator[tuple[str, object]]:
    """The site of these tests over a fresh SQLite records database in ``tmp``, served by uvicorn on
    loopback with ``dossier_check`` as the pre-send check: (base URL, tmp). The databases opened
    are closed when the block ends."""
    import proposals.checks
    from proposals.db import forget
    from records.db import close_all
    url = f"sqlite:///{tmp / 'records.sqlite3'}"
    seed_units(url)
    app = make_site(tmp, url)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(proposals.checks, "check_proposal", dossier_check)
            with serving(app, log_level="warning") as port:
                yield f"http://127.0.0.1:{port}", tmp
    finally:
        close_all()
        forget()


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def logged_in(base: str, login: str) -> tuple[httpx.Client, str]:
    """A client with ``login``'s session, its CSRF token also sent as the X-CSRF-Token header."""
    c = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    r = c.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token_of(c.get("/login").text),
                               "next": "/login"})
    assert r.status_code == 303, r.text
    token = token_of(c.get("/login").text)
    c.headers["X-CSRF-Token"] = token
    return c, token


def pdf_bytes(text: str = "Báo cáo thành tích") -> bytes:
    body = f"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return body.encode("utf-8")


def docx_bytes(text: str = "Tờ trình đề nghị khen thưởng") -> bytes:
    from docx import Document
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
