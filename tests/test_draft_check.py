"""`tdkt cite` is the drafting check: each citation carries the problems an officer must fix."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.citation_rows import cite_rows
from corpus.registry import Registry


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


TITLE_34 = "về tiếp tục đổi mới công tác thi đua, khen thưởng"


@pytest.mark.parametrize("draft,kinds", [
    (f"Thực hiện Chỉ thị số 34-CT/TW ngày 07/5/2014 của Bộ Chính trị {TITLE_34}", {"date"}),     # it is 07/4/2014
    (f"Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2015 của Bộ Chính trị {TITLE_34}", {"date"}),     # another year: still that one
    (f"Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị {TITLE_34}", set()),
    ("Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị.", {"not_full_form"}),        # no trích yếu
    ("Thực hiện Chỉ thị số 34-CT/TW ngày 07/5/2014 của Bộ Chính trị.", {"date", "not_full_form"}),
    ("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003", {"superseded"}),                 # ended 01/01/2024
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", set()),
    ("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15", {"not_full_form"}),               # a law: name and date
    ("Căn cứ Luật số 06/2022/QH15 ngày 15/6/2022", {"not_full_form"}),                     # …and its name
    ("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ", {"superseded"}),   # replaced, not completed
    (f"Chỉ thị số 34-CT/TW ngày 07/4/2014 của Thủ tướng Chính phủ {TITLE_34}", {"issuer"}),
    ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 của Thủ tướng Chính phủ quy định về phân cấp", {"issuer"}),
    ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ quy định về phân cấp", set()),
    ("Căn cứ Nghị định số 777/2031/NĐ-CP", {"unknown"}),
    ("Xét Tờ trình số 45/TTr-SNV ngày 02/12/2025 của Sở Nội vụ về việc khen thưởng", set()),   # not checkable
    ("Theo Công văn số 215/VP-TH của Văn phòng", set()),
    ("theo 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ quy định chi tiết", {"not_full_form"}),
])
def test_draft_citations_carry_their_problems(registry, draft, kinds):
    rows = cite_rows(draft, registry)
    assert len(rows) == 1, rows
    assert {w["kind"] for w in rows[0]["warnings"]} == kinds, rows[0]["warnings"]


def test_superseded_names_the_replacing_document(registry):
    (row,) = cite_rows("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003", registry)
    assert "Luật 06/2022/QH15" in row["warnings"][0]["message"]


def test_superseded_follows_the_chain_to_the_text_in_force(registry):
    (row,) = cite_rows("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ", registry)
    (w,) = row["warnings"]
    assert "Nghị định 98/2023/NĐ-CP" in w["message"] and "đang có hiệu lực: Nghị định 152/2025/NĐ-CP" in w["message"]


def test_wrong_date_and_issuer_say_the_right_value(registry):
    (row,) = cite_rows(f"Chỉ thị số 34-CT/TW ngày 07/4/2015 của Ban Bí thư {TITLE_34}", registry)
    # another year and another issuer: no known 34-CT/TW fits, so it is not taken for the 2014 one
    assert [w["kind"] for w in row["warnings"]] == ["unknown"]
    (row,) = cite_rows(f"Chỉ thị số 34-CT/TW ngày 07/4/2015 của Bộ Chính trị {TITLE_34}", registry)
    assert row["warnings"][0]["right"] == "07/4/2014" and row["full_form"].startswith("Chỉ thị số 34-CT/TW ngày 07/4/2014")
    assert "Không có văn bản số 34-CT/TW năm 2015" in row["warnings"][0]["message"]
    (row,) = cite_rows(f"Chỉ thị số 34-CT/TW ngày 07/4/2014 của Ban Bí thư {TITLE_34}", registry)
    assert row["warnings"][0]["right"] == "Bộ Chính trị"


def test_another_years_local_number_is_another_document():
    """Lạng Sơn issues a 200/KH-UBND every year: the 2022 one is not the known 2021 plan with a wrong date."""
    from corpus.models import Document, PartialDate
    reg = Registry.load()
    reg.add_corpus_documents([Document(id="200-kh-ubnd-2021", source_file="x.txt", doc_type="Kế hoạch", symbol="200/KH-UBND",
                                       issuer="Ủy ban nhân dân tỉnh Lạng Sơn", province="Lạng Sơn", date=PartialDate(2021, 10, 9))])
    (row,) = cite_rows("Thực hiện Kế hoạch số 200/KH-UBND ngày 09/10/2022 của UBND tỉnh Lạng Sơn về triển khai", reg)
    assert [w["kind"] for w in row["warnings"]] == ["unknown"]
    (row,) = cite_rows("Thực hiện Kế hoạch số 200/KH-UBND ngày 19/10/2021 của UBND tỉnh Lạng Sơn về triển khai", reg)
    assert [w["kind"] for w in row["warnings"]] == ["date"] and row["warnings"][0]["right"] == "09/10/2021"


def test_only_the_first_mention_must_be_in_full_form(registry):
    rows = cite_rows(f"Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị {TITLE_34}. "
                     "Các đơn vị quán triệt Chỉ thị số 34-CT/TW.", registry)
    assert [r["first_mention"] for r in rows] == [True, False] and all(not r["warnings"] for r in rows)
    rows = cite_rows(f"Quán triệt Chỉ thị số 34-CT/TW. Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị {TITLE_34}.",
                     registry)
    assert [[w["kind"] for w in r["warnings"]] for r in rows] == [["not_full_form"], []]
    full = rows[0]["warnings"][0]
    assert "ngày ban hành, cơ quan ban hành, trích yếu" in full["message"]
    assert full["right"] == "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng"


def test_a_list_sharing_one_type_word_shares_its_issuer_and_title(registry):
    rows = cite_rows("Căn cứ các Nghị định số 30/2020/NĐ-CP ngày 05/3/2020, 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ "
                     "quy định chi tiết", registry)
    assert [r["canonical"] for r in rows] == ["30/2020/NĐ-CP", "152/2025/NĐ-CP"] and all(not r["warnings"] for r in rows)
    rows = cite_rows("Căn cứ các Nghị định số 30/2020/NĐ-CP ngày 05/3/2020, 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ;", registry)
    assert [[w["kind"] for w in r["warnings"]] for r in rows] == [["not_full_form"]] * 2     # no trích yếu


def test_a_units_own_paper_is_not_checkable_not_warned(registry):
    (row,) = cite_rows("Xét Tờ trình số 45/TTr-SNV ngày 02/12/2025 của Sở Nội vụ về việc khen thưởng", registry)
    assert row["checkable"] is False and row["warnings"] == [] and "không kiểm tra được" in row["check_note"]
    (row,) = cite_rows("Căn cứ Nghị định số 777/2031/NĐ-CP", registry)
    assert row["checkable"] is True


def test_the_data_files_examples(registry):
    from corpus.draft_check import rules
    examples = rules().examples
    assert len(examples) >= 3
    for ex in examples:
        rows = cite_rows(ex["draft"], registry)
        assert rows and sorted({w["kind"] for r in rows for w in r["warnings"]}) == sorted(ex["kinds"]), (ex, rows)


def test_cli_prints_the_warnings_as_json():
    tdkt = Path(sys.executable).parent / "tdkt"
    out = subprocess.run([str(tdkt), "cite", "-", "--build-dir", "/nonexistent"], input="Chỉ thị số 34-CT/TW ngày 07/5/2014",
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert row["canonical"] == "34-CT/TW" and row["warnings"][0]["kind"] == "date"
