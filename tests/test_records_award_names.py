"""The award names an import (and `tdkt award`) accepts: accents, case, abbreviations, i/y and a
small typo in a word are forgiven; a name whose distinct words differ from every award's, or that
fits several awards, is refused and the closest names suggested (issue 16: "Huân chương Không Có"
was taken for Huân chương Dũng cảm)."""
from __future__ import annotations

import pytest

from awards.catalogue import UnknownAward, default_catalogue, glossary_abbreviations

ACCEPTED = [
    # as typed in an office's file                  the award
    ("Huan chuong dung cam",                          "Huân chương Dũng cảm"),
    ("Huân chương Lao dộng hạng Ba",                  "Huân chương Lao động hạng Ba"),     # a tone mark misplaced
    ("Huân chuơng Lao đọng hạng Nhì",                 "Huân chương Lao động hạng Nhì"),
    ("Huân chươnng Độc lập hạng Ba",                  "Huân chương Độc lập hạng Ba"),      # a letter doubled
    ("Huân chương Bảo vệ Tổ quốc hạng Nhị",           "Huân chương Bảo vệ Tổ quốc hạng Nhì"),
    ("Chiến sỹ thi đua cơ sở",                        "Chiến sĩ thi đua cơ sở"),           # sĩ / sỹ
    ("Chiến sĩ thi đua toàn quôc",                    "Chiến sĩ thi đua toàn quốc"),
    ("CSTĐ cơ sở",                                    "Chiến sĩ thi đua cơ sở"),
    ("Bằng khen Thủ tướng",                           "Bằng khen của Thủ tướng Chính phủ"),  # words left out, one award fits
    ("Bằng khen của Chủ tịch UBND tỉnh Lạng Sơn",     "Bằng khen của Bộ, ban, ngành, tỉnh"),  # the province named
    ("Giấy khên",                                     "Giấy khen"),
    ("Tập thể lao động tiên tiên",                    "Tập thể lao động tiên tiến"),
    ("Huy chương Hữu nghị",                           "Huy chương Hữu nghị"),              # not the Huân chương
    ("Huân chương Hữu nghị",                          "Huân chương Hữu nghị"),
    ("Thầy thuốc ưu tú",                              "Thầy thuốc ưu tú"),                 # "tú" is also TU (Tỉnh ủy)
    ("Nhà giáo ưu tú",                                "Nhà giáo ưu tú"),
]

REFUSED = [
    # a near miss                                  why it is no award
    ("Huân chương Không Có",                       "no such words in any award's name"),
    ("Huân chương Lao động hạng Tư",               "there is no hạng Tư"),
    ("Huân chương Chiến công hạng Tư",             "there is no hạng Tư"),
    ("Huân chương Dũng cảm hạng Nhất",             "Dũng cảm has no classes"),
    ("Huân chương Lao động",                       "which class: Nhất, Nhì or Ba"),
    ("Chiến sĩ thi đua",                           "which level"),
    ("Bằng khen",                                  "whose Bằng khen"),
    ("Lao động tiên tiến xuất sắc",                "a word that is in no name"),
    ("Huy hiệu Đảng",                              "not an award of the Law"),
]


@pytest.mark.parametrize("typed, name", ACCEPTED)
def test_small_differences_are_forgiven(typed, name):
    assert default_catalogue().find(typed, glossary_abbreviations()).name == name


def test_every_name_and_alias_of_the_catalogue_finds_its_award():
    catalogue = default_catalogue()
    wrong = [(n, catalogue.find(n, glossary_abbreviations()).name) for a in catalogue.awards for n in (a.name, *a.aliases)
             if catalogue.find(n, glossary_abbreviations()).name != a.name]
    assert wrong == []


@pytest.mark.parametrize("typed, why", REFUSED)
def test_a_name_whose_words_differ_is_refused(typed, why):
    with pytest.raises(UnknownAward):
        default_catalogue().find(typed, glossary_abbreviations())


def test_the_refusal_suggests_the_closest_awards():
    with pytest.raises(UnknownAward, match="Huân chương Dũng cảm"):
        default_catalogue().find("Huân chương Không Có", glossary_abbreviations())


def test_an_import_row_with_a_near_miss_names_its_cell(tmp_path):
    from records.importing import check_file
    from test_records_import import GOOD, write_xlsx
    row = list(GOOD[0])
    row[4] = "Huân chương Không Có"
    lines, errors, _ = check_file(write_xlsx(tmp_path / "a.xlsx", [GOOD[1], row]))
    assert len(lines) == 1 and [str(e) for e in errors] == [
        "dòng 3, cột E (Hình thức khen thưởng): không có “Huân chương Không Có” trong danh mục khen thưởng; "
        "có phải: Huân chương Dũng cảm; Huân chương Sao vàng; Huân chương Hữu nghị?"]
