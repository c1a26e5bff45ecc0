"""Property tests: on truncated seeds, random Unicode and randomly re-wrapped text, parse_text never
crashes, never loses a word, and is deterministic.

"Never loses a word": every whitespace-separated token of the input that carries a letter or digit,
with the markup characters the cleaner removes (* | and invisible zero-width characters) stripped
from both sides of the comparison and surrounding punctuation (.,;:!?) trimmed,
appears somewhere in the output (a section's label, heading or text, a footnote, a table cell) —
except the tokens of web-page chrome lines (data/chrome.yaml), which are dropped on purpose and
reported in the warnings. Containment is checked as a substring because re-joining a hard-wrapped
line may glue a token to its continuation ("49-" + "NQ/TU").
"""
import random

from hypothesis import HealthCheck, given, settings, strategies as st

from corpus import clean
from corpus.parse import parse_text
from corpus.sources import DOCUMENTS_DIR
from corpus.vntext import nfc

SEEDS = [p.read_text(encoding="utf-8") for p in sorted((DOCUMENTS_DIR / "seeds").glob("*.txt"))]
_MARKUP = "*|\u200b\ufeff"
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def output_text(result) -> str:
    parts = []
    for doc in result.documents:
        parts.append(doc.title)
        for s in doc.sections:
            parts += [s.label, s.heading, s.text]
        for f in doc.footnotes:
            parts += [f.marker, f.text, f.marker + f.text]   # "⁴Tỷ lệ …": marker glued to its text
        for t in doc.tables:
            parts += t.header + [c for row in t.rows for c in row]
    return "\n".join(parts)


def words(text: str) -> list[str]:
    lines, _ = clean.drop_chrome(clean.normalise(text))
    out = []
    for tok in nfc("\n".join(lines)).split():
        # markup characters out; punctuation around a word is not the word ("Điều 1." → label "Điều 1")
        tok = "".join(c for c in tok if c not in _MARKUP).strip(".,;:!?")
        if any(c.isalnum() for c in tok):
            out.append(tok)
    return out


def check(text: str, rel: str = "seeds/x.txt") -> None:
    first = parse_text(text, rel)
    assert first.documents and all(d.sections for d in first.documents)
    out = "".join(c for c in output_text(first) if c not in _MARKUP)
    lost = [w for w in words(text) if w not in out]
    assert not lost, f"lost {lost[:10]}"
    again = parse_text(text, rel)
    assert [d.to_dict() for d in again.documents] == [d.to_dict() for d in first.documents]
    assert again.warnings == first.warnings


def test_every_whole_seed_keeps_every_word():
    for text in SEEDS:
        check(text)


@FAST
@given(seed=st.integers(0, len(SEEDS) - 1), cut=st.floats(0, 1))
def test_truncated_seeds(seed, cut):
    text = SEEDS[seed]
    check(text[: int(len(text) * cut)])


@FAST
@given(text=st.text(max_size=400))
def test_random_unicode(text):
    check(text)


@FAST
@given(text=st.lists(st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẠẢÃĐƯƠ .,;:-()/\n|*\t0123456789IVX")
                                            + ["Điều 1.", "I. ", "1. ", "a) ", "- ", "Nơi nhận:", "KẾ HOẠCH", "Số: 1/KH-UBND",
                                               "CHỦ TỊCH", "Nguyễn Văn A", "¹", "PHỤ LỤC", "TT", "QUÝ I", "Chương II"]),
                    max_size=150).map("".join))
def test_random_document_like_text(text):
    check(text)


@FAST
@given(seed=st.integers(0, len(SEEDS) - 1), start=st.floats(0, 0.9), breaks=st.integers(1, 30), rnd=st.randoms())
def test_random_line_breaks(seed, start, breaks, rnd):
    text = SEEDS[seed]
    a = int(len(text) * start)
    piece = list(text[a:a + 3000])
    spaces = [i for i, c in enumerate(piece) if c == " "]
    for i in rnd.sample(spaces, min(breaks, len(spaces))):
        piece[i] = "\n"
    check("".join(piece))
