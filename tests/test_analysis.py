"""Vietnamese analysis for the lexical index: words, syllables, protected document numbers, folded
and tone-normalised forms. Tables of real strings from the corpus."""
import pytest

from indexer.analysis import DOC_NUMBER, number_key, segment, terms


@pytest.mark.parametrize("text, must_have", [
    # multi-syllable words are words (and their syllables are kept for recall)
    ("công tác thi đua, khen thưởng", ["thi_đua", "khen_thưởng", "thi", "đua", "khen", "thưởng"]),
    ("tiêu chuẩn Chiến sĩ thi đua cơ sở", ["tiêu_chuẩn", "chiến_sĩ", "cơ_sở"]),
    # document numbers stay whole (and give their number and year)
    ("theo Nghị định số 98/2023/NĐ-CP của Chính phủ", ["98/2023/nđ-cp", "98", "2023"]),
    ("Chỉ thị số 34-CT/TW ngày 07/4/2014", ["34-ct/tw", "34"]),
    ("thực hiện Chỉ thị số 19/CT-TTg của Thủ tướng", ["19/ct-ttg", "19"]),
    ("Luật Thi đua, khen thưởng số 06/2022/QH15", ["06/2022/qh15", "06", "2022"]),
    ("Quyết định số: 1657 /QĐ-UBND ngày 19/8/2021", ["1657/qđ-ubnd", "1657"]),
    ("Văn bản hợp nhất 16/VBHN-VPQH", ["16/vbhn-vpqh"]),
])
def test_accented_terms(text, must_have):
    got = terms(text, folded=False)
    for t in must_have:
        assert t in got, (t, got)


def test_document_number_is_never_split_into_noise():
    got = terms("Nghị định 98/2023/NĐ-CP", folded=False)
    assert "nđ" not in got and "cp" not in got and "/" not in got


def test_year_of_symbol_is_a_part_but_not_the_legislature_number():
    # "QH15" is the legislature, not a number anyone searches for
    assert "15" not in terms("06/2022/QH15", folded=False)


@pytest.mark.parametrize("typed, written", [
    ("tieu chuan chien si thi dua", "tiêu chuẩn chiến sĩ thi đua"),
    ("ho so de nghi khen thuong", "hồ sơ đề nghị khen thưởng"),
    ("nd 98/2023/nd-cp", "NĐ 98/2023/NĐ-CP"),
])
def test_folded_forms_meet(typed, written):
    assert set(terms(typed, folded=True)) <= set(terms(written, folded=True))


@pytest.mark.parametrize("a, b", [
    ("hoà bình", "hòa bình"),       # tone-mark placement
    ("thuỷ lợi", "thủy lợi"),
    ("Chiến sỹ thi đua", "Chiến sĩ thi đua"),   # y/i spelling of a lone-vowel syllable
    ("kỹ thuật", "kĩ thuật"),
    ("Hòa", "hoà"),                  # case
])
def test_spelling_variants_give_the_same_terms(a, b):
    assert terms(a, folded=False) == terms(b, folded=False)


def test_hard_wrapped_lines_are_rejoined_before_segmenting():
    # seed 003 wraps "Kế\nhoạch" across lines
    assert "kế_hoạch" in terms("năm 2016 và Kế\nhoạch 05 năm", folded=False)


@pytest.mark.parametrize("text, found", [
    ("số 91/2017/NĐ-CP ngày", ["91/2017/NĐ-CP"]),
    ("Chỉ thị 34-CT/TW, Kế hoạch 200/KH-UBND", ["34-CT/TW", "200/KH-UBND"]),
    ("ngày 09/10/2021", []),           # a date is not a document number
    ("lần thứ XIII", []),
])
def test_doc_number_pattern(text, found):
    assert [m.group(0) for m in DOC_NUMBER.finditer(text)] == found


def test_number_key_normalises_spacing_and_case():
    assert number_key("1657 /QĐ-UBND") == number_key("1657/qđ-ubnd") == "1657/qd-ubnd"


def test_empty_and_junk_text():
    assert terms("", folded=False) == []
    assert terms("\x00\x01 \t\n", folded=True) == []
    assert segment("   ") == ()
