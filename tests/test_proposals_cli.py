"""`tdkt proposals list / show / move` on a records database: a unit's proposals and those sent
to it, a proposal's move log, a move made for the unit holding it, and the refusals (a unit not
holding it, a return without a reason, the submit and the decision left to the pages) as one line
and exit 2."""
from __future__ import annotations

import json

import pytest

from proposals_site import TINH, XA, seed_units
from search_app.cli import main


@pytest.fixture
def database(tmp_path):
    from proposals import dossier, workflow
    from proposals.db import forget, open_proposals
    from records.db import close_all
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    seed_units(url)
    with open_proposals(url).session(actor="xa_bt") as s:
        p = dossier.create(s, dossier.unit_by_code(s, XA), "Cờ thi đua của Chính phủ", 2026, "xa_bt")
        dossier.add_recipient(s, p, "tập thể", "Trường THCS Nội Duệ")
        workflow.move(s, p, "submit", "xa_bt", XA)
        pid = p.id
    yield url, pid
    close_all()
    forget()


def test_list_show_and_move(database, capsys):
    url, pid = database
    assert main(["proposals", "--database", url, "list", TINH, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in listed["incoming"]] == [pid] and listed["proposals"] == []
    assert main(["proposals", "--database", url, "move", str(pid), "receive", "--unit", TINH]) == 0
    assert "Cấp trên đã tiếp nhận" in capsys.readouterr().out
    assert main(["proposals", "--database", url, "move", str(pid), "return", "--unit", TINH, "--reason", "Thiếu biên bản họp Hội đồng"]) == 0
    capsys.readouterr()
    assert main(["proposals", "--database", url, "show", str(pid)]) == 0
    out = capsys.readouterr().out
    assert "Bị trả lại" in out and "Thiếu biên bản họp Hội đồng" in out and out.count("cli:") == 2


@pytest.mark.parametrize("args, words", [
    (["move", "{pid}", "receive", "--unit", XA], "không thể chuyển nó"),          # the commune does not hold it
    (["move", "{pid}", "return", "--unit", TINH], "cần ghi lý do"),
    (["move", "{pid}", "approve", "--unit", TINH], "không thể “Duyệt”"),
    (["move", "{pid}", "decide", "--unit", TINH], "the proposal's page or the API"),
    (["move", "{pid}", "xoá", "--unit", TINH], "không có thao tác “xoá”"),
    (["show", "999"], "không có hồ sơ đề nghị số 999"),
    (["list", "KHONG-CO"], "không có đơn vị mã “KHONG-CO”"),
])
def test_refusals_are_one_line_and_exit_2(database, capsys, args, words):
    url, pid = database
    assert main(["proposals", "--database", url, *[a.replace("{pid}", str(pid)) for a in args]]) == 2
    assert words in capsys.readouterr().err
