"""Citation extraction: one row per real form met in the corpus, and the things that are not citations."""
import pytest

from corpus.citations import CiteContext, extract_citations, extract_document_citations
from corpus.models import Document, Footnote, PartialDate, Section
from corpus.vocab import doc_types

# (text, span text, canonical, type, date, relation) — forms taken from the corpus texts.
FORMS = [
    ("Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới",
     "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị", "34-CT/TW", "Chỉ thị", "2014-04-07", "implements"),
    ("thực hiện có hiệu quả Chỉ thị 19/CT-TTg của Thủ tướng Chính phủ.",
     "Chỉ thị 19/CT-TTg của Thủ tướng Chính phủ", "19/CT-TTg", "Chỉ thị", None, "implements"),
    ("Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ quy định chi tiết",
     "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ", "91/2017/NĐ-CP", "Nghị định", "2017-07-31", "basis"),
    ("(Ban hành kèm theo Quyết định số: 1657 /QĐ-UBND\nngày 19/8/2021 của UBND tỉnh Lạng Sơn)",
     "Quyết định số: 1657 /QĐ-UBND\nngày 19/8/2021 của UBND tỉnh Lạng Sơn", "1657/QĐ-UBND", "Quyết định", "2021-08-19", "attached_to"),
    ("Chỉ thị số 34- CT/TW ngày 07 tháng 4 năm 2014 của Bộ\nChính trị về việc",
     "Chỉ thị số 34- CT/TW ngày 07 tháng 4 năm 2014 của Bộ\nChính trị", "34-CT/TW", "Chỉ thị", "2014-04-07", "mentions"),
    ("Thực hiện Chỉ thị số\n18/CT-TTg ngày 19/5/2016 của Thủ tướng Chính phủ về việc",
     "Chỉ thị số\n18/CT-TTg ngày 19/5/2016 của Thủ tướng Chính phủ", "18/CT-TTg", "Chỉ thị", "2016-05-19", "implements"),
    ("hiệu quả Chi thị số 02/CT-UBND ngày 04/01/2018 của Chủ tịch UBND tỉnh về tăng cường",
     "Chi thị số 02/CT-UBND ngày 04/01/2018 của Chủ tịch UBND tỉnh", "02/CT-UBND", "Chỉ thị", "2018-01-04", "mentions"),
    ("theo Nghi quyết số 49-\n\nNQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh uỷ về chuyển đổi số",
     "Nghi quyết số 49-\n\nNQ/TU ngày 28/9/2021 của Ban Thường vụ Tỉnh uỷ", "49-NQ/TU", "Nghị quyết", "2021-09-28", "mentions"),
    ("Thực hiện Chỉ thị số\n725/CT-TTg ngày 17 tháng 5 năm 2011 của Thủ tướng Chính phủ",
     "Chỉ thị số\n725/CT-TTg ngày 17 tháng 5 năm 2011 của Thủ tướng Chính phủ", "725/CT-TTg", "Chỉ thị", "2011-05-17", "implements"),
    ("Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003 và",
     "Luật Thi đua, Khen thưởng ngày 26/11/2003", "15/2003/QH11", "Luật", "2003-11-26", "basis"),
    ("và Luật sửa đổi, bổ sung một số điều của Luật Thi đua, Khen thưởng ngày 14/6/2005 và các văn bản",
     "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, Khen thưởng ngày 14/6/2005", "47/2005/QH11", "Luật", "2005-06-14", "mentions"),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
     "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "06/2022/QH15", "Luật", "2022-06-15", "basis"),
    ("Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013",
     "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013", "39/2013/QH13", "Luật", "2013-11-16", "mentions"),
    ("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
     "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022", "06/2022/QH15", "Luật", "2022-06-15", "basis"),
    ("Thực hiện QĐ 1493/QĐ-TTg của Thủ tướng", "QĐ 1493/QĐ-TTg của Thủ tướng", "1493/QĐ-TTg", "Quyết định", None, "implements"),
    ("Báo cáo thành tích theo NĐ 98/2023.", "NĐ 98/2023", "98/2023/NĐ-CP", "Nghị định", None, "mentions"),
    ("Nghị quyết số 66.25/2026/NQ-CP của Chính phủ", "Nghị quyết số 66.25/2026/NQ-CP của Chính phủ", "66.25/2026/NQ-CP", "Nghị quyết", None, "mentions"),
    ("V/v triển khai Công văn số 1419/VKS-VP ngày 26/10/2021", "Công văn số 1419/VKS-VP ngày 26/10/2021", "1419/VKS-VP", "Công văn", "2021-10-26", "implements"),
    ("theo Kế hoạch số 259/KH/TU ngày 15/7/2024 của Tỉnh ủy thực hiện",
     "Kế hoạch số 259/KH/TU ngày 15/7/2024 của Tỉnh ủy", "259-KH/TU", "Kế hoạch", "2024-07-15", "mentions"),
    ("các Chương trình hành động số 23-CTr/TU, ngày 27/8/2021 của Ban Chấp hành Đảng bộ tỉnh thực hiện",
     "Chương trình hành động số 23-CTr/TU, ngày 27/8/2021 của Ban Chấp hành Đảng bộ tỉnh", "23-CTr/TU", "Chương trình", "2021-08-27", "mentions"),
    ("Quyết định số 28/2020/QĐ-UBND ngày 03/6/2020 bãi bỏ Quyết định số 45/2016/QĐ-UBND ngày 19/9/2016 về việc",
     "Quyết định số 45/2016/QĐ-UBND ngày 19/9/2016", "45/2016/QĐ-UBND", "Quyết định", "2016-09-19", "repeals"),
    ("Thông tư này thay thế Thông tư số 08/2017/TT-BNV ngày 27 tháng 10 năm 2017 của Bộ trưởng Bộ Nội vụ",
     "Thông tư số 08/2017/TT-BNV ngày 27 tháng 10 năm 2017 của Bộ trưởng Bộ Nội vụ", "08/2017/TT-BNV", "Thông tư", "2017-10-27", "replaces"),
    ("quy định chi tiết thi hành một số điều của Nghị định số 91/2017/NĐ-CP ngày 31/7/2017",
     "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017", "91/2017/NĐ-CP", "Nghị định", "2017-07-31", "guides"),
    # typed without diacritics, as officers often do in a search box
    ("Can cu Luat Thi dua, khen thuong ngay 15/6/2022;", "Luat Thi dua, khen thuong ngay 15/6/2022", "06/2022/QH15", "Luật", "2022-06-15", "basis"),
    ("thuc hien Chi thi so 34-CT/TW ngay 07/4/2014 cua Bo Chinh tri", "Chi thi so 34-CT/TW ngay 07/4/2014 cua Bo Chinh tri",
     "34-CT/TW", "Chỉ thị", "2014-04-07", "implements"),
    ("Quyết định số 29/2020/QĐ-UBND sửa đổi, bổ sung một số điều của Quyết định số 57/2018/QĐ-UBND ngày 23/10/2018",
     "Quyết định số 57/2018/QĐ-UBND ngày 23/10/2018", "57/2018/QĐ-UBND", "Quyết định", "2018-10-23", "amends"),
]


