"""Applicability in ranking, on the real bundled corpus: a general question is answered from the
national texts in force first; a named sector's texts come first; a superseded text ranks below its
replacement; the context's date decides what is in force."""
import pytest

from corpus.sectors import sector_named, sector_of_symbol, sectors
from indexer.applicability import Context, tier_of
from indexer.passages import Passage

NATIONAL_IN_FORCE = {"06/2022/QH15", "152/2025/NĐ-CP"}


def first(kb, query, context=None, n=1):
    r = kb.searcher.search(query, limit=max(n, 10), mode="lexical", context=context)
    return r.results[:n], r


# The questions a new officer tried (issue 11): each got a ministry circular or a superseded text first.
@pytest.mark.parametrize("query", [
    "thành phần hồ sơ đề nghị khen thưởng",
    "thẩm quyền quyết định tặng giấy khen",
    "quyền và nghĩa vụ của cá nhân được khen thưởng",
    "thời hạn gửi hồ sơ đề nghị khen thưởng",
    "tieu chuan chien si thi dua co so",
    "hội đồng thi đua khen thưởng cấp tỉnh",
    "mức tiền thưởng danh hiệu thi đua",
])
def test_a_general_question_is_answered_from_the_national_texts_in_force(bundled_kb, query):
    (top,), r = first(bundled_kb, query)
    assert top.passage.symbol in NATIONAL_IN_FORCE, (query, top.passage.symbol, top.passage.label)
    assert top.state == "in_force"


@pytest.mark.parametrize("query, symbol", [
    ("quyền và nghĩa vụ của cá nhân được khen thưởng", "15/2003/QH11"),
    ("mức tiền thưởng danh hiệu thi đua", "91/2017/NĐ-CP"),
    ("hội đồng thi đua khen thưởng cấp tỉnh", "91/2017/NĐ-CP"),
])
def test_a_superseded_text_ranks_below_its_replacement(bundled_kb, query, symbol):
    results, _ = first(bundled_kb, query, n=10)
    symbols = [x.passage.symbol for x in results]
    best_national = min(i for i, s in enumerate(symbols) if s in NATIONAL_IN_FORCE)
    old = [i for i, s in enumerate(symbols) if s == symbol]
    assert all(i > best_national for i in old), symbols
    assert all(results[i].state in ("superseded", "expired") for i in old)


@pytest.mark.parametrize("query, symbol", [
    ("Kỷ niệm chương Vì sự nghiệp Tư pháp là gì", "06/2018/TT-BTP"),
])
def test_the_named_sectors_text_comes_first(bundled_kb, query, symbol):
    (top,), r = first(bundled_kb, query)
    assert top.passage.symbol == symbol and r.sector == "Tư pháp"


def test_the_named_sector_on_its_date_comes_first(bundled_kb):
    # the Kiểm sát circular of 2019 answered in 2021; after 01/01/2024 the law it guides had ended
    query = "đối tượng không được xét lao động tiên tiến trong ngành kiểm sát"
    (top,), _ = first(bundled_kb, query, Context.make(as_of="2021-06-01"))
    assert top.passage.symbol == "01/2019/TT-VKSTC"
    (today,), _ = first(bundled_kb, query)
    assert today.passage.symbol in NATIONAL_IN_FORCE


def test_the_sector_chosen_in_the_context_counts_like_a_named_one(bundled_kb):
    def tu_phap(results):
        return sum(1 for x in results if (s := sector_of_symbol(x.passage.symbol)) and s.key == "tu-phap")

    plain, _ = first(bundled_kb, "Kỷ niệm chương", n=5)
    chosen, r = first(bundled_kb, "Kỷ niệm chương", Context.make(sector="tu-phap"), n=5)
    assert r.sector == "Tư pháp"
    assert tu_phap(plain) == 0 and tu_phap(chosen) >= 3


def test_the_asker_s_province_rules_come_before_other_provinces(bundled_kb):
    query = "thời gian đề nghị khen thưởng tổng kết năm"
    results, _ = first(bundled_kb, query, Context.make(province="Bắc Ninh"), n=10)
    provinces = [x.passage.province for x in results if x.passage.province]
    assert provinces and provinces[0] == "Bắc Ninh"


def test_in_force_only_on_a_date(bundled_kb):
    then = Context.make(as_of="2022-06-01", in_force_only=True)
    results, _ = first(bundled_kb, "mức tiền thưởng danh hiệu thi đua", then, n=10)
    symbols = {x.passage.symbol for x in results}
    assert "152/2025/NĐ-CP" not in symbols and "06/2022/QH15" not in symbols   # not yet in force in 2022
    assert "91/2017/NĐ-CP" in symbols
    now, _ = first(bundled_kb, "mức tiền thưởng danh hiệu thi đua", Context.make(in_force_only=True), n=10)
    assert all(x.state not in ("superseded", "expired", "not_yet_in_force") for x in now)


@pytest.mark.parametrize("symbol, doc_type, province, tier", [
    ("06/2022/QH15", "Luật", None, "law"),
    ("16/VBHN-VPQH", "Văn bản hợp nhất", None, "law"),
    ("152/2025/NĐ-CP", "Nghị định", None, "decree"),
    ("19/CT-TTg", "Chỉ thị", None, "government"),
    ("34-CT/TW", "Chỉ thị", None, "government"),
    ("12/2019/TT-BNV", "Thông tư", None, "bnv"),
    ("05/2018/TT-BTP", "Thông tư", None, "sector"),
    ("35/2012/TTLT-BQP-BNV", "Thông tư liên tịch", None, "sector"),
    ("86/2025/QĐ-UBND", "Quyết định", "Bắc Ninh", "other_province"),
])
def test_tiers(symbol, doc_type, province, tier):
    assert tier_of(Passage(id="x#", doc_id="x", section_id="", symbol=symbol, doc_type=doc_type, province=province)) == tier


def test_every_sector_example_names_its_sector():
    for s in sectors():
        for example in s.examples:
            got = sector_named(example)
            assert got is not None and got.key == s.key, (s.key, example)


@pytest.mark.parametrize("text", [
    "tiêu chuẩn chiến sĩ thi đua cơ sở", "hồ sơ đề nghị khen thưởng", "Bằng khen của Thủ tướng Chính phủ",
    "huân chương lao động hạng ba", "nha giao uu tu", "danh hiệu lao động tiên tiến",
])
def test_a_general_question_names_no_sector(text):
    assert sector_named(text) is None


def test_one_answer_not_copies_the_same_article_in_several_texts_is_one_result(bundled_kb):
    # Điều 51 of NĐ 152/2025 repeats Điều 70 of NĐ 91/2017 (and its pháp điển copy) nearly word for word
    results, _ = first(bundled_kb, "mức tiền thưởng huân chương các loại", n=10)
    symbols = [x.passage.symbol for x in results]
    top = next(x for x in results if x.passage.symbol == "152/2025/NĐ-CP" and x.passage.label == "Điều 51")
    assert {o.symbol for o in top.same} == {"91/2017/NĐ-CP"} and len(top.same) >= 1
    assert all(not (x.passage.symbol == "91/2017/NĐ-CP" and x.passage.label == "Điều 70") for x in results)
    assert len(symbols) == len(results)
    ids = [x.passage.id for x in results] + [o.id for x in results for o in x.same]
    assert len(ids) == len(set(ids))      # every passage shown once, as a result or inside one
