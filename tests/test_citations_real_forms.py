"""Citations as officers really write them (issue 12 parts 2 and 3): laws by name in every form,
symbols with stray spaces, "&", joint-circular slashes, glued numbers — tables of real strings
(most from the 2025 texts of tnt305_official_docs)."""
import pytest

from corpus.citations import extract_citations


def _one(text):
    found = [c for c in extract_citations(text) if not c.short_form]
    assert len(found) == 1, [(c.text, c.canonical) for c in found]
    return found[0]


# --- laws by name ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,cited,canonical,date", [
    # with the date of adoption, in words or digits
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
     "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "77/2015/QH13", "2015-06-19"),
    ("Căn cứ Luật Quản lý, sử dụng tài sản công ngày 21 tháng 6 năm 2017;",
     "Luật Quản lý, sử dụng tài sản công ngày 21 tháng 6 năm 2017", "15/2017/QH14", "2017-06-21"),
    # the year only
    ("Khoản 2 Điều 62 Luật Trồng trọt năm 2018 |", "Luật Trồng trọt năm 2018", "31/2018/QH14", None),
    # a code, its name's first word in lower case; the registry's name is shorter ("Bộ luật Hàng hải")
    ("Căn cứ Bộ luật hàng hải Việt Nam ngày 25 tháng 11 năm 2015;",
     "Bộ luật hàng hải Việt Nam ngày 25 tháng 11 năm 2015", "95/2015/QH13", "2015-11-25"),
    ("Căn cứ Bộ luật Lao động ngày 20 tháng 11 năm 2019;", "Bộ luật Lao động ngày 20 tháng 11 năm 2019",
     "45/2019/QH14", "2019-11-20"),
    # "và" inside a name
    ("Căn cứ Luật Giáo dục quốc phòng và an ninh ngày 19 tháng 6 năm 2013;",
     "Luật Giáo dục quốc phòng và an ninh ngày 19 tháng 6 năm 2013", "30/2013/QH13", "2013-06-19"),
    # an amending law by its long title naming two laws: one citation, the date is the amending law's
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
     "phương ngày 22 tháng 11 năm 2019;",
     "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
     "22 tháng 11 năm 2019", "47/2019/QH14", "2019-11-22"),
    # the source registry misspells this one ("Luât Dân quân tự vệ"): still the same law
    ("Căn cứ Luật Dân quân tự vệ ngày 22 tháng 11 năm 2019;", "Luật Dân quân tự vệ ngày 22 tháng 11 năm 2019",
     "48/2019/QH14", "2019-11-22"),
    # the Constitution, named as a basis without a date: a citation, with no number to give
    ("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam đã được sửa đổi, bổ sung một số điều theo",
     "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam", None),
])
def test_a_law_by_name_is_one_citation_resolved_to_its_number(text, cited, canonical, date):
    c = _one(text)
    assert (c.text, c.canonical, c.date) == (cited, canonical, date)
    assert c.doc_type in ("Luật", "Bộ luật", "Hiến pháp")


