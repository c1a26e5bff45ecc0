"""The registry and resolution: every registry example resolves to its own entry; the same number
in two provinces or two years is ambiguous, never guessed; superseded documents say by what."""
import re

import pytest

from corpus.citations import extract_citations
from corpus.ids import is_valid_id
from corpus.models import Citation, Document, PartialDate, Section
from corpus.registry import Registry, RegistryEntry
from corpus.resolve import resolve_corpus

REGISTRY = Registry.load()
EXAMPLES = [(e, ex) for e in REGISTRY.entries for ex in e.examples]


@pytest.mark.parametrize("entry,example", EXAMPLES, ids=[f"{e.id}:{ex[:40]}" for e, ex in EXAMPLES])
def test_every_registry_example_resolves_to_its_entry(entry, example):
    found = extract_citations(example)
    assert found, example
    res = REGISTRY.lookup(found[-1])
    assert res.entry is not None and res.entry.id == entry.id, (example, res.note)


@pytest.mark.parametrize("entry", REGISTRY.entries, ids=[e.id for e in REGISTRY.entries])
def test_entries_are_well_formed(entry):
    assert is_valid_id(entry.id)
    assert entry.status["state"] in {"in_force", "expired", "superseded", "partly_amended", "unknown"}
    if entry.status["state"] != "unknown":
        assert entry.status.get("source"), f"{entry.id}: a status needs its source"
    for other in entry.status.get("by") or []:
        assert REGISTRY.get(other), f"{entry.id}: status.by names unknown {other}"
    for rel in entry.relations:
        assert REGISTRY.get(rel["target"]), f"{entry.id}: relation to unknown {rel['target']}"
        assert rel.get("source")
    if entry.date:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", entry.date)


@pytest.mark.parametrize("name,date,symbol", [
    ("Luật Thi đua, khen thưởng", "2003-11-26", "15/2003/QH11"),
    ("Luật Thi đua, Khen thưởng", "2003-11-26", "15/2003/QH11"),
    ("Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng", "2005-06-14", "47/2005/QH11"),
    ("Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng", "2013-11-16", "39/2013/QH13"),
    ("Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng", "2013", "39/2013/QH13"),
    ("Luật Thi đua, khen thưởng", "2022-06-15", "06/2022/QH15"),
])
def test_law_name_and_date_give_the_number(name, date, symbol):
    assert REGISTRY.match_law_name(name, date).symbol == symbol


def test_law_name_with_a_date_no_law_has_stays_unresolved():
    assert REGISTRY.match_law_name("Luật Thi đua, khen thưởng", "2013-01-01") is None
    assert REGISTRY.match_law_name("Luật Thi đua, khen thưởng", None) is None


# --- ambiguity: numbers restart every year and in every province ------------------------------------


def _two_provinces() -> Registry:
    reg = Registry.load()
    reg.add(RegistryEntry(id="12-kh-ubnd-2013", doc_type="Kế hoạch", number="12", symbol="12/KH-UBND",
                          canonical="12/KH-UBND", date="2013-01-24", issuer="Ủy ban nhân dân tỉnh Lạng Sơn",
                          province="Lạng Sơn", origin="corpus", in_corpus=True, corpus_doc_id="12-kh-ubnd-2013"))
    reg.add(RegistryEntry(id="12-kh-ubnd-2013-lai-chau", doc_type="Kế hoạch", number="12", symbol="12/KH-UBND",
                          canonical="12/KH-UBND", date="2013-02-01", issuer="Ủy ban nhân dân tỉnh Lai Châu",
                          province="Lai Châu", origin="cited"))
    return reg


def test_same_number_in_two_provinces_without_year_is_ambiguous():
    reg = _two_provinces()
    c = extract_citations("Thực hiện Kế hoạch số 12/KH-UBND của UBND tỉnh")[0]
    res = reg.lookup(c)
    assert res.status == "ambiguous" and res.entry is None
    assert {e.id for e in res.candidates} == {"12-kh-ubnd-2013", "12-kh-ubnd-2013-lai-chau"}
    assert "Lai Châu" in res.note and "Lạng Sơn" in res.note   # the candidates, as an officer names them


@pytest.mark.parametrize("text,province,expected", [
    ("Kế hoạch số 12/KH-UBND của UBND tỉnh Lai Châu", None, "12-kh-ubnd-2013-lai-chau"),
    ("Kế hoạch số 12/KH-UBND ngày 24/01/2013 của UBND tỉnh", "Lạng Sơn", "12-kh-ubnd-2013"),
    ("Kế hoạch số 12/KH-UBND ngày 24/01/2013 của UBND tỉnh Lạng Sơn", None, "12-kh-ubnd-2013"),
    # "UBND tỉnh" without a name means the citing document's own province
    ("Kế hoạch số 12/KH-UBND của UBND tỉnh", "Lai Châu", "12-kh-ubnd-2013-lai-chau"),
])
def test_issuer_date_or_citing_province_pick_one(text, province, expected):
    c = extract_citations(text)[0]
    assert _two_provinces().lookup(c, province=province).target == expected


@pytest.mark.parametrize("text", [
    "Kế hoạch số 12/KH-UBND",                                   # no issuer, no date
    "Kế hoạch số 12/KH-UBND ngày 24/01/2013",                   # a date fits one known, any province may have it
    "Kế hoạch số 12/KH-UBND ngày 24/01/2013 của UBND tỉnh",     # "tỉnh" without its name
    "Tờ trình số 12/KH-UBND ngày 24/01/2013 của Ủy ban nhân dân",
])
def test_a_local_number_without_its_province_is_ambiguous_never_guessed(text):
    """Every province has a "Kế hoạch số 12/KH-UBND": without the issuer's province (written, the
    citing document's, or chosen) the one the registry knows is only a candidate, and no full form
    is offered."""
    c = extract_citations(text)[0]
    res = _two_provinces().lookup(c)
    assert res.status == "ambiguous" and res.entry is None and res.candidates
    assert "12-kh-ubnd-2013" in {e.id for e in res.candidates}


