"""The glossary: the bundled data is sound, abbreviations expand, terms are found in page text,
editing mistakes are caught, and the corpus has no unexplained abbreviation."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus.sources import DOCUMENTS_DIR
from corpus.vntext import match_form
from glossary.gaps import corpus_abbreviation_gaps, corpus_texts
from glossary.load import CATEGORIES, Glossary, GlossaryError, default_glossary
from search_app.cli import main as tdkt


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


def marked(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    """(span as written, term of its entry) for every term found in ``text``."""
    return [(text[m.start:m.end], m.entry.term) for m in glossary.find_terms(text)]


# --- the bundled data -------------------------------------------------------------------------
def test_bundled_glossary_is_large_and_valid(glossary):
    written = [e for e in glossary.entries if e.source == "glossary.yaml"]
    assert len(written) > 100
    assert glossary.validate() == []
    assert {e.category for e in glossary.entries} <= set(CATEGORIES)
    assert len({e.slug for e in glossary.entries}) == len(glossary.entries)


def _section_exists_in_raw_law(symbol: str, label: str) -> bool:
    """Independent of the parser: the linked document's file opens a line with "Điều N."."""
    files = {"06/2022/QH15": "extra/06_2022_QH15.txt", "3621/QĐ-BYT": "extra/3621_QĐ-BYT.txt",
             "83/2025/NQ-HĐND": "extra/83_2025_NQ-HĐND.txt",
             "21/2018/TT-BTNMT": "extra/phapdien_29_1/21_2018_TT-BTNMT.txt",
             "152/2025/NĐ-CP": "extra/152_2025_NĐ-CP.txt", "91/2017/NĐ-CP": "extra/91_2017_NĐ-CP.txt"}
    text = (DOCUMENTS_DIR / files[symbol]).read_text(encoding="utf-8")
    return re.search(rf"^{re.escape(label)}\.", text, re.MULTILINE) is not None


def test_every_link_names_a_real_article(glossary):
    links = [(e.term, k) for e in glossary.entries for k in e.links]
    assert len(links) > 80
    missing = [(term, k) for term, k in links if not _section_exists_in_raw_law(k.symbol, k.label)]
    assert missing == []


@pytest.mark.parametrize("term", [e.term for e in Glossary.load().entries if e.examples])
def test_each_example_is_found_by_find_terms(glossary, term):
    entry = next(e for e in glossary.entries if e.term == term)
    for example in entry.examples:
        assert any(m.entry is entry for m in glossary.find_terms(example)), example


def test_every_corpus_sentence_example_is_real(glossary):
    """Examples of the glossary file are quoted from the corpus, not invented."""
    corpus = match_form(" ".join(" ".join(t.split()) for t in corpus_texts()))
    invented = [x for e in glossary.entries if e.source == "glossary.yaml" for x in e.examples
                if match_form(" ".join(x.split())) not in corpus]
    assert invented == []


@pytest.mark.parametrize("term, link", [
    ("Chiến sĩ thi đua cơ sở", "Điều 23"),
    ("Lao động tiên tiến", "Điều 24"),
    ("Cờ thi đua của Chính phủ", "Điều 25"),
    ("Tập thể lao động xuất sắc", "Điều 27"),
    ("Huân chương Sao vàng", "Điều 34"),
    ("Bà mẹ Việt Nam anh hùng", "Điều 61"),
    ("Bằng khen của Thủ tướng Chính phủ", "Điều 73"),
    ("Giấy khen", "Điều 75"),
    ("Khen thưởng theo thủ tục đơn giản", "Điều 85"),
    ("Hội đồng Thi đua - Khen thưởng", "Điều 90"),
])
def test_award_titles_link_to_their_article_of_the_law(glossary, term, link):
    entry = glossary.get(next(e.slug for e in glossary.entries if e.term == term))
    assert ("06/2022/QH15", link) in [(k.symbol, k.label) for k in entry.links]
    assert entry.definition


