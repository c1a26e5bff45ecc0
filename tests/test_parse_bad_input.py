"""Bad input: every refused file gives one clear SourceError naming the file; legacy encodings are
decoded; a folder with good and bad files still yields the good documents."""
import codecs
import shutil
import unicodedata
from pathlib import Path

import pytest

import corpus.parse
from corpus.decode import decode_bytes, decode_bytes_with_warnings
from corpus.errors import SourceError
from corpus.parse import parse_file, read_source
from corpus.sources import DOCUMENTS_DIR, SourceFile, iter_sources
from corpus.vntext import nfc

SEED = DOCUMENTS_DIR / "seeds" / "002_b45f17150180dec5.txt"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Word files wrote it: letters with their shape (â ê ô ă ơ ư đ)
    precomposed, tone marks as separate combining characters (the code page has no room for more)."""
    out = []
    for ch in nfc(text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def source(tmp_path: Path, name: str, data: bytes) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    return SourceFile(path=path, rel=name)


@pytest.mark.parametrize("name,data,problem", [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b"  \n\n \t\n", "file is empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "looks binary"),
    ("garbage.txt", bytes((i * 37 + 11) % 256 or 1 for i in range(4000)), None),
])
def test_refused_files_name_the_file_and_the_problem(tmp_path, name, data, problem):
    with pytest.raises(SourceError) as err:
        parse_file(source(tmp_path, name, data))
    assert err.value.path == name and str(err.value).startswith(f"{name}: ")
    if problem:
        assert problem in err.value.problem
    else:
        assert err.value.problem.startswith(("looks binary", "cannot be decoded"))


def test_windows_1258_file_decodes_to_the_same_text(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    data = cp1258_bytes(text)
    assert data != text.encode("utf-8")
    decoded, warnings = decode_bytes_with_warnings(data, "legacy.txt")
    assert decoded == nfc(text)
    assert "Windows-1258" in warnings[0]
    result = parse_file(source(tmp_path, "legacy.txt", data))
    assert result.documents[0].symbol == "12/KH-UBND"
    assert result.documents[0].issuer == "Uỷ ban nhân dân tỉnh Lạng Sơn"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-16-le", b""), ("utf-16-be", b"")])
def test_utf16_with_and_without_bom(tmp_path, encoding, bom):
    text = SEED.read_text(encoding="utf-8")
    result = parse_file(source(tmp_path, "wide.txt", bom + text.encode(encoding)))
    assert result.documents[0].symbol == "12/KH-UBND"
    assert result.documents[0].date.iso() == "2013-01-24"


def test_utf8_bom_is_dropped():
    assert decode_bytes(codecs.BOM_UTF8 + "Số: 12/KH-UBND".encode(), "bom.txt") == "Số: 12/KH-UBND"


def test_decomposed_utf8_becomes_nfc():
    assert decode_bytes(unicodedata.normalize("NFD", "Kế hoạch").encode(), "nfd.txt") == "Kế hoạch"


def test_a_few_bad_bytes_are_replaced_with_a_warning():
    data = SEED.read_bytes()
    damaged = data[:500] + b"\xff" + data[500:]
    text, warnings = decode_bytes_with_warnings(damaged, "damaged.txt")
    assert "\ufffd" in text and "damaged.txt" in warnings[0] and "replaced" in warnings[0]


def test_50_mb_file_is_refused_from_its_size_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:       # sparse: no 50 MB in memory or on disk
        fh.truncate(50_000_000)
    def never(*args, **kwargs):
        raise AssertionError("the file was opened")
    monkeypatch.setattr(corpus.parse, "open", never, raising=False)
    with pytest.raises(SourceError) as err:
        read_source(SourceFile(path=path, rel="huge.txt"))
    assert err.value.path == "huge.txt"
    assert "50.0 MB" in err.value.problem and "20 MB" in err.value.problem


def test_decode_bytes_refuses_oversized_data():
    with pytest.raises(SourceError, match="limit for one document"):
        decode_bytes(b"x" * 2001, "big.txt", max_bytes=2000)


def test_folder_with_good_and_bad_files_still_parses_the_good_ones(tmp_path):
    shutil.copy(DOCUMENTS_DIR / "seeds" / "000_a299be4920220d80.txt", tmp_path / "a_good.txt")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "d_legacy.txt").write_bytes(cp1258_bytes(SEED.read_text(encoding="utf-8")))
    parsed, refused = {}, {}
    for src in iter_sources(tmp_path):
        try:
            parsed[src.rel] = parse_file(src)
        except SourceError as exc:
            refused[src.rel] = exc.problem
    assert sorted(refused) == ["b_empty.txt", "c_binary.txt"]
    assert [d.symbol for d in parsed["a_good.txt"].documents] == ["1419/VKS-VP", "200/KH-UBND"]
    assert parsed["d_legacy.txt"].documents[0].symbol == "12/KH-UBND"


def test_a_huge_flat_file_parses_in_linear_time():
    """300 000 one-word lines once took minutes (quadratic string growth); 4× the input must cost
    far less than 16× the time."""
    import time
    from corpus.parse import parse_text

    def seconds(n: int) -> float:
        t = time.perf_counter()
        parse_text("thi đua\n\n" * n, "flat.txt")
        return time.perf_counter() - t

    small, large = seconds(5000), seconds(20000)
    assert large < max(8 * small, 0.5)
