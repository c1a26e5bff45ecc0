"""Vietnamese word segmentation: pyvi's own CRF model, decoded faster than pyvi decodes it.

pyvi (``ViTokenizer.tokenize``) spends ~90% of its time building a Python dict of features for
every syllable and handing it to crfsuite, which turns each dict back into strings. Its features
are few and each depends on one syllable or on one n-gram lookup, so their weights can be summed
per distinct syllable once and cached; the two-label Viterbi is then a short loop. The result is
the string pyvi returns, for the same model (read from pyvi's installed model file) — the tests
compare the two on every paragraph of the corpus — at several times the speed. Building the
index of a 100k-section corpus was bound by pyvi (~200 sections/s per core).

The model: crfsuite's binary CRF (``lCRF``/``FOMC``) for labels B_W (begins a word) and I_W
(inside a word); attributes are ``bias``, ``word.lower():<s>``, ``word.isupper()`` …, at offsets
-2..+2. Names come from pycrfsuite's ``Tagger.dump``, exact weights from the model file.
"""
from __future__ import annotations

import os
import re
import string
import struct
import tempfile
import threading
import unicodedata

# pyvi's syllabifier, verbatim (ViTokenizer.sylabelize), compiled once.
_SYLLABLE = re.compile(
    "(" + "|".join([
        r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",
        "==>", "->", r"\.\.\.", ">>", "\n",
        r"\w+://[^\s]+", r"[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+",
        r"\d+(?:[\.,_]\d+)+", r"[^\w\s]", r"\w+",
    ]) + ")",
    re.UNICODE,
)
_PUNCT = frozenset(string.punctuation)


def syllables(text: str) -> list[str]:
    """pyvi's syllables of ``text`` (NFC), in order."""
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text))