@pytest.mark.parametrize("text,span,canonical,doc_type,date,relation", FORMS, ids=[f[2] for f in FORMS])
def test_form(text, span, canonical, doc_type, date, relation):
    hits = [c for c in extract_citations(text) if c.canonical == canonical]
    assert len(hits) == 1, [c.text for c in extract_citations(text)]
    c = hits[0]
    assert text[c.start:c.end] == c.text == span
    assert (c.doc_type, c.date, c.relation) == (doc_type, date, relation)


@pytest.mark.parametrize("text,canonical,symbol", [
    ("TRIỂN KHAI CHỈ THỊ SỐ 19/CT-TTG CỦA THỦ TƯỚNG", "19/CT-TTg", "19/CT-TTG"),   # a title in capitals
    ("Kế hoạch số 12/Kh-UBND ngày 24/01/2013", "12/KH-UBND", "12/Kh-UBND"),
    ("Chương trình số 1169/Ctr-UBND", "1169/CTr-UBND", "1169/Ctr-UBND"),
    ("Luật số 06/2022/qh15", None, None),
    ("theo 38-TT/TW ngày 25 tháng 10 năm 1984 của Ban Bí thư", "38-TT/TW", "38-TT/TW"),          # a code must start with a capital: not a symbol
    ("Quyết định số: 1657 /QĐ-UBND", "1657/QĐ-UBND", "1657/QĐ-UBND"),
])
def test_canonical_uses_the_official_case_and_symbol_keeps_the_writing(text, canonical, symbol):
    found = extract_citations(text)
    assert [(c.canonical, c.symbol) for c in found] == ([(canonical, symbol)] if canonical else [])