# --- query expansion --------------------------------------------------------------------------
@pytest.mark.parametrize("query, expected", [
    ("CSTĐ cấp tỉnh", "chiến sĩ thi đua"),
    ("CSTĐ cấp tỉnh", "chiến sĩ thi đua bộ, ban, ngành, tỉnh"),   # the variant the expansion reveals
    ("Chiến sĩ thi đua co so", "chiến sĩ thi đua cơ sở"),          # longest name wins, accents or not
    ("cstd cap tinh", "chiến sĩ thi đua"),
    ("TĐKT", "thi đua, khen thưởng"),
    ("tdkt", "thi đua, khen thưởng"),
    ("UBND tỉnh Lạng Sơn", "ủy ban nhân dân"),
    ("ubnd", "ủy ban nhân dân"),
    ("LĐTT năm 2024", "lao động tiên tiến"),
    ("ldtt", "lao động tiên tiến"),
    ("CSTĐCS", "chiến sĩ thi đua cơ sở"),
    ("HĐND tỉnh", "hội đồng nhân dân"),
    ("Chỉ thị 19/CT-TTg", "thủ tướng chính phủ"),
    ("Nghị định 91/2017/NĐ-CP", "chính phủ"),
    ("hồ sơ HĐTĐKT", "hội đồng thi đua - khen thưởng"),
    ("Bằng khen của Chủ tịch UBND tỉnh", "bằng khen của bộ, ban, ngành, tỉnh"),
    ("chien si thi dua co so", "chiến sĩ thi đua cơ sở"),
    ("Chiến sỹ thi đua cơ sở", None),          # spelling not in the glossary: nothing invented
])
def test_expand_query(glossary, query, expected):
    expanded = glossary.expand_query(query)
    if expected is None:
        assert "chiến sĩ thi đua cơ sở" not in expanded
    else:
        assert expected in expanded


@pytest.mark.parametrize("query", [
    "Chiến sĩ thi đua cơ sở",      # already written in full
    "tu sửa trụ sở",               # "tu" is a word, not Tỉnh ủy (TU) when not in capitals
    "đa dạng hình thức",           # "đa" is not Đề án (ĐA)
    "",
])
def test_expand_query_adds_nothing(glossary, query):
    assert glossary.expand_query(query) == []


# --- finding terms in page text ---------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Danh hiệu “Chiến sĩ thi đua cơ sở” để tặng cho cá nhân",
     [("Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cơ sở")]),
    # longest first: the full title, not "Huân chương" inside it
    ("“Huân chương Lao động” hạng Nhất", [("Huân chương Lao động", "Huân chương Lao động")]),
    # tone placement and case do not matter; the span is the original spelling
    ("KHEN THƯỞNG THEO THỦ TỤC ĐƠN GIẢN", [("KHEN THƯỞNG THEO THỦ TỤC ĐƠN GIẢN", "Khen thưởng theo thủ tục đơn giản")]),
    ("Gia đình văn hoá", [("Gia đình văn hoá", "Gia đình văn hóa")]),
    ("Chương trình số 1169/CTr-UBND", [("Chương trình", "Chương trình"), ("CTr", "Chương trình"), ("UBND", "Ủy ban nhân dân")]),
    ("Chỉ thị số 34-CT/TW", [("Chỉ thị", "Chỉ thị"), ("CT", "Chỉ thị"), ("TW", "Ban Chấp hành Trung ương Đảng")]),
    ("Luật số 06/2022/QH15", [("Luật", "Luật"), ("QH", "Quốc hội")]),
    ("- Ban TĐKT Trung ương;", [("Ban TĐKT Trung ương", "Ban Thi đua - Khen thưởng Trung ương")]),
    ("- TT. Tỉnh ủy; TT. HĐND tỉnh (b/c);", [("TT. Tỉnh ủy", "Thường trực Tỉnh ủy"), ("TT", "Thông tư"), ("HĐND", "Hội đồng nhân dân")]),
])
def test_find_terms(glossary, text, expected):
    assert marked(glossary, text) == expected


@pytest.mark.parametrize("text, not_marked", [
    ("TWO WAYS", "TW"),                    # whole words only
    ("23-CTr/TU", "CT"),                   # CT is not found inside CTr
    ("tu sửa, đa dạng", "TU"),             # ordinary words, not the codes TU, ĐA
    ("tu sửa, đa dạng", "ĐA"),
    ("thi đua. Khen thưởng", "Thi đua, khen thưởng"),   # a term does not run across sentences
    ("phát triển của thành phố", "Thành phố"),         # everyday words are marked only as codes
    ("theo quy định tại khoản 1", "Quy định"),          # a verb, not the document type
    ("người có thẩm quyền quyết định tặng", "Quyết định"),
    ("chính sách, pháp luật của Nhà nước", "Luật"),      # "luật" inside "pháp luật"
    ("phapdien.moj.gov.vn", "VN"),                      # codes on pages are written in capitals
    ("Phu luc_Quy che kem theo Thong tu so 18_2016_TT_BGDDT.pdf", "PDF"),
])
def test_find_terms_word_boundaries(glossary, text, not_marked):
    spans = marked(glossary, text)
    assert not any(match_form(s) == match_form(not_marked) or t == not_marked for s, t in spans), spans


