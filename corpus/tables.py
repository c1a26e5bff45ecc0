"""Tables recovered as rows of cells from the three shapes the corpus flattens them into.

- tab-separated rows (seed 001's appendix, copied from Word): header row repeated on every page,
  group rows ("I. NÂNG CAO …" followed by empty cells);
- "|"-separated rows (thuvienphapluat copies, e.g. the scoring table of 157/KH-UBND), sometimes a
  whole table on ONE line: the header is the leading run of all-caps cells and a row starts at
  its index cell (I, II … or 1, 2 …);
- a task table flattened to one cell per line (seed 002, Kế hoạch 12/KH-UBND): "TT" / "Nội dung
  nhiệm vụ chủ yếu" / "Đơn vị thực hiện" / "QUÝ I" / "1" / task / "- unit;" …

Group headings (QUÝ I, I. NÂNG CAO …) are rows with a single cell: a heading spanning the table.
Each table becomes its own "table" section whose text is the rows as "cell | cell" lines, so search
finds the words and the renderer can draw a real table.
"""
from __future__ import annotations

import re

from .clean import is_all_caps
from .models import Table

_ROMAN = r"[IVXLC]+"
_INDEX = re.compile(rf"^(?:\d+|{_ROMAN})\.?$")
_QUARTER = re.compile(r"^(?:QUÝ|Quý)\s+[IV]+$")
# The end of a flattened task table: the next Roman heading, a Điều, or the closing block.
_TABLE_END = re.compile(rf"^(?:{_ROMAN}\.\s|Điều\s+\d|Nơi nhận|Chương\s|CHƯƠNG\s)")
# A short "- unit;" line at the end of a task row names who carries it out.
MAX_UNIT_LINE = 60

Item = "str | Table"


def extract_tables(lines: list[str]) -> list:
    """Lines in, lines and Table objects out (in reading order)."""
    out: list = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if "\t" in ln:
            j = _run_end(lines, i, lambda s: "\t" in s)
            out.append(_tab_table(lines[i:j]))
            i = j
        elif ln.startswith("|"):
            j = _run_end(lines, i, lambda s: s.startswith("|"))
            out.append(_pipe_table(lines[i:j]))
            i = j
        elif ln.strip() in {"TT", "STT"}:
            found = _task_table(lines, i)
            if found is None:
                out.append(ln)
                i += 1
            else:
                table, i = found
                out.append(table)
        else:
            out.append(ln)
            i += 1
    return out


def _run_end(lines: list[str], i: int, is_row) -> int:
    """End (exclusive) of a run of table rows, blank lines inside the run allowed."""
    j = i
    last = i
    while j < len(lines) and (is_row(lines[j]) or not lines[j].strip()):
        if lines[j].strip():
            last = j
        j += 1
    return last + 1


def _cells(line: str, sep: str) -> list[str]:
    cells = [re.sub(r"\s+", " ", c).strip() for c in line.split(sep)]
    if sep == "|":
        cells = cells[1:] if cells and not cells[0] else cells
        cells = cells[:-1] if cells and not cells[-1] else cells
    return cells


def _tab_table(rows: list[str]) -> Table:
    parsed = [_cells(r, "\t") for r in rows if r.strip()]
    header = parsed[0]
    body = []
    for cells in parsed[1:]:
        if cells == header:
            continue  # header repeated at the top of each printed page
        while len(cells) > len(header) and not cells[-1]:
            cells.pop()
        if cells and all(not c for c in cells[1:]):
            body.append([cells[0]])
        else:
            body.append(cells)
    return Table(id="", section_id=None, header=header, rows=body)


def _pipe_table(rows: list[str]) -> Table:
    parsed = [_cells(r, "|") for r in rows if r.strip()]
    if len(parsed) == 1 and len(parsed[0]) > 6:
        flat = _unflatten(parsed[0])
        if flat:
            return flat
    return Table(id="", section_id=None, header=parsed[0], rows=parsed[1:])


def _unflatten(cells: list[str]) -> Table | None:
    """A whole table on one "|" line: header = leading all-caps cells; rows start at index cells."""
    n = 0
    while n < len(cells) and is_all_caps(cells[n]) and not _INDEX.match(cells[n]):
        n += 1
    if n < 2:
        return None
    rows: list[list[str]] = []
    for cell in cells[n:]:
        if not rows or len(rows[-1]) >= n or (len(rows[-1]) >= n - 1 and _INDEX.match(cell)):
            rows.append([cell])
        else:
            rows[-1].append(cell)
    return Table(id="", section_id=None, header=cells[:n], rows=rows)


def _task_table(lines: list[str], start: int) -> tuple[Table, int] | None:
    """Seed 002's flattened plan table; None when the lines after "TT" do not fit the pattern."""
    idx = [k for k in range(start, len(lines)) if lines[k].strip()]
    header: list[str] = []
    pos = 0
    while pos < len(idx) and len(header) < 8:
        s = lines[idx[pos]].strip()
        if _QUARTER.match(s) or s.isdigit() or len(s) > 50:
            break
        header.append(s)
        pos += 1
    if len(header) < 2:
        return None
    rows: list[list[str]] = []
    cur: list[str] | None = None
    expected = 1
    end = idx[pos] if pos < len(idx) else len(lines)
    for k in idx[pos:]:
        s = lines[k].strip()
        if _TABLE_END.match(s):
            break
        end = k + 1
        if _QUARTER.match(s):
            cur = None
            rows.append([s])
        elif s.isdigit() and int(s) == expected:
            cur = [s]
            rows.append(cur)
            expected += 1
        elif cur is not None:
            cur.append(s)
        else:
            return None
    if expected == 1:
        return None
    body = [r if len(r) == 1 and not r[0].isdigit() else _task_row(r, len(header)) for r in rows]
    return Table(id="", section_id=None, header=header, rows=body), end


def _task_row(lines: list[str], ncols: int) -> list[str]:
    """[number, task, units]: units are the trailing short "- …" lines; the task the rest."""
    number, rest = lines[0], lines[1:]
    if ncols < 3 or not rest:
        return [number, " ".join(rest)]
    k = len(rest)
    while k > 1 and rest[k - 1].startswith("-") and len(rest[k - 1]) <= MAX_UNIT_LINE:
        k -= 1
    return [number, " ".join(rest[:k]), " ".join(rest[k:])]


def table_text(table: Table) -> str:
    """Rows as "cell | cell" lines: the searchable text of a table section."""
    lines = [" | ".join(table.header)] if table.header else []
    lines += [" | ".join(r) for r in table.rows]
    return "\n".join(lines)