@pytest.mark.parametrize("text,issuer", [
    ("Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục", "Bộ Chính trị"),
    ("Kế hoạch số 200/KH-UBND ngày 09/10/2021 của Ủy ban nhân dân tỉnh Lạng Sơn về việc", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    ("Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ về việc", "Thủ tướng Chính phủ"),
    ("Hướng dẫn số 16/HĐ-HDTHĐKT ngày 31/8/2021 của Hội đồng Thi đua - Khen thưởng Trung ương thực hiện", "Hội đồng Thi đua - Khen thưởng Trung ương"),
    ("Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị (khóa XII) để", "Bộ Chính trị"),
    ("Thông tư số 12/2019/TT-BNV ngày 04/11/2019 của Bộ trưởng Bộ Nội vụ quy định", "Bộ trưởng Bộ Nội vụ"),
    ("Chỉ thị số 05-CT/TW ngày\n15/5/2011 cùa Bộ Chính trị. Chủ động", "Bộ Chính trị"),
    # a known body's name holds a comma and "và"; a title in capitals or "ban hành" ends the issuer
    ("Thông tư số 07/2019/TT-BVHTTDL ngày 02/8/2019 của Bộ Văn hoá, Thể thao và Du lịch quy định", "Bộ Văn hoá, Thể thao và Du lịch"),
    ("Nghị định số 13/2012/NĐ-CP ngày 02/3/2012 của Chính phủ ban hành Điều lệ sáng kiến", "Chính phủ"),
    ("NGHỊ ĐỊNH SỐ 91/2017/NĐ-CP NGÀY 31/7/2017 CỦA CHÍNH PHỦ QUY ĐỊNH CHI TIẾT", "CHÍNH PHỦ"),
    ("Quyết định số 13/2024/QĐ-UBND ngày 31 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh Bắc Ninh ban hành Quy định", "Ủy ban nhân dân tỉnh Bắc Ninh"),
    ("Thông tư số 17/2019/TT-NHNN của Thống đốc Ngân hàng Nhà nước Việt Nam quy định", "Thống đốc Ngân hàng Nhà nước Việt Nam"),
])
def test_issuer_as_written(text, issuer):
    assert extract_citations(text)[0].issuer == issuer


@pytest.mark.parametrize("text,pinpoint", [
    ("theo điểm a khoản 1 Điều 24 Nghị định số 91/2017/NĐ-CP", "điểm a khoản 1 Điều 24"),
    ("(Mẫu số 08 ban hành kèm theo Nghị định số 98/2023/NĐ-CP của Chính phủ)", "Mẫu số 08"),
    ("khoản 2 Điều 5 của Nghị định số 91/2017/NĐ-CP", "khoản 2 Điều 5"),
    ("Phụ lục I kèm theo Thông tư số 12/2019/TT-BNV", "Phụ lục I"),
])
def test_pinpoint(text, pinpoint):
    assert extract_citations(text)[-1].pinpoint == pinpoint


@pytest.mark.parametrize("text,canonicals", [
    ("các Nghị quyết số 13/2018/NQ-HĐND, 12/2019/NQ-HĐND của HĐND tỉnh", ["13/2018/NQ-HĐND", "12/2019/NQ-HĐND"]),
    ("theo Chỉ thị số 11, 26-CT/TU của Ban Thường vụ Tỉnh ủy", ["11-CT/TU", "26-CT/TU"]),
    ("Chỉ thị số 19/CT-TTg, Chỉ thị số 04/CT-UBND ngày 01/9/2020", ["19/CT-TTg", "04/CT-UBND"]),
    ("Công văn số 1419/VKS-VP và 1420/VKS-VP", ["1419/VKS-VP", "1420/VKS-VP"]),
])
def test_lists_share_type_word_or_suffix(text, canonicals):
    found = extract_citations(text)
    assert [c.canonical for c in found] == canonicals
    assert all(text[c.start:c.end] == c.text for c in found)
    assert len({c.doc_type for c in found}) == 1


# Not citations: ratios, dates, phone numbers, a form number alone, year ranges, placeholders, a
# document's own number in its header, "Luật" inside "pháp luật", a type word with a plan's length.
NEGATIVES = [
    "tập thể nhỏ (62/111 = 55%), người lao động trực tiếp (24/143 = 16,7%)",
    "công nhân, nông dân (814/4.731 = 17,21%)",
    "Ngày 15/10/2021, Viện kiểm sát nhân dân tỉnh nhận được",
    "Lạng Sơn, ngày 09/10/2021",
    "Điện thoại : 025 3812 605 – Fax: 025 3812 336",
    "Báo cáo thành tích (Mẫu số 08).",
    "Kế hoạch 5 năm (2021 - 2025) theo Nghị quyết Đại hội",
    "nhiệm kỳ 2015-2020; giai đoạn 2016-2020 chiếm khoảng 55-60%",
    "Căn cứ Nghị quyết số .../2025/NQ-HĐND ngày ... tháng ... năm ...",
    "Số: 12/KH-UBND\n\nLạng Sơn, ngày 24 tháng 01 năm 2013",
    "| Số: 71/2025/QĐ-UBND | Hà Nội, ngày 26 tháng 11 năm 2025 |",
    "chính sách, pháp luật của Nhà nước về thi đua",
    "Quý IV/2021; 2 lần/01 tuần; 6-10%/năm",
    "KT. VIỆN TRƯỞNG\nPHÓ VIỆN TRƯỞNG",
    "- Lưu: VT, KG-VX (NTB)",
    "Kế hoạch này được đăng tải",          # a self-reference needs a context
    "Nghị định nêu trên",                   # nothing above to point back to
    "Phong trào thi đua chống COVID-19 năm 2021",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_citation(text):
    assert extract_citations(text) == []


def test_offsets_always_cut_the_span():
    text = open("corpus/documents/seeds/003_fa92d7c2e2e7d313.txt", encoding="utf-8").read()
    found = extract_citations(text)
    assert len(found) >= 15
    assert all(text[c.start:c.end] == c.text for c in found)


# --- short forms need a context ---------------------------------------------------------------


def test_short_number_points_back_to_the_earlier_full_citation():
    ctx = CiteContext()
    extract_citations("Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị", "s1", ctx)
    later = extract_citations("Tiếp tục quán triệt Chỉ thị 34 trong toàn ngành.", "s2", ctx)
    assert len(later) == 1
    c = later[0]
    assert (c.text, c.canonical, c.date, c.short_form) == ("Chỉ thị 34", "34-CT/TW", "2014-04-07", True)


def test_anaphora_points_to_the_latest_of_its_type():
    ctx = CiteContext()
    text = ("Căn cứ Nghị định số 42/2010/NĐ-CP và Nghị định số 91/2017/NĐ-CP ngày 31/7/2017. "
            "Các quy định tại Nghị định nêu trên được áp dụng.")
    found = extract_citations(text, context=ctx)
    assert [(c.canonical, c.short_form) for c in found] == [
        ("42/2010/NĐ-CP", False), ("91/2017/NĐ-CP", False), ("91/2017/NĐ-CP", True)]


def test_self_reference_is_the_citing_document():
    doc = Document(id="200-kh-ubnd-2021", source_file="x.txt", doc_type="Kế hoạch", symbol="200/KH-UBND",
                   date=PartialDate(2021, 10, 9), province="Lạng Sơn")
    found = extract_citations("triển khai thực hiện Kế hoạch này, định kỳ báo cáo", context=CiteContext.for_document(doc))
    assert [(c.text, c.canonical, c.target, c.short_form) for c in found] == [
        ("Kế hoạch này", "200/KH-UBND", "200-kh-ubnd-2021", True)]


def test_self_reference_of_a_document_with_a_blank_number():
    doc = Document(id="seeds-004", source_file="x.txt", doc_type="Kế hoạch", symbol="/KH-VP", number=None,
                   date=PartialDate(2024, 9), province="Bắc Kạn")
    [c] = extract_citations("tổ chức tuyên truyền, triển khai kế hoạch này đến toàn thể", context=CiteContext.for_document(doc))
    assert (c.text, c.canonical, c.target, c.relation) == ("kế hoạch này", None, "seeds-004", "implements")


def test_a_short_number_without_antecedent_is_not_emitted():
    assert extract_citations("Kế hoạch 5 năm và Chỉ thị 34", context=CiteContext()) == []


def test_document_citations_run_over_sections_and_footnotes_in_order():
    doc = Document(id="d", source_file="x.txt", doc_type="Đề án", sections=[
        Section(id="s1", kind="body", label="", heading="", text="Căn cứ Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị;"),
        Section(id="s2", kind="body", label="", heading="", text="theo tinh thần Chỉ thị 34 của Bộ Chính trị¹."),
    ], footnotes=[Footnote(marker="¹", text="Nghị quyết số 13/2018/NQ-HĐND ngày 10/12/2018", section_id="s2")])
    found = extract_document_citations(doc)
    assert [(c.section_id, c.canonical, c.short_form) for c in found] == [
        ("s1", "34-CT/TW", False), ("s2", "34-CT/TW", True), ("s2", "13/2018/NQ-HĐND", False)]


def test_items_under_a_legal_basis_heading_are_basis():
    doc = Document(id="d", source_file="x.txt", doc_type="Đề án", sections=[
        Section(id="p2.i", kind="roman", label="I.", heading="CƠ SỞ XÂY DỰNG ĐỀ ÁN", text=""),
        Section(id="p2.i.2", kind="numbered", label="2.", heading="", parent="p2.i",
                text="2. Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng;"),
        Section(id="p2.ii", kind="roman", label="II.", heading="SỰ CẦN THIẾT", text="theo Chỉ thị số 05-CT/TW ngày 15/5/2016"),
    ])
    assert [(c.canonical, c.relation) for c in extract_document_citations(doc)] == [
        ("34-CT/TW", "basis"), ("05-CT/TW", "mentions")]


def test_a_party_tt_is_a_thong_tri_not_a_circular():
    [c] = extract_citations("khen thưởng theo 38-TT/TW ngày 25 tháng 10 năm 1984 của Ban Bí thư")
    assert (c.doc_type, c.date, c.issuer) == ("Thông tri", "1984-10-25", "Ban Bí thư")


TYPE_EXAMPLES = [(t.name, ex) for t in doc_types() for ex in t.examples if any(ch.isdigit() for ch in ex)]


@pytest.mark.parametrize("name,example", TYPE_EXAMPLES, ids=[ex for _, ex in TYPE_EXAMPLES])
def test_every_numbered_doc_type_example_is_a_citation_of_its_type(name, example):
    found = extract_citations(example)
    assert len(found) == 1 and found[0].doc_type == name and found[0].text == example.strip()


@pytest.mark.parametrize("text,canonical,doc_type", [
    ("Nghị định số 92/2017/NĐCP ngày 07/8/2017 của Chính phủ", "92/2017/NĐ-CP", "Nghị định"),   # a real 2025 text
    ("Quyết định số 12/2020/QĐTTg", "12/2020/QĐ-TTg", "Quyết định"),
    ("Thông tư 02/2023/TTBNV", "02/2023/TT-BNV", "Thông tư"),
    ("Quyết định 86/2025/QĐUBND", "86/2025/QĐ-UBND", "Quyết định"),
    ("Thông tư liên tịch 4/2019/TTLT", "4/2019/TTLT", "Thông tư liên tịch"),          # one code: left alone
    ("Công văn số 2001/QLĐĐ-TKKKTTĐĐ", "2001/QLĐĐ-TKKKTTĐĐ", "Công văn"),
    ("Công văn số 01/CV-01", "01/CV-01", "Công văn"),        # a company's serial after the hyphen (real 2025 text)
])
def test_a_type_code_run_into_its_issuer_is_read_as_the_hyphenated_symbol(text, canonical, doc_type):
    [c] = extract_citations(text)
    assert (c.canonical, c.doc_type) == (canonical, doc_type)
    assert c.text == text          # shown as written


@pytest.mark.parametrize("text,canonical", [
    ("(văn bản số 2001/QLĐĐ-TKKKTTĐĐ ngày 28/8/2025)", "2001/QLĐĐ-TKKKTTĐĐ"),
    ("theo công văn số 545/CCTKV.VIII-CNTK của Chi cục", "545/CCTKV.VIII-CNTK"),
    ("tại công văn số 838/CCTKV.XII-NVDTPC.HUE ngày 02/10/2025", "838/CCTKV.XII-NVDTPC.HUE"),
])
def test_a_letter_cited_in_lower_case_mid_sentence_is_a_cong_van(text, canonical):
    """The glossary's examples are written as headings (capitalised); in running text officers
    write 'công văn số …' and 'văn bản số …' in lower case."""
    [c] = extract_citations(text)
    assert (c.doc_type, c.canonical) == ("Công văn", canonical)


def test_passive_amendment_is_not_the_citing_documents_act_and_a_later_verb_counts():
    text = ("2. Luật Thi đua, khen thưởng số 15/2003/QH11 đã được sửa đổi, bổ sung một số điều theo Luật số "
            "47/2005/QH11, Luật số 32/2009/QH12 và Luật số 39/2013/QH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.")
    assert [(c.canonical, c.relation) for c in extract_citations(text)] == [
        ("15/2003/QH11", "repeals"), ("47/2005/QH11", "repeals"), ("32/2009/QH12", "repeals"), ("39/2013/QH13", "repeals")]
    text = "Quyết định số 45/2016/QĐ-UBND đã được sửa đổi bởi Quyết định số 31/2016/QĐ-UBND ngày 01/8/2016."
    assert [c.relation for c in extract_citations(text)] == ["mentions", "mentions"]