def test_find_terms_spans_point_into_the_original(glossary):
    text = "Thực hiện Chỉ thị số 19/CT-TTg của Thủ tướng Chính phủ; HĐTĐKT tỉnh họp."
    for m in glossary.find_terms(text):
        assert text[m.start:m.end].strip() == text[m.start:m.end]
    assert [text[m.start:m.end] for m in glossary.find_terms(text)] == [
        "Chỉ thị", "CT", "TTg", "Thủ tướng Chính phủ", "HĐTĐKT"]


def test_search_filters_by_category_and_text(glossary):
    titles = glossary.search("", category="danh hiệu thi đua")
    assert {e.category for e in titles} == {"danh hiệu thi đua"}
    assert glossary.search("cstd")[0].term == "Chiến sĩ thi đua"
    assert glossary.search("huan chuong lao dong")[0].term == "Huân chương Lao động"


# --- validation of an edited file -------------------------------------------------------------
GOOD = """
- term: Giấy khen
  category: hình thức khen thưởng
  definition: Hình thức khen thưởng của thủ trưởng đơn vị.
  links: [{symbol: "06/2022/QH15", label: "Điều 75"}]
"""


def _load(tmp_path: Path, text: str) -> Glossary:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return Glossary.load(path)


def test_a_small_good_file_is_valid(tmp_path):
    g = _load(tmp_path, GOOD)
    assert [e.term for e in g.entries] == ["Giấy khen"]   # no generated entries for another file
    assert g.validate(lambda symbol, label: label == "Điều 75") == []


@pytest.mark.parametrize("extra, message", [
    ("- {term: Giấy khen, category: chung, definition: lần hai}", "duplicate term"),
    ("- {term: GIAY KHEN, category: chung, definition: lần hai}", "duplicate term"),   # same slug
    ("- {term: Giấy khen, category: chung, definition: x}".replace("Giấy khen", "Giâý khen"), "duplicate term"),
    ("- {term: Bằng khen, category: hình thức khen thưởng, definition: ''}", "empty definition"),
    ("- {term: Bằng khen, category: khen, definition: x}", "unknown category"),
    ("- {term: Bằng khen, category: chung, definition: x, links: [{symbol: 06/2022/QH15, label: Điều 999}]}",
     "link to a missing section: 06/2022/QH15 Điều 999"),
    ("- {term: Bằng khen, category: chung, definition: x, examples: [Giấy khen của Giám đốc]}",
     "example does not name the term"),
])
def test_validate_catches_editing_mistakes(tmp_path, extra, message):
    g = _load(tmp_path, GOOD + extra + "\n")
    errors = g.validate(lambda symbol, label: label in {"Điều 75", "Điều 72"})
    assert len(errors) == 1 and message in errors[0], errors
    assert "glossary.yaml:" in errors[0]          # names the file and line of the entry


@pytest.mark.parametrize("text, message", [
    ("- term: Giấy khen\n  definition: [unclosed\n", "glossary.yaml:"),
    ("term: Giấy khen\n", "must be a list"),
    ("- term: Giấy khen\n  defintion: typo\n", "unknown field(s) defintion"),
    ("- definition: no term\n", "without a “term”"),
    ("- term: Giấy khen\n  examples: [a]\n  examples: [b]\n", "given twice"),
    ("- term: Giấy khen\n  links: [06/2022/QH15 Điều 75]\n", "a link must be"),
])
def test_load_rejects_malformed_files_naming_file_and_line(tmp_path, text, message):
    with pytest.raises(GlossaryError) as err:
        _load(tmp_path, text)
    assert message in str(err.value) and "glossary.yaml" in str(err.value)


# --- gaps -------------------------------------------------------------------------------------
SMALL_TEXT = """KẾ HOẠCH
Triển khai phong trào thi đua

I. MỤC ĐÍCH, YÊU CẦU
Căn cứ Chỉ thị số 19/CT-TTg; Kế hoạch số 23-KH/XYZ của ABCD tỉnh; phát triển KT-XH; TĐKT năm 2024.
II. NỘI DUNG — XIII, XVII; Đại hội lần thứ XIII; ĐƠN VỊ / CQĐD TẠI...
"""


def test_gaps_over_a_small_text(glossary):
    gaps = {tok: (n, ex) for tok, n, ex in corpus_abbreviation_gaps([SMALL_TEXT], glossary)}
    assert set(gaps) == {"XYZ", "ABCD"}
    assert "ABCD" in gaps["ABCD"][1]                     # the example shows where it is used
    for known in ("TĐKT", "CT", "TTg", "KH", "KT-XH", "KT", "XH"):             # explained codes are not listed
        assert known not in gaps
    for heading in ("KẾ", "HOẠCH", "MỤC", "ĐÍCH", "NỘI", "DUNG", "ĐƠN", "VỊ", "TẠI"):
        assert heading not in gaps
    for roman in ("I", "II", "XIII", "XVII"):
        assert roman not in gaps


