"""Who owns a record and which units stand above a unit (records/units.py): a decision of a central
body belongs to its cơ quan trình, any other to its issuer; a role in a tỉnh covers its huyện and
xã, and a unit merged into another is covered by the other's roles. SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

from records.changes import merge_unit
from records.store import Store, unit_code
from records.units import ancestors, code_of, owner_name
from records_db import pg_server, records_db, records_url  # noqa: F401

TINH, HUYEN, XA = "Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân huyện Cao Lộc", "Ủy ban nhân dân xã Tân Thành"


@pytest.mark.parametrize("issuer, submitter, owner", [
    ("Chủ tịch nước", "Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn"),   # state award: the province files it
    ("Thủ tướng Chính phủ", "Sở Nội vụ tỉnh Lạng Sơn", "Sở Nội vụ tỉnh Lạng Sơn"),
    ("Ủy ban nhân dân tỉnh Lạng Sơn", "Sở Nội vụ tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn"),  # its own decision
    ("Ủy ban nhân dân huyện Cao Lộc", None, "Ủy ban nhân dân huyện Cao Lộc"),
    ("Chủ tịch nước", None, "Chủ tịch nước"),                                   # no cơ quan trình named
    ("Chủ tịch nước", "  ", "Chủ tịch nước"),
])
def test_the_owner_of_a_decision(issuer, submitter, owner):
    assert owner_name(issuer, submitter) == owner


def test_the_units_above_a_unit(records_db):
    with records_db.session(actor="cli:test") as s:
        store = Store(s)
        tinh = store.unit(TINH, level="tỉnh")
        huyen = store.unit(HUYEN, level="huyện", parent=tinh)
        store.unit(XA, level="xã", parent=huyen)
        store.unit("Ủy ban nhân dân xã Hợp Thành", level="xã", parent=huyen)
        s.flush()
        merge_unit(s, "Ủy ban nhân dân xã Hợp Thành", XA, dt.date(2025, 7, 1))
    with records_db.session() as s:
        assert ancestors(s, unit_code(XA)) == [unit_code(HUYEN), unit_code(TINH)]
        assert ancestors(s, unit_code("Ủy ban nhân dân xã Hợp Thành")) == [unit_code(HUYEN), unit_code(XA), unit_code(TINH)]
        assert ancestors(s, unit_code(TINH)) == []
        assert ancestors(s, "no-such-unit") == []
        assert code_of(s, "uy ban nhan dan xa tan thanh") == unit_code(XA)        # an existing unit, typed without accents
        assert code_of(s, "Ủy ban nhân dân xã Mới") == "uy-ban-nhan-dan-xa-moi"   # the code a new unit would get


# Real unit names as decisions write them: each code is one an officer's unit may be (accounts'
# rule), and names that differ only in punctuation, or beyond the 64th character, get distinct codes.
UNIT_NAMES = [
    "Ủy ban nhân dân tỉnh Bắc Ninh",
    "Ủy ban nhân dân xã Tân Thành, huyện Hàm Thuận Nam, tỉnh Bình Thuận",
    "Ủy ban nhân dân xã Tân Thành huyện Hàm Thuận Nam tỉnh Bình Thuận",
    "Trường Trung học phổ thông chuyên Lê Quý Đôn, thành phố Đà Nẵng (cơ sở 2)",
    "Ban Chỉ huy Quân sự huyện Lục Ngạn, Bộ Chỉ huy Quân sự tỉnh Bắc Giang - Quân khu 1",
    "Ban Chỉ huy Quân sự huyện Lục Ngạn, Bộ Chỉ huy Quân sự tỉnh Bắc Giang - Quân khu 2",
]


def test_unit_codes_are_officers_unit_codes_and_distinct():
    from accounts.users import normal_unit
    codes = [unit_code(n) for n in UNIT_NAMES]
    assert [normal_unit(c) for c in codes] == codes          # accepted as an officer's unit
    assert len(set(codes)) == len(codes)
    assert codes[0] == "uy-ban-nhan-dan-tinh-bac-ninh"        # a plain name keeps its readable code
    assert codes[1].startswith("uy-ban-nhan-dan-xa-tan-thanh-huyen-ham-thuan")
    assert unit_code(UNIT_NAMES[1]) == codes[1]               # the same name, the same code