def test_a_series_of_laws_sharing_a_date_is_one_citation_each():
    text = "Căn cứ Luật Tổ chức Chính phủ, Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"
    found = extract_citations(text)
    assert [(c.text, c.canonical, c.date) for c in found] == [
        ("Luật Tổ chức Chính phủ", "76/2015/QH13", "2015-06-19"),
        ("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "77/2015/QH13", "2015-06-19")]


@pytest.mark.parametrize("text,canonical,registry_name", [
    ("Căn cứ Luật Thi đau, khen thưởng ngày 15 tháng 6 năm 2022;", "06/2022/QH15", "Luật Thi đua, khen thưởng"),
    ("Căn cứ Luật Tổ chức chính quyền đại phương ngày 19 tháng 6 năm 2015;", "77/2015/QH13",
     "Luật Tổ chức chính quyền địa phương"),
])
def test_a_small_typo_in_a_law_name_still_resolves_and_says_so(text, canonical, registry_name):
    c = _one(text)
    assert c.canonical == canonical
    assert "viết gần đúng" in c.note and registry_name in c.note


@pytest.mark.parametrize("text", [
    "Căn cứ Luật Thi đua, khen thưởng ngày 01 tháng 01 năm 2013;",      # no law of that name that day
    "Căn cứ Luật Bảo vệ môi trường ngày 15 tháng 6 năm 2022;",          # a different law adopted that day
])
def test_a_law_name_no_registry_law_fits_is_shown_unresolved(text):
    c = _one(text)
    assert c.number is None and c.canonical.startswith("Luật")


@pytest.mark.parametrize("text", [
    "chấp hành nghiêm pháp luật ngày 12 tháng 5 năm 2025",               # "pháp luật", not a law
    "theo quy định của Bộ luật Lao động và pháp luật về tình trạng khẩn cấp",   # running text, no date
    "sửa đổi, bổ sung một số điều của 37 Luật có liên quan đến quy hoạch ngày 20 tháng 11 năm 2018",
    "các Nghị định quy định chi tiết thi hành Luật Đất đai;",
])
def test_what_is_not_a_law_cited_by_name(text):
    assert [c.text for c in extract_citations(text)] == []


@pytest.mark.parametrize("symbol,full_form", [
    ("95/2015/QH13", "Bộ luật Hàng hải số 95/2015/QH13 ngày 25/11/2015"),
    ("45/2019/QH14", "Bộ luật Lao động số 45/2019/QH14 ngày 20/11/2019"),          # titled "Bộ Luật lao động"
    ("72/2025/QH15", "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16/6/2025"),   # learned
    ("05/2012/UBTVQH13", "Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh quy định danh hiệu vinh dự Nhà "
                         "nước “Bà mẹ Việt Nam anh hùng” số 05/2012/UBTVQH13 ngày 20/10/2012"),
])
def test_the_full_form_of_a_law_or_code_is_its_name_number_and_date(symbol, full_form):
    from corpus.registry import Registry, key
    [e] = [e for e in Registry.load().entries if e.canonical and key(e.canonical) == key(symbol)]
    assert e.full_form() == full_form


def test_the_tolerant_match_reaches_tdkt_cite(tmp_path, monkeypatch, capsys):
    import json

    from search_app.cli import main
    monkeypatch.setenv("TDKT_BUILD_DIR", str(tmp_path))
    assert main(["cite", "Căn cứ Luật Thi đau, khen thưởng ngày 15 tháng 6 năm 2022;"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["canonical"] == "06/2022/QH15" and "viết gần đúng" in row["note"]


# --- symbols as really written ------------------------------------------------------------------------

@pytest.mark.parametrize("text,canonical,cited", [
    ("Tờ trình số 45/TTr -SNV ngày 3/2/2025", "45/TTr-SNV", "Tờ trình số 45/TTr -SNV ngày 3/2/2025"),
    ("Nghị quyết số 1314/NQ- UBTVQH15 về việc", "1314/NQ-UBTVQH15", "Nghị quyết số 1314/NQ- UBTVQH15"),
    ("Thông tư số 10/2025/TT- BKHCN ngày 27/6/2025 của Bộ trưởng Bộ Khoa học và Công nghệ.", "10/2025/TT-BKHCN",
     "Thông tư số 10/2025/TT- BKHCN ngày 27/6/2025 của Bộ trưởng Bộ Khoa học và Công nghệ"),
    # a Party number typed in the state shape
    ("Nghị quyết số 18/NQ- TW ngày 25/10/2017 của Ban Chấp hành Trung ương", "18-NQ/TW",
     "Nghị quyết số 18/NQ- TW ngày 25/10/2017 của Ban Chấp hành Trung ương"),
    # "&" in unit codes, a space after it
    ("Công văn số 9086/BNV-CTTN&BĐG ngày 08 tháng 10 năm 2025 của Bộ trưởng Bộ Nội vụ về", "9086/BNV-CTTN&BĐG",
     "Công văn số 9086/BNV-CTTN&BĐG ngày 08 tháng 10 năm 2025 của Bộ trưởng Bộ Nội vụ"),
    ("Công văn số 15972/SXD-QLN& TTBĐS ngày 14 tháng 11 năm 2025 về", "15972/SXD-QLN&TTBĐS",
     "Công văn số 15972/SXD-QLN& TTBĐS ngày 14 tháng 11 năm 2025"),
    ("Công văn số 12/SNV-TCBC&VTLT ngày 02/01/2025", "12/SNV-TCBC&VTLT", "Công văn số 12/SNV-TCBC&VTLT ngày 02/01/2025"),
    # joint circulars: a stray slash, a stray letter, a stray space
    ("Thông tư liên tịch 88/2016/TTLT/BTC-BTNMT ngày 22 tháng 6 năm 2016", "88/2016/TTLT-BTC-BTNMT",
     "Thông tư liên tịch 88/2016/TTLT/BTC-BTNMT ngày 22 tháng 6 năm 2016"),
    ("Thông tư liên tịch số 07/2016/TTTLT-BYT-BTC- BLĐTBXH ngày 15/4/2016 của Bộ Y tế - Bộ Tài chính - Bộ Lao "
     "động - Thương binh và Xã hội về", "07/2016/TTLT-BYT-BTC-BLĐTBXH",
     "Thông tư liên tịch số 07/2016/TTTLT-BYT-BTC- BLĐTBXH ngày 15/4/2016 của Bộ Y tế - Bộ Tài chính - Bộ Lao "
     "động - Thương binh và Xã hội"),
    # no space before the number, or before the type word
    ("Xét đề nghị của Chính phủ tại Tờ trình số374/TTr-CP", "374/TTr-CP", "Tờ trình số374/TTr-CP"),
    ("Nghị định số142/2018/NĐ-CP ngày 09 tháng 10 năm 2018 của Chính phủ.", "142/2018/NĐ-CP",
     "Nghị định số142/2018/NĐ-CP ngày 09 tháng 10 năm 2018 của Chính phủ"),
    ("vàĐề án số 375/ĐA-CP ngày 09 tháng 5 năm 2025", "375/ĐA-CP", "Đề án số 375/ĐA-CP ngày 09 tháng 5 năm 2025"),
    # types the table lacked
    ("Căn cứ Quy chế phối hợp số 49/QCPH-UBND-UBMT-HCTĐ ngày 24/01/2025 về", "49/QCPH-UBND-UBMT-HCTĐ",
     "Quy chế phối hợp số 49/QCPH-UBND-UBMT-HCTĐ ngày 24/01/2025"),
    ("Báo cáo thẩm tra số 441/BC-UBPLTP15 ngày 03 tháng 6 năm 2025 của Ủy ban Pháp luật và Tư pháp,", "441/BC-UBPLTP15",
     "Báo cáo thẩm tra số 441/BC-UBPLTP15 ngày 03 tháng 6 năm 2025 của Ủy ban Pháp luật và Tư pháp"),
    # issuer names whole: joint bodies, a signer's double title, a 2025 ministry
    ("Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn",
     "03/2025/TT-VPCP", "Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"),
    ("Thông tư số 17/2025/TT-BNNMT ngày 19 tháng 6 năm 2025 của Bộ trưởng Bộ Nông nghiệp và Môi trường quy định",
     "17/2025/TT-BNNMT",
     "Thông tư số 17/2025/TT-BNNMT ngày 19 tháng 6 năm 2025 của Bộ trưởng Bộ Nông nghiệp và Môi trường"),
    ("Kết luận số 183-KL/TW ngày 01 tháng 8 năm 2025 của Bộ Chính trị, Ban Bí thư;", "183-KL/TW",
     "Kết luận số 183-KL/TW ngày 01 tháng 8 năm 2025 của Bộ Chính trị, Ban Bí thư"),
    ("Quyết định số 12/QĐ-STC ngày 3/3/2025 của Giám đốc Sở Tài chính về việc", "12/QĐ-STC",
     "Quyết định số 12/QĐ-STC ngày 3/3/2025 của Giám đốc Sở Tài chính"),
    # a title in capitals right after the issuer is not part of its name
    ("Quyết định số 12/QĐ-UBND ngày 3/3/2020 của Ủy ban nhân dân tỉnh Bình Phước Thành lập Bệnh viện", "12/QĐ-UBND",
     "Quyết định số 12/QĐ-UBND ngày 3/3/2020 của Ủy ban nhân dân tỉnh Bình Phước"),
])
def test_a_symbol_as_really_written(text, canonical, cited):
    c = _one(text)
    assert (c.canonical, c.text) == (canonical, cited)


@pytest.mark.parametrize("text", [
    "phù hợp với quy định tại Phụ lục H QCVN 06:2022/BXD và Sửa đổi 1:2023",   # a technical standard
    "giai đoạn 2021 - 2025 trên địa bàn",
    "Số: /BC-... | Bắc Ninh, ngày tháng năm 20… |",
    "đạt 62/111 xã, tỷ lệ 814/4.731 hộ",
])
def test_what_looks_like_a_symbol_but_is_not(text):
    assert [c.text for c in extract_citations(text)] == []


def test_numbers_listed_after_one_law_keep_their_so():
    text = "Luật Đất đai số 31/2024/QH15 được sửa đổi, bổ sung một số điều bởi các Luật số 43/2024/QH15, số 47/2024/QH15"
    assert [(c.text, c.canonical) for c in extract_citations(text)] == [
        ("Luật Đất đai số 31/2024/QH15", "31/2024/QH15"), ("Luật số 43/2024/QH15", "43/2024/QH15"),
        ("số 47/2024/QH15", "47/2024/QH15")]


def test_an_issuer_in_capitals_stops_where_the_next_citation_starts():
    text = ("BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025 CỦA THỦ TƯỚNG CHÍNH PHỦ "
            "VÀ QUYẾT ĐỊNH SỐ 3103/QĐ-BTC NGÀY 05 THÁNG 9 NĂM 2025 CỦA BỘ TÀI CHÍNH")
    found = extract_citations(text)
    assert [(c.canonical, c.issuer) for c in found] == [("06/QĐ-TTg", "THỦ TƯỚNG CHÍNH PHỦ"), ("3103/QĐ-BTC", "BỘ TÀI CHÍNH")]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