class _Model:
    """Weights of pyvi's CRF, summed per syllable and offset, and its two n-gram dictionaries."""

    def __init__(self):
        from pyvi import ViTokenizer as _vt  # loading its model and dictionary takes ~0.3 s

        vt = _vt.ViTokenizer
        self.bi_grams, self.tri_grams = vt.bi_grams, vt.tri_grams
        tagger = vt.model.tagger_
        names = _attribute_names(tagger)
        with open(vt.model.modelfile.name, "rb") as fh:
            blob = fh.read()
        if blob[:4] != b"lCRF" or blob[8:12] != b"FOMC":
            raise RuntimeError("pyvi's model is not a crfsuite CRF1d model")
        off_features = struct.unpack_from("<I", blob, 28)[0]
        if blob[off_features:off_features + 4] != b"FEAT":
            raise RuntimeError("pyvi's model has no feature chunk where its header says")
        (count,) = struct.unpack_from("<I", blob, off_features + 8)
        state: dict[str, list[float]] = {}
        trans = [[0.0, 0.0], [0.0, 0.0]]
        for k in range(count):
            kind, src, dst, weight = struct.unpack_from("<IIId", blob, off_features + 12 + 20 * k)
            if kind == 0:
                state.setdefault(names[src], [0.0, 0.0])[dst] = weight
            else:
                trans[src][dst] = weight
        if list(tagger.labels()) != ["B_W", "I_W"]:
            raise RuntimeError(f"pyvi's model has labels {tagger.labels()}, not B_W, I_W")
        self.trans = trans
        self.state = state
        zero = (0.0, 0.0)
        w = lambda name: tuple(state.get(name, zero))  # noqa: E731
        self.bias = w("bias")
        self.flags = {off: (w(f"{off}word.isupper()"), w(f"{off}word.istitle()"), w(f"{off}word.isdigit()"))
                      for off in ("", "-1:", "+1:")}
        self.bi_prev, self.bi_next = w("-1:word.bi_gram()"), w("+1:word.bi_gram()")
        self.tri_prev, self.tri_next = w("-2:word.tri_gram()"), w("+2:word.tri_gram()")
        self._cache: dict[str, tuple] = {}

    def unigram(self, s: str) -> tuple:
        """(lower, own score, score given to the next syllable, score given to the previous one);
        a score is (B_W, I_W)."""
        hit = self._cache.get(s)
        if hit is not None:
            return hit
        low = s.lower()
        up, title, digit = s.isupper(), s.istitle(), s.isdigit()
        out = [low]
        for off in ("", "-1:", "+1:"):
            # crfsuite reads attribute names as C strings: a NUL ends the name there, as in pyvi
            b, i = self.state.get(f"{off}word.lower():{low}".split("\x00", 1)[0], (0.0, 0.0))
            f_up, f_title, f_digit = self.flags[off]
            if up:
                b, i = b + f_up[0], i + f_up[1]
            if title:
                b, i = b + f_title[0], i + f_title[1]
            if digit and off == "":
                b, i = b + f_digit[0], i + f_digit[1]
            out.append((b, i))
        hit = tuple(out)
        if len(self._cache) < 500_000:
            self._cache[s] = hit
        return hit

    def labels(self, sy: list[str]) -> list[int]:
        """The Viterbi labels (0 = B_W, 1 = I_W) of a syllable sequence."""
        n = len(sy)
        uni = [self.unigram(s) for s in sy]
        low = [u[0] for u in uni]
        b0, i0 = self.bias
        sb = [b0 + u[1][0] for u in uni]
        si = [i0 + u[1][1] for u in uni]
        bi, tri = self.bi_grams, self.tri_grams
        (pb, pi), (nb, ni) = self.bi_prev, self.bi_next
        (tpb, tpi), (tnb, tni) = self.tri_prev, self.tri_next
        for k in range(1, n):
            prev, cur = uni[k - 1], uni[k]
            sb[k] += prev[2][0]
            si[k] += prev[2][1]
            sb[k - 1] += cur[3][0]
            si[k - 1] += cur[3][1]
            if low[k - 1] + " " + low[k] in bi:
                sb[k] += pb
                si[k] += pi
                sb[k - 1] += nb
                si[k - 1] += ni
            if k > 1 and low[k - 2] + " " + low[k - 1] + " " + low[k] in tri:
                sb[k] += tpb
                si[k] += tpi
                sb[k - 2] += tnb
                si[k - 2] += tni
        (tbb, tbi), (tib, tii) = self.trans
        # Viterbi; ties go to the lower label index, as in crfsuite (strict '>' from the first).
        vb, vi = sb[0], si[0]
        back: list[tuple[int, int]] = []
        for k in range(1, n):
            from_b, from_i = vb + tbb, vi + tib
            nb_, bb = (from_b, 0) if not from_i > from_b else (from_i, 1)
            from_b, from_i = vb + tbi, vi + tii
            ni_, bi_ = (from_b, 0) if not from_i > from_b else (from_i, 1)
            back.append((bb, bi_))
            vb, vi = nb_ + sb[k], ni_ + si[k]
        y = 1 if vi > vb else 0
        out = [y]
        for bb, bi_ in reversed(back):
            y = bi_ if y else bb
            out.append(y)
        out.reverse()
        return out


def _attribute_names(tagger) -> list[str]:
    """Attribute names by id, from pycrfsuite's text dump of the model."""
    fd, path = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    try:
        tagger.dump(path)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    finally:
        os.unlink(path)
    section = text.split("ATTRIBUTES = {\n", 1)[1].split("\n}\n\nTRANSITIONS", 1)[0]
    # One "   <id>: <name>" per line, but a name may itself end in a newline (the syllable "\n").
    names = {int(m.group(1)): m.group(2)
             for m in re.finditer(r"(?:^|\n) +(\d+): (.*?)(?=\n +\d+: |\Z)", section, re.S)}
    if sorted(names) != list(range(len(names))):
        raise RuntimeError("pyvi's model dump lists its attributes out of order")
    return [names[i] for i in range(len(names))]


_model: _Model | None = None
_lock = threading.Lock()


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


def tokenize(text: str) -> str:
    """Exactly ``pyvi.ViTokenizer.tokenize(text)``: syllables, the words of more than one joined by
    "_", separated by spaces."""
    sy = syllables(text)
    if not sy:
        return text
    labels = _get_model().labels(sy)
    parts = [sy[0]]
    for k in range(1, len(sy)):
        cur, prev = sy[k], sy[k - 1]
        if (labels[k] == 1 and cur not in _PUNCT and prev not in _PUNCT
                and not cur[0].isdigit() and not prev[0].isdigit()
                and not (cur[0].istitle() and not prev[0].istitle())):
            parts.append("_")
        else:
            parts.append(" ")
        parts.append(cur)
    return "".join(parts)
