"""Import of award decisions from an .xlsx/.csv file in the template's layout (one row per award
line). Every row is checked first; errors name the row and the cell ("dòng 7, cột E (Hình thức
khen thưởng): …"). A file with an error imports nothing unless ``accept_good_rows``; the rows are
written in one transaction, and a line already in the database is counted, not added again."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from awards.catalogue import Award, UnknownAward, default_catalogue, glossary_abbreviations, parse_day
from corpus.errors import UserError

from .columns import Layout, header_key, layout
from .db import Records
from .reading import read_table
from .store import Store, clean
from .units import owner_name

_KINDS = {"ca nhan": "individual", "canhan": "individual", "individual": "individual", "tap the": "collective",
          "collective": "collective", "ho gia dinh": "household", "gia dinh": "household", "household": "household"}
KIND_LABELS = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str          # the letter, as Excel shows it
    header: str
    message: str

    def __str__(self) -> str:
        return f"dòng {self.row}, cột {self.column} ({self.header}): {self.message}"


@dataclass
class Line:
    """One checked row."""
    row: int
    number: str
    date: dt.date
    issuer: str
    signer: str
    award: Award | None          # None for a resistance-war kind
    resistance_kind: str | None
    period: str | None
    recipient_kind: str
    name: str
    unit: str
    year: int | None
    basis: str | None
    achievement: str | None
    method: str
    submitter: str | None
    birth_year: int | None
    letters: dict[str, str] = field(default_factory=dict)   # column key → its letter in the file


@dataclass
class ImportResult:
    added: int = 0
    existing: int = 0
    decisions_added: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    imported: bool = False
    decisions: list[tuple[int, str, dt.date]] = field(default_factory=list)   # (id, số, ngày) of the file's decisions

    def summary(self) -> str:
        return f"{self.added} mới, {self.existing} đã có"


def map_header(cells: list[object], lay: Layout, source: str) -> dict[str, int]:
    """{column key: index} from the header row; fails naming the required columns it lacks."""
    names = {header_key(c.header): c.key for c in lay.columns}
    names.update({header_key(a): c.key for c in lay.columns for a in c.aliases})
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = names.get(header_key(cell))
        if key and key not in found:
            found[key] = i
    missing = [c.header for c in lay.columns if c.required and c.key not in found]
    if missing:
        raise UserError(f"{source}: dòng tiêu đề thiếu cột {', '.join(missing)} (the header row lacks these "
                        "columns): dùng mẫu `tdkt records template MAU.xlsx`")
    return found


class Row:
    """One data row of a file: its cells by column key, and the errors found in them."""

    def __init__(self, number: int, cells: list[object], where: dict[str, int], lay: Layout):
        self.number, self.cells, self.where, self.lay = number, cells, where, lay
        self.errors: list[RowError] = []

    def raw(self, key: str) -> Any:
        i = self.where.get(key)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def text(self, key: str, required: bool = False) -> str | None:
        v = self.raw(key)
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        t = clean(v) if v is not None else ""
        if required and not t:
            self.error(key, "ô trống, phải ghi" + (f" (ví dụ: {self.lay.column(key).example})"
                                                  if self.lay.column(key).example else ""))
        return t or None

    def errors_for(self, key: str) -> bool:
        header = self.lay.column(key).header
        return any(e.header == header for e in self.errors)

    def error(self, key: str, message: str) -> None:
        i = self.where.get(key)
        letter = get_column_letter(i + 1) if i is not None else "—"
        self.errors.append(RowError(self.number, letter, self.lay.column(key).header, message))


def check_row(row: Row) -> Line | None:
    number, issuer, signer = row.text("number", True), row.text("issuer", True), row.text("signer", True)
    name, unit = row.text("name", True), row.text("unit", True)
    day = _date(row)
    kind = _recipient_kind(row)
    award, resistance, period = _award(row, kind)
    year = _year(row, "year", required=False)
    achievement = row.text("achievement")
    if year is None and not achievement and resistance is None and not row.errors_for("year"):
        row.error("year", "ghi Năm của thành tích (hoặc ghi cột Thành tích)")
    birth = _year(row, "birth_year", required=False, low=1890)
    method = _method(row)
    if row.errors:
        return None
    if number and number.lower().startswith("số "):
        number = number[3:].strip()
    return Line(row=row.number, number=number, date=day, issuer=issuer, signer=signer, award=award,
                resistance_kind=resistance, period=period, recipient_kind=kind, name=name, unit=unit, year=year,
                basis=_basis(row.raw("basis")), achievement=achievement, method=method,
                submitter=row.text("submitter"), birth_year=birth)


def _date(row: Row) -> dt.date | None:
    v = row.raw("date")
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    t = row.text("date", True)
    if not t:
        return None
    try:
        day = parse_day(t.replace(".", "/").replace("-", "/") if "/" in t or "." in t else t)
    except UserError:
        row.error("date", f"“{t}” không phải ngày: ghi ngày/tháng/năm (15/01/2025) hoặc 2025-01-15")
        return None
    if not dt.date(1945, 1, 1) <= day <= dt.date.today() + dt.timedelta(days=366):
        row.error("date", f"ngày {day:%d/%m/%Y} ngoài khoảng hợp lý (từ 1945 đến nay)")
    return day


def _recipient_kind(row: Row) -> str | None:
    t = row.text("recipient_kind", True)
    if t is None:
        return None
    kind = _KINDS.get(header_key(t))
    if kind is None:
        row.error("recipient_kind", f"“{t}”: ghi cá nhân, tập thể hoặc hộ gia đình")
    return kind


def _award(row: Row, kind: str | None) -> tuple[Award | None, str | None, str | None]:
    t = row.text("award", True)
    if t is None:
        return None, None, None
    lay = row.lay
    key = header_key(t)
    for kkey, kname in lay.resistance_kinds.items():
        if key == kkey or key.startswith(kkey + " "):
            return None, kname, _period(row, key[len(kkey):])
    try:
        award = _find_award(t)
    except UnknownAward as exc:
        row.error("award", f"không có “{t}” trong danh mục khen thưởng"
                  + (f"; có phải: {'; '.join(exc.suggestions)}?" if exc.suggestions else " (xem `tdkt award --list`)"))
        return None, None, None
    except UserError as exc:
        row.error("award", str(exc))
        return None, None, None
    if kind and kind not in award.recipients:
        row.error("award", f"“{award.name}” không dành cho {KIND_LABELS[kind]} "
                  f"(chỉ cho {', '.join(KIND_LABELS[r] for r in award.recipients)})")
    return award, None, None


@lru_cache(maxsize=4096)
def _find_award(text: str) -> Award:
    """The catalogue's award for a cell's text (the same few names repeat down a file)."""
    return default_catalogue().find(text, glossary_abbreviations())


def _period(row: Row, rest: str) -> str | None:
    lay = row.lay
    t = row.text("period")
    for words in ([header_key(t)] if t else []) + [rest.strip()]:
        for w, label in lay.periods.items():
            if words and (words == w or w in words):
                return label
    row.error("period" if "period" in row.where else "award",
              "khen thưởng kháng chiến phải ghi thời kỳ: chống Pháp hoặc chống Mỹ")
    return None


def _year(row: Row, key: str, required: bool, low: int = 1945) -> int | None:
    v = row.raw(key)
    if v is None or str(v).strip() == "":
        return None
    try:
        f = float(str(v).strip())
        year = int(f)
        if year != f:
            raise ValueError
    except ValueError:
        row.error(key, f"“{clean(v)}” không phải năm (ví dụ: 2024)")
        return None
    if not low <= year <= dt.date.today().year + 1:
        row.error(key, f"năm {year} ngoài khoảng {low}–{dt.date.today().year + 1}")
        return None
    return year


def _method(row: Row) -> str:
    t = row.text("method")
    if not t:
        return "thuong_xuyen"
    m = row.lay.method_words.get(header_key(t))
    if m is None:
        row.error("method", f"“{t}”: ghi {', '.join(row.lay.methods.values()).lower()}")
        return "thuong_xuyen"
    return m


def _basis(v: Any) -> str | None:
    if v is None:
        return None
    lines = [clean(x) for x in str(v).splitlines()]
    return "\n".join(x for x in lines if x) or None


def check_file(path: Path) -> tuple[list[Line], list[RowError], int]:
    """The checked lines of a file, the errors of its bad rows, and its number of data rows."""
    lay = layout()
    header, rows = read_table(path)
    where = map_header(header, lay, str(path))
    lines, errors, count = [], [], 0
    first: dict[tuple, Line] = {}
    for number, cells in rows:
        count += 1
        r = Row(number, cells, where, lay)
        line = check_row(r)
        if line is not None:
            line.letters = {k: get_column_letter(i + 1) for k, i in where.items()}
            prior = first.setdefault((line.number, line.issuer, line.date), line)
            if prior.signer != line.signer:
                r.error("signer", f"quyết định {line.number} ở dòng {prior.row} ghi người ký “{prior.signer}”")
                line = None
        errors += r.errors
        if line is not None:
            lines.append(line)
    if count == 0:
        raise UserError(f"{path}: chỉ có dòng tiêu đề, không có dòng dữ liệu nào")
    return lines, errors, count


OwnerCheck = Callable[[str], "str | None"]   # the owning unit's name → None when allowed, else why not


def refuse_not_owned(lines: list[Line], may_own: OwnerCheck) -> tuple[list[Line], list[RowError]]:
    """The lines whose decision's owning unit (records.units.owner_name) ``may_own`` allows, and
    an error on the issuer's (or the cơ quan trình's) cell of each other line."""
    lay, kept, refused, asked = layout(), [], [], {}
    for line in lines:
        owner = owner_name(line.issuer, line.submitter)
        if owner not in asked:
            asked[owner] = may_own(owner)
        why = asked[owner]
        if why is None:
            kept.append(line)
            continue
        key = "submitter" if owner != clean(line.issuer) else "issuer"
        refused.append(RowError(line.row, line.letters.get(key, "—"), lay.column(key).header, why))
    return kept, refused


def import_file(db: Records, path: Path, actor: str, accept_good_rows: bool = False,
                may_own: OwnerCheck | None = None) -> ImportResult:
    """Check every row of the file, then import it in one transaction (nothing when a row is bad,
    unless ``accept_good_rows``). ``may_own``: who imports may write only the decisions of the
    units it allows (an officer's units); a line of another unit's decision is a row error."""
    lines, errors, count = check_file(Path(path))
    if may_own is not None:
        lines, refused = refuse_not_owned(lines, may_own)
        errors = sorted(errors + refused, key=lambda e: e.row)
    result = ImportResult(errors=errors, rows=count)
    if errors and not accept_good_rows:
        return result
    with db.session(actor=actor) as s, s.no_autoflush:
        # no flush before each lookup query: Store caches what it created and flushes when a new
        # recipient's id is needed, so a 10,000-line file costs a few thousand statements, not 3×
        store = Store(s)
        for line in lines:
            store_line(store, line, result)
        s.flush()
        result.decisions = [(d.id, d.number, d.date) for d in store.decisions.values()]
    result.imported = True
    return result


def store_line(store: Store, line: Line, result: ImportResult) -> None:
    owner = store.unit(owner_name(line.issuer, line.submitter))
    level = line.award.level if line.award else "Nhà nước"
    d, new = store.decision(line.number, line.issuer, line.date, signer=line.signer, level=level,
                            basis=line.basis, submitter=line.submitter or line.issuer, owner_unit=owner)
    result.decisions_added += new
    unit = store.unit(line.unit)
    if line.recipient_kind == "individual":
        recipient = store.person(line.name, unit, line.birth_year)
    else:
        recipient = store.collective(line.name, unit, kind=line.recipient_kind)
    if line.award is None:
        added = store.add_resistance(d, recipient, line.resistance_kind, line.period)
    else:
        added = store.add_line(d, recipient, store.award_kind(line.award), year=line.year,
                               achievement=line.achievement, method=line.method)
    if added:
        result.added += 1
    else:
        result.existing += 1
