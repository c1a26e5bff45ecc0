"""Legal status: the state of a document on any date, read from the texts' own effect clauses, the
registry and (marked) inference — on the real bundled corpus."""
import datetime as dt

import pytest

from corpus.status import (Status, effective_clause, in_force_documents, in_force_on, state_on,
                           sunset_clause)

# --- state on a date: a table of real lifetimes -------------------------------------------------
NĐ_91 = {"state": "superseded", "effective": "2017-10-01", "ended": "2024-01-01", "by": ["98-2023-nd-cp"]}
NĐ_152 = {"state": "in_force", "effective": "2025-07-01", "ended": "2027-03-01"}
LUAT_2003 = {"state": "expired", "effective": "2004-07-01", "ended": "2024-01-01"}


@pytest.mark.parametrize("status, day, state", [
    (NĐ_91, "2017-09-30", "not_yet_in_force"),
    (NĐ_91, "2017-10-01", "in_force"),         # the day it took effect
    (NĐ_91, "2023-06-15", "in_force"),         # a 2023 decision was made under it
    (NĐ_91, "2024-01-01", "superseded"),       # the day the 2022 law took effect
    (NĐ_152, "2025-06-30", "not_yet_in_force"),
    (NĐ_152, "2026-01-15", "in_force"),
    (NĐ_152, "2027-03-01", "expired"),         # its sunset (khoản 1 Điều 60), unless extended
    (LUAT_2003, "15/01/2020", "in_force"),     # the date as officers type it
    (LUAT_2003, "2025-01-01", "expired"),
    ({"state": "unknown"}, "2025-01-01", "unknown"),
    ({"state": "superseded"}, "2025-01-01", "superseded"),   # no end date known: ended whatever the day
    ({}, None, "unknown"),
])
def test_state_on_a_date(status, day, state):
    assert state_on(status, day) == state


def test_what_was_in_force_on_a_date():
    statuses = {"91-2017-nd-cp": NĐ_91, "152-2025-nd-cp": NĐ_152, "15-2003-qh11": LUAT_2003,
                "x": {"state": "unknown"}}
    assert in_force_documents(statuses, "2023-06-01") == ["15-2003-qh11", "91-2017-nd-cp"]
    assert in_force_documents(statuses, "2026-01-15") == ["152-2025-nd-cp"]
    assert in_force_on({"state": "unknown"}, "2026-01-01") is None


@pytest.mark.parametrize("text, date", [
    ("1. Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.", "2025-07-01"),
    ("Thông tư này có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2020 và thay thế Thông tư số 08/2017/TT-BNV", "2020-01-01"),
    ("Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2024.", "2024-01-01"),
    ("Thông tư liên tịch này có hiệu lực kể từ ngày 01 tháng 5 năm 2015.", "2015-05-01"),
])
def test_effective_clauses(text, date):
    assert effective_clause(text)[0] == date


@pytest.mark.parametrize("text", [
    "Thông tư này có hiệu lực thi hành sau 45 ngày kể từ ngày ký",          # relative: no date to read
    "Quyết định số 2635/QĐ-BKHCN … hết hiệu lực thi hành kể từ ngày Thông tư này có hiệu lực.",
])
def test_no_effective_date_is_invented(text):
    assert effective_clause(text) is None


def test_sunset_clause():
    assert sunset_clause("1. Nghị định này hết hiệu lực kể từ ngày 01 tháng 3 năm 2027 trừ các trường hợp sau:")[0] == "2027-03-01"


def test_status_round_trips_and_labels_in_vietnamese():
    st = Status.from_dict(NĐ_91)
    assert st.replaced_by == ["98-2023-nd-cp"] and st.label == "Đã bị thay thế"
    assert Status.from_dict(st.to_dict()) == st


# --- the real corpus ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docs(bundled_kb):
    return {i: bundled_kb.document(i) for i in ("152-2025-nd-cp", "91-2017-nd-cp", "06-2022-qh15",
                                                  "15-2003-qh11", "12-2019-tt-bnv", "05-2018-tt-btp",
                                                  "86-2025-qd-ubnd")}


def test_the_decree_in_force_reads_its_own_clauses(docs):
    st = docs["152-2025-nd-cp"].status
    assert st["state"] == "in_force" and st["effective"] == "2025-07-01" and st["ended"] == "2027-03-01"
    assert "Điều 59" in st["source"] and not st["inferred"]


def test_the_decrees_it_ends(bundled_kb):
    reg = bundled_kb.registry
    for old in ("98-2023-nd-cp", "28-2024-nd-cp"):
        e = reg.get(old)
        assert e.status["state"] == "superseded" and e.status["ended"] == "2025-07-01"
        assert "152-2025-nd-cp" in e.status["by"] and "Điều 59" in e.status["source"]


def test_the_old_decree_and_law(docs):
    nd91 = docs["91-2017-nd-cp"].status
    assert nd91["state"] == "superseded" and nd91["ended"] == "2024-01-01" and nd91["inferred"]
    assert state_on(nd91, "2023-06-01") == "in_force" and state_on(nd91, "2026-01-15") == "superseded"
    law = docs["15-2003-qh11"].status
    assert law["state"] == "expired" and "06-2022-qh15" in law["replaced_by"] and "Điều 94" in law["source"]
    assert docs["06-2022-qh15"].status["state"] == "in_force" and docs["06-2022-qh15"].status["effective"] == "2024-01-01"


def test_a_sector_circular_under_the_old_framework_is_inferred_ended(docs):
    st = docs["05-2018-tt-btp"].status
    assert st["effective"] == "2018-07-21"          # its own clause: "có hiệu lực thi hành từ ngày 21 tháng 07 năm 2018"
    assert st["state"] == "expired" and st["inferred"] and "Điều 154" in st["source"]


def test_a_2025_provincial_rule_on_the_current_framework_is_in_force(docs):
    st = docs["86-2025-qd-ubnd"].status
    assert st["state"] == "in_force" and st["inferred"] and "06/2022/QH15" in st["source"]


def test_superseded_articles_point_to_the_replacing_articles(docs):
    provisions = docs["91-2017-nd-cp"].status["provisions"]
    assert provisions and all(p["by"] == "152-2025-nd-cp" for p in provisions)
    by_label = {p["label"]: p["by_label"] for p in provisions}
    # the same subject under the same heading in both decrees
    assert any(v.startswith("Điều") for v in by_label.values())


def test_every_document_has_a_status(bundled_kb):
    states = {m["id"]: bundled_kb.document(m["id"]).status.get("state") for m in bundled_kb.documents_meta()}
    assert all(s in ("in_force", "superseded", "expired", "partly_amended", "not_yet_in_force", "unknown")
               for s in states.values()), [k for k, v in states.items() if not v]