def test_a_national_number_is_not_made_ambiguous_by_the_local_rule():
    c = extract_citations("Nghị định số 152/2025/NĐ-CP")[0]
    assert Registry.load().lookup(c).status in ("known", "in_corpus")


def test_party_number_restarting_each_term_is_resolved_by_its_date():
    reg = Registry.load()
    reg.add(RegistryEntry(id="05-ct-tw-2011", doc_type="Chỉ thị", number="05", canonical="05-CT/TW", date="2011-05-15",
                          issuer="Bộ Chính trị", origin="cited"))
    dated = extract_citations("Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị")[0]
    bare = extract_citations("Chỉ thị số 05-CT/TW của Bộ Chính trị")[0]
    assert reg.lookup(dated).target == "05-ct-tw-2016"
    assert reg.lookup(bare).status == "ambiguous"
    # a 2013 text cannot cite the 2016 directive
    assert reg.lookup(bare, citing_year=2013).target == "05-ct-tw-2011"


# --- statuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text,status,by", [
    ("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003", "superseded", "Luật 06/2022/QH15"),
    ("Nghị định số 42/2010/NĐ-CP ngày 15 tháng 4 năm 2010", "superseded", "Nghị định 91/2017/NĐ-CP"),
    ("Thông tư số 08/2017/TT-BNV", "superseded", "Thông tư 12/2019/TT-BNV"),
    ("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15", "known", None),
    ("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị", "known", None),
    ("Kế hoạch số 999/KH-UBND ngày 01/01/2020", "unknown", None),
])
def test_status_and_superseded_note(text, status, by):
    res = REGISTRY.lookup(extract_citations(text)[0])
    assert res.status == status
    if by:
        assert res.note.startswith(f"đã bị thay thế bởi {by}")


def test_full_form_ready_to_copy():
    assert REGISTRY.get("34-ct-tw-2014").full_form() == (
        "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng")
    assert REGISTRY.get("06-2022-qh15").full_form() == "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022"


def test_registry_round_trips_through_json():
    again = Registry.from_dict(REGISTRY.to_dict())
    assert [e.to_dict() for e in again.entries] == [e.to_dict() for e in REGISTRY.entries]
    c = extract_citations("Chỉ thị số 19/CT-TTg")[0]
    assert again.lookup(c).target == "19-ct-ttg-2021"


# --- resolve_corpus fills citations in place -------------------------------------------------------


def _doc(doc_id, symbol, year, province, text, doc_type="Kế hoạch"):
    from corpus.citations import extract_document_citations
    d = Document(id=doc_id, source_file=f"{doc_id}.txt", doc_type=doc_type, symbol=symbol, date=PartialDate(year),
                 province=province, sections=[Section(id="body", kind="body", label="", heading="", text=text)])
    d.citations = extract_document_citations(d)
    return d


def test_resolve_corpus_marks_in_corpus_known_self_and_cited_only_documents():
    plan = _doc("200-kh-ubnd-2021", "200/KH-UBND", 2021, "Lạng Sơn",
                "Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ; Chỉ thị số 04/CT-UBND ngày "
                "01/9/2020 của Chủ tịch UBND tỉnh. Các cơ quan triển khai Kế hoạch này.")
    letter = _doc("1419-vks-vp-2021", "1419/VKS-VP", 2021, "Lạng Sơn",
                  "V/v triển khai Kế hoạch số 200/KH-UBND ngày 09/10/2021 của UBND tỉnh Lạng Sơn; "
                  "Chỉ thị số 04/CT-UBND của Chủ tịch UBND tỉnh", doc_type="Công văn")
    reg = Registry.load()
    reg.add_corpus_documents([plan, letter])
    resolve_corpus([plan, letter], reg)
    got = {(d.id, c.canonical, c.short_form): (c.status, c.target) for d in (plan, letter) for c in d.citations}
    assert got[("200-kh-ubnd-2021", "19/CT-TTg", False)] == ("known", "19-ct-ttg-2021")
    assert got[("200-kh-ubnd-2021", "04/CT-UBND", False)] == ("known", "04-ct-ubnd-2020")
    assert got[("200-kh-ubnd-2021", "200/KH-UBND", True)] == ("in_corpus", "200-kh-ubnd-2021")
    assert got[("1419-vks-vp-2021", "200/KH-UBND", False)] == ("in_corpus", "200-kh-ubnd-2021")
    # the bare mention in the letter resolves to the document the plan cited with its date
    assert got[("1419-vks-vp-2021", "04/CT-UBND", False)] == ("known", "04-ct-ubnd-2020")
    assert reg.get("04-ct-ubnd-2020").origin == "cited" and reg.get("04-ct-ubnd-2020").date == "2020-09-01"


def test_a_bad_registry_entry_is_skipped_and_named(tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text("- {symbol: 34-CT/TW, type: Chỉ thị, date: 2014-04-07}\n"
                    "- {type: Chỉ thị, date: 2014-04-07}\n"
                    "- {symbol: 19/CT-TTg, date: 16/7/2021}\n", encoding="utf-8")
    reg = Registry.load(path)
    assert [e.id for e in reg.entries] == ["34-ct-tw-2014"]
    assert len(reg.problems) == 2 and "entry 2" in reg.problems[0] and "not ISO" in reg.problems[1]
    assert Registry.load().problems == []
