"""Reading an import file (.xlsx with openpyxl in read-only mode, or .csv) into its header row
and data rows. A file that is not a spreadsheet, is empty or too big is a clear UserError."""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from corpus.errors import UserError

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


def read_table(path: Path) -> tuple[list[object], Iterator[tuple[int, list[object]]]]:
    """(header cells, iterator of (row number as Excel shows it, cells)). Blank rows are skipped."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: không có tệp này (file not found)")
    size = path.stat().st_size
    if size == 0:
        raise UserError(f"{path}: tệp rỗng (empty file): dùng mẫu `tdkt records template MAU.xlsx`")
    if size > MAX_BYTES:
        raise UserError(f"{path}: tệp quá lớn ({size // (1024 * 1024)} MB, tối đa {MAX_BYTES // (1024 * 1024)} MB): "
                        "chia thành nhiều tệp")
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _xlsx_rows(path)
    numbered = ((n, cells) for n, cells in rows if any(_filled(c) for c in cells))
    try:
        first = next(numbered)
    except StopIteration:
        raise UserError(f"{path}: không có dòng nào (no rows): dòng 1 phải là dòng tiêu đề của mẫu") from None
    return first[1], _limited(path, numbered)   # the header is the first non-blank row


def _limited(path: Path, rows: Iterator[tuple[int, list[object]]]) -> Iterator[tuple[int, list[object]]]:
    for i, row in enumerate(rows):
        if i >= MAX_ROWS:
            raise UserError(f"{path}: quá {MAX_ROWS} dòng: chia thành nhiều tệp")
        yield row


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    if not zipfile.is_zipfile(path):
        raise UserError(f"{path}: không phải tệp Excel .xlsx (not an .xlsx workbook): lưu lại dưới dạng .xlsx hoặc .csv")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{path}: không đọc được tệp Excel ({exc.__class__.__name__}): lưu lại dưới dạng .xlsx") from None
    ws = wb.worksheets[0]

    def rows():
        try:
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                yield n, list(row)
        finally:
            wb.close()
    return rows()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise UserError(f"{path}: không phải tệp CSV văn bản (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{path}: tệp CSV không phải UTF-8: lưu lại với mã UTF-8") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return ((n, row) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1))
