"""Tone-mark placement variants are one word for matching; accents fold for matching only."""
import pytest

from corpus.vntext import fold, match_form, nfc

SAME_WORD = [
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("Hoà Bình", "hòa bình"), ("khoẻ", "khỏe"),
    ("tuỳ", "tùy"), ("Thuý", "thúy"), ("hoá", "hóa"),
]
DIFFERENT_WORDS = [("hòa", "hoa"), ("của", "cửa"), ("thi đua", "thì đua"), ("quá", "qua")]
FOLDED = [
    ("Chiến sĩ thi đua", "chien si thi dua"),
    ("ĐỀ ÁN", "de an"),
    ("Tiêu chuẩn", "tieu chuan"),
    ("khen thưởng", "khen thuong"),
]


@pytest.mark.parametrize("a,b", SAME_WORD)
def test_tone_placement_variants_match(a, b):
    assert match_form(a) == match_form(b)


@pytest.mark.parametrize("a,b", DIFFERENT_WORDS)
def test_different_words_stay_different(a, b):
    assert match_form(a) != match_form(b)


@pytest.mark.parametrize("text,folded", FOLDED)
def test_fold(text, folded):
    assert fold(text) == folded


def test_nfc_joins_decomposed_input():
    decomposed = "thi \u0111ua khen th\u01b0\u01a1\u0309ng"  # hỏi as a combining mark
    assert nfc(decomposed) == "thi đua khen thưởng"