# Left unexplained on purpose: not abbreviations of the domain, or no reliable meaning.
ALLOWED_GAPS = {
    "DAIKOOH": "GitHub account name in the provenance note of the codified texts",
    "HONORARY": "English inscription on the Hanoi honorary citizen medal",
    "CITIZEN": "same inscription", "OF": "same inscription", "HANOI": "same inscription",
    "ASIAN": "English word of “ASIAN Para Games” (explained as a whole)",
    "NTB": "a drafter's initials in a “Lưu:” line",
    "MX": "an unnamed office unit in a “Lưu:” line (meaning not stated anywhere)",
    "NC": "“P.NC” in a recipient list: a department whose name is not given",
    "CM": "OCR damage: “Hồ CM Minh” for “Hồ Chí Minh”",
    "TC": "old symbol 713/TC (1995) of the Ministry of Justice; the unit is not named",
    "TRUNGƯƠNG": "source defect of 152/2025/NĐ-CP (“TRUNG ƯƠNG” lost its space); cleaning repairs it on display",
}


def test_the_corpus_has_no_unexplained_abbreviation(glossary):
    gaps = corpus_abbreviation_gaps(corpus_texts(), glossary)
    unexplained = {tok for tok, _, _ in gaps} - set(ALLOWED_GAPS)
    assert unexplained == set(), gaps


def test_cli_glossary_check_and_gaps(tmp_path, capsys):
    assert tdkt(["glossary", "check"]) == 0
    (tmp_path / "doc.txt").write_text("Theo Kế hoạch số 5/KH-QWZ của UBND tỉnh.", encoding="utf-8")
    assert tdkt(["glossary", "gaps", "--corpus-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "QWZ\t1\t" in out and "UBND\t" not in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD + "- {term: Giấy khen, category: chung, definition: x}\n", encoding="utf-8")
    assert tdkt(["glossary", "--file", str(bad), "check"]) == 1
    assert "duplicate term" in capsys.readouterr().out
    assert tdkt(["glossary", "gaps", "--corpus-dir", str(tmp_path / "missing")]) == 2


# --- end to end: search expands abbreviations through the glossary -----------------------------
PASSAGES = [  # (id, heading, body) — sentences of the corpus
    ("qd-3621#a", "Điều 5. Thành phần Hội đồng",
     "Nhà giáo Ưu tú” hoặc giáo viên, giảng viên dạy giỏi hoặc Chiến sĩ thi đua cơ sở, Chiến sĩ thi đua cấp tỉnh, bộ."),
    ("kh-200#b", "2. Khen thưởng",
     "Xét tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho cá nhân hoàn thành tốt nhiệm vụ cấp tỉnh giao."),
    ("kh-157#c", "3. Tổ chức thực hiện",
     "Sở Nội vụ cấp tỉnh tham mưu tổ chức phong trào thi đua yêu nước trên địa bàn."),
]


def test_search_finds_a_passage_through_an_abbreviation(tmp_path, glossary):
    search = pytest.importorskip("indexer.search")
    from indexer.engines.whoosh_engine import WhooshLexicalIndex
    from indexer.passages import Passage, finish

    passages = [finish(Passage(id=pid, doc_id=pid.split("#")[0], section_id=pid.split("#")[1], heading=h, body=b))
                for pid, h, b in PASSAGES]
    WhooshLexicalIndex.build(tmp_path / "lex", passages)
    searcher = search.Searcher(passages, WhooshLexicalIndex.open(tmp_path / "lex"), glossary=glossary)
    hits = searcher.search("CSTĐ cấp tỉnh", mode="lexical").results
    assert hits and hits[0].passage.id == "qd-3621#a"
    assert "CSTĐ" not in hits[0].passage.body          # found only through the expansion
    plain = search.Searcher(passages, WhooshLexicalIndex.open(tmp_path / "lex"), glossary=None)
    assert plain.search("CSTĐ cấp tỉnh", mode="lexical").results[0].passage.id != "qd-3621#a"


# --- whatever a user types or a page holds, matching never fails -------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

_PIECES = st.sampled_from(["CSTĐ", "cstd", "TT.", " Tỉnh ủy", "CTr", "/", "-", " ", "\n", "Chiến sĩ thi đua",
                           " cơ sở", "Hoà", "ĐA", "đa", "x̃", "\u0301", "QH15", "…", "“", "KT-XH", "&", "."])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=12).map("".join))
def test_matching_never_fails_and_spans_are_ordered(text):
    g = default_glossary()
    matches = g.find_terms(text)
    ends = 0
    for m in matches:
        assert ends <= m.start < m.end <= len(text)
        ends = m.end
    assert isinstance(g.expand_query(text), list)
