"""Table-driven checks of the small steps, on real lines from the corpus: chrome patterns (their own
examples), re-joining of hard-wrapped lines, header/signature row unpacking, symbols, dates, places,
issuer names."""
import pytest
import yaml

from corpus import clean, metadata
from corpus.clean import CHROME_FILE

CHROME = yaml.safe_load(CHROME_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("line", [ex for e in CHROME for ex in e["examples"]])
def test_every_chrome_example_is_chrome(line):
    assert clean.is_chrome(line, footer=True)


@pytest.mark.parametrize("line", ["Địa chỉ:.................", "Điện thoại: 0912 345 678"])
def test_form_fields_are_chrome_only_in_the_trailing_footer(line):
    lines, dropped = clean.drop_chrome(["Họ và tên: ……", line, "Ngày sinh: ……"])
    assert line in lines and not dropped


@pytest.mark.parametrize("raw,joined", [
    # seed 003, hard-wrapped everywhere
    (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT", "NAM"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
    (["Độc", "lập - Tự do - Hạnh phúc", "Lai Châu, ngày 28 tháng 6 năm 2016"],
     ["Độc lập - Tự do - Hạnh phúc", "Lai Châu, ngày 28 tháng 6 năm 2016"]),
    (["I. ĐÁNH GIÁ TÌNH", "HÌNH"], ["I. ĐÁNH GIÁ TÌNH HÌNH"]),
    # seed 001: title wrapped, and a sentence broken by a page break (the footnote is already out)
    (["Nâng cao chất lượng công tác thi đua, khen thưởng", "trên địa bàn tỉnh Lạng Sơn giai đoạn 2021 - 2025"],
     ["Nâng cao chất lượng công tác thi đua, khen thưởng trên địa bàn tỉnh Lạng Sơn giai đoạn 2021 - 2025"]),
    (["đề xuất các cấp khen thưởng kịp thời. Thông", "", "", "qua hoạt động thi đua của cụm"],
     ["đề xuất các cấp khen thưởng kịp thời. Thông qua hoạt động thi đua của cụm"]),
    # seed 000: a symbol split at its hyphen, a phrase ending in "của" before a blank line
    (["Nghị quyết số 49-", "", "NQ/TU ngày 28/9/2021"], ["Nghị quyết số 49-NQ/TU ngày 28/9/2021"]),
    (["Chỉ thị số 34-CT/TW ngày 07/4/2014 của", "", "Bộ Chính trị về tiếp tục"],
     ["Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục"]),
    # never joined: a structural start, a type line and its title, a title and the authority line
    (["2. Yêu cầu", "Nội dung, hình thức phát động"], ["2. Yêu cầu", "Nội dung, hình thức phát động"]),
    (["Mục đích", "- Đẩy mạnh phong trào"], ["Mục đích", "- Đẩy mạnh phong trào"]),
    (["KẾ HOẠCH", "PHÁT ĐỘNG ĐỢT THI ĐUA"], ["KẾ HOẠCH", "PHÁT ĐỘNG ĐỢT THI ĐUA"]),
    (["VỀ VIỆC BAN HÀNH QUY TRÌNH", "BỘ TRƯỞNG BỘ Y TẾ"], ["VỀ VIỆC BAN HÀNH QUY TRÌNH", "BỘ TRƯỞNG BỘ Y TẾ"]),
    (["THÔNG TƯ SỐ 12/2019/TT-BNV", "QUY ĐỊNH CHI TIẾT"], ["THÔNG TƯ SỐ 12/2019/TT-BNV", "QUY ĐỊNH CHI TIẾT"]),
    (["CHỦ TỊCH", "", "Vy Văn Thành"], ["CHỦ TỊCH", "", "Vy Văn Thành"]),
])
def test_join_wrapped(raw, joined):
    got, _ = clean.join_wrapped(raw)
    assert [x for x in got if x] == [x for x in joined if x]


@pytest.mark.parametrize("raw,joined", [
    # only in a hard-wrapped file (seed 003) does a line continue one that stops mid-phrase
    (["-", "Ban TĐKT TW;", "-", "TT. Tỉnh ủy,", "HĐND tinh;"], ["- Ban TĐKT TW;", "- TT. Tỉnh ủy, HĐND tinh;"]),
    (["Thực hiện Chỉ thị số", "18/CT-TTg ngày 19/5/2016"], ["Thực hiện Chỉ thị số 18/CT-TTg ngày 19/5/2016"]),
    (["Về việc thực hiện", "Chỉ thị số 18/CT-TTg"], ["Về việc thực hiện Chỉ thị số 18/CT-TTg"]),
    (["Lai Châu, ngày 28 tháng 6 năm 2016", "CHƯƠNG TRÌNH HÀNH ĐỘNG"], ["Lai Châu, ngày 28 tháng 6 năm 2016", "CHƯƠNG TRÌNH HÀNH ĐỘNG"]),
    (["lần thứ XII của Đảng", "Thực hiện Chỉ thị số"], ["lần thứ XII của Đảng", "Thực hiện Chỉ thị số"]),
    (["TM.", "ỦY BAN NHÂN DÂN", "CHỦ", "TỊCH", "Đỗ Ngọc An"], ["TM.", "ỦY BAN NHÂN DÂN CHỦ TỊCH", "Đỗ Ngọc An"]),
])
def test_join_wrapped_in_a_hard_wrapped_file(raw, joined):
    got, _ = clean.join_wrapped(raw, wrapped=True)
    assert [x for x in got if x] == joined


def test_seed_003_is_detected_as_hard_wrapped_and_the_others_not():
    from corpus.sources import DOCUMENTS_DIR
    for path in sorted((DOCUMENTS_DIR / "seeds").glob("*.txt")):
        lines = clean.prepare_lines(path.read_text(encoding="utf-8")).lines
        assert clean.is_wrapped(lines) == path.name.startswith("003_"), path.name


@pytest.mark.parametrize("row,lines", [
    ("| ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- "
     "| Số: 0124/KH-UBND | Đắk Lắk, ngày 18 tháng 11 năm 2025 |",
     ["ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
      "Số: 0124/KH-UBND", "Đắk Lắk, ngày 18 tháng 11 năm 2025"]),
    ("| Nơi nhận: - CT, PCT UBND TP (1AE) - Sở: Nội vụ, Y tế, KHCN; - Vụ Pháp chế - Bộ Nội vụ; - Lưu: VT, MX. "
     "| TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Ngọc Điệp |",
     ["Nơi nhận:", "- CT, PCT UBND TP (1AE)", "- Sở: Nội vụ, Y tế, KHCN;", "- Vụ Pháp chế - Bộ Nội vụ;", "- Lưu: VT, MX.",
      "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Nguyễn Thị Ngọc Điệp"]),
])
def test_header_and_signature_rows_are_unpacked(row, lines):
    assert clean.unpack_pipe_row(row, near_top=False) == lines


def test_data_table_rows_are_left_to_tables():
    assert clean.unpack_pipe_row("| STT | TIÊU CHÍ THI ĐUA | ĐIỂM CHUẨN |", near_top=False) is None


@pytest.mark.parametrize("raw,symbol,number,codes", [
    ("1657 /QĐ-UBND", "1657/QĐ-UBND", "1657", ("QĐ", "UBND")),
    ("/HD – HĐTĐKT", "/HD-HĐTĐKT", None, ("HD", "HĐTĐKT")),
    ("/KH-VP", "/KH-VP", None, ("KH", "VP")),
    ("1419/VKS-VP", "1419/VKS-VP", "1419", (None, "VKS")),
    ("06/2022/QH15", "06/2022/QH15", "06", (None, "QH")),
    ("16/VBHN-VPQH", "16/VBHN-VPQH", "16", ("VBHN", "VPQH")),
    ("1169/CTr-UBND", "1169/CTr-UBND", "1169", ("CTr", "UBND")),
])
def test_symbols(raw, symbol, number, codes):
    assert metadata.normalise_symbol(raw) == (symbol, number)
    assert metadata.split_symbol(symbol) == codes


@pytest.mark.parametrize("line,iso,place", [
    ("Lạng Sơn, ngày 26 tháng 10 năm 2021", "2021-10-26", "Lạng Sơn"),
    ("Bắc Kạn, ngày tháng 9 năm 2024", "2024-09", "Bắc Kạn"),
    ("Hưng Yên, ngày     tháng    năm 2021", "2021", "Hưng Yên"),
    ("Lạng Sơn, ngày 24 tháng 01  năm 2013", "2013-01-24", "Lạng Sơn"),
    ("Độc lập - Tự do - Hạnh phúc Lai Châu, ngày 28 tháng 6 năm 2016", "2016-06-28", "Lai Châu"),
    ("Số: 16/VBHN-VPQH Hà Nội, ngày 13 tháng 12 năm 2013 CHỦ NHIỆM", "2013-12-13", "Hà Nội"),
    ("Hà Nội, ngày .... tháng ... năm ...", None, "Hà Nội"),
    ("Hà Nội, ngày 31 tháng 13 năm 2020", "2020", "Hà Nội"),
])
def test_dates_and_places(line, iso, place):
    date = metadata.parse_date(line)
    assert (date.iso() if date else None) == iso
    assert metadata._place(line) == place


@pytest.mark.parametrize("caps,name", [
    ("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    ("UỶ BAN NHÂN DÂN TỈNH LẠNG SƠN", "Uỷ ban nhân dân tỉnh Lạng Sơn"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "Ủy ban nhân dân thành phố Cần Thơ"),
    ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH HƯNG YÊN", "Hội đồng Thi đua - Khen thưởng tỉnh Hưng Yên"),
    ("BỘ Y TẾ", "Bộ Y tế"),
    ("QUỐC HỘI", "Quốc hội"),
    ("BỘ NGOẠI GIAO", "Bộ Ngoại giao"),
])
def test_issuer_names_from_all_caps_headers(caps, name):
    assert metadata.issuer_display(caps) == name
