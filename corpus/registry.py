"""The registry of known documents: the central texts (corpus/data/registry.yaml, edited by a domain
expert), the corpus's own documents, and the documents known only from what the corpus says about
them. ``Registry.lookup(citation)`` says which one a citation names — or that it cannot tell.

A number alone never identifies a document: every province has a "12/KH-UBND" each year, Party
numbers restart every term. Lookup narrows candidates by symbol, year/date, issuer and province,
and answers "ambiguous" with the candidates rather than guess.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .ids import document_id
from .models import Citation, Document, PartialDate
from .learned import load as load_learned
from .national import load as load_national
from .symbols import canonical_symbol
from .vntext import fold

REGISTRY_FILE = Path(__file__).parent / "data" / "registry.yaml"
ENDED = {"superseded", "expired"}
# Issuer codes of local bodies: their numbers restart in every province, so the province matters.
LOCAL_CODES = {"UBND", "HĐND", "TU", "HU", "ĐU", "SNV", "VP", "VKS"}


def key(canonical: str | None) -> str:
    """The matching form of a canonical symbol or a law's name: folded, no spaces."""
    return re.sub(r"\s+", "", fold(canonical or ""))


def _name_key(name: str) -> str:
    """A law's name for matching: folded, no punctuation, the head word once ("Luật Luật sửa đổi …")."""
    k = " ".join(re.sub(r"[,.;:]", " ", fold(name)).split())
    return re.sub(r"^(luat|bo luat|phap lenh) \1 ", r"\1 ", k)


def _name_similarity(a: str, b: str) -> float:
    """How alike two folded names are: characters in order (a typo costs little), and a name whose
    words all occur, in order, at the start of the other ("bo luat hang hai" / "… viet nam") scores 0.9."""
    ratio = SequenceMatcher(None, a, b).ratio()
    short, long_ = sorted((a.split(), b.split()), key=len)
    if len(short) >= 3 and long_[:len(short)] == short:
        ratio = max(ratio, 0.9)
    return ratio


@dataclass
class RegistryEntry:
    """One known document."""

    id: str
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    canonical: str | None = None
    date: str | None = None          # ISO, or a prefix ("2024") when only that is known
    issuer: str | None = None
    title: str = ""
    aliases: list[str] = field(default_factory=list)
    status: dict[str, Any] = field(default_factory=lambda: {"state": "unknown"})
    in_corpus: bool = False
    corpus_doc_id: str | None = None
    relations: list[dict[str, Any]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    effective: str | None = None
    province: str | None = None
    origin: str = "registry"         # registry | national | learned (from texts' căn cứ lines) | corpus | cited (known only from citations)

    @property
    def year(self) -> int | None:
        if self.date and self.date[:4].isdigit():
            return int(self.date[:4])
        m = re.search(r"/((?:19|20)\d\d)/", self.canonical or "")
        return int(m.group(1)) if m else None

    @property
    def ended(self) -> bool:
        return self.status.get("state") in ENDED

    def date_display(self) -> str | None:
        if not self.date:
            return None
        parts = [int(p) for p in self.date.split("-")]
        return PartialDate(*parts).display() if len(parts) == 3 else self.date

    def full_form(self) -> str | None:
        """The standard citation, ready to copy: "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị
        về tiếp tục đổi mới công tác thi đua, khen thưởng"."""
        if not self.canonical or not self.doc_type:
            return None
        when = f" ngày {self.date_display()}" if self.date and len(self.date) == 10 else ""
        if self.doc_type in ("Luật", "Bộ luật", "Pháp lệnh"):
            # a law's full form is its name and date ("Bộ luật Lao động số 45/2019/QH14 ngày …"); the
            # national titles sometimes repeat the kind ("Bộ Luật lao động")
            title = re.sub(rf"(?i)^{self.doc_type}\s+", "", self.title or "").strip()
            head = title[:1].lower() if fold(title).startswith("sua doi") else title[:1].upper()
            name = f" {head}{title[1:]}" if title else ""
            return f"{self.doc_type}{name} số {self.canonical}{when}"
        by = f" của {self.issuer}" if self.issuer else ""
        about = f" {_cited_title(self.title)}" if self.title else ""
        return f"{self.doc_type} số {self.canonical}{when}{by}{about}"

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON, with its ready-to-copy ``full_form`` (ignored when read back)."""
        return asdict(self) | {"full_form": self.full_form()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RegistryEntry":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Resolution:
    """What a citation names: one entry, or candidates it could be, with the status to show."""

    entry: RegistryEntry | None
    candidates: list[RegistryEntry] = field(default_factory=list)
    status: str = "unknown"          # in_corpus | known | unknown | ambiguous | superseded
    note: str | None = None

    @property
    def target(self) -> str | None:
        return self.entry.id if self.entry else None


# A trích yếu that already reads after "của <issuer>" without "về" (NĐ 30/2020: "… của Chính phủ quy
# định chi tiết …"); any other title copied from a document's heading takes "về".
_TITLE_VERBS = ("về ", "v/v", "quy định", "hướng dẫn", "sửa đổi", "ban hành", "phê duyệt", "bãi bỏ")


def _cited_title(title: str) -> str:
    """The trích yếu as a citation continues with it: a document's own heading ("Triển khai thực
    hiện Chỉ thị …") becomes "về triển khai thực hiện Chỉ thị …"; a registry title is kept."""
    title = title.strip()
    if not title[:1].isupper():
        return title
    lowered = title[:1].lower() + title[1:]
    return lowered if lowered.startswith(_TITLE_VERBS) else f"về {lowered}"


# Fields of registry.yaml kept for its editors (seed ids, files a fact was checked in) and never
# carried to users: status sources and notes are written for officers, in Vietnamese.
EDITORS_ONLY = frozenset({"maintainer_note"})


def _entry_from_yaml(raw: dict[str, Any]) -> RegistryEntry:
    canonical, number, year, implied = canonical_symbol(raw["symbol"])
    date = str(raw["date"]) if raw.get("date") else None
    if date and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", date):
        raise ValueError(f"date {date!r} is not ISO (YYYY-MM-DD)")
    year = year or (int(date[:4]) if date else None)
    status = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
              for k, v in dict(raw.get("status") or {"state": "unknown"}).items() if k not in EDITORS_ONLY}
    return RegistryEntry(
        id=raw.get("id") or document_id(canonical, year, raw["symbol"]), doc_type=raw.get("type") or implied,
        number=number, symbol=raw["symbol"], canonical=canonical, date=date, issuer=raw.get("issuer"),
        title=raw.get("title") or "", aliases=list(raw.get("aliases") or []), status=status,
        relations=[{k: v for k, v in r.items() if k not in EDITORS_ONLY} for r in raw.get("relations") or []], examples=list(raw.get("examples") or []),
        effective=str(raw["effective"]) if raw.get("effective") else None, province=raw.get("province"))


def _learned_entries(known: set[str], problems: list[str]) -> list[RegistryEntry]:
    """The laws learned from texts' căn cứ lines (corpus/data/learned_laws.yaml), except those an
    editor's or the national entry already names."""
    out = []
    for r in load_learned():
        try:
            e = _entry_from_yaml(r)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(f"learned_laws.yaml: {r!r:.60} skipped: {exc}")
            continue
        if key(e.canonical) not in known:
            e.origin = "learned"
            out.append(e)
    return out


class Registry:
    """Known documents by id, with indexes by canonical symbol and by law name."""

    def __init__(self, entries: list[RegistryEntry] | None = None):
        self.entries: list[RegistryEntry] = []
        self._by_id: dict[str, RegistryEntry] = {}
        self._by_key: dict[str, list[RegistryEntry]] = {}
        self._by_name: dict[str, list[RegistryEntry]] = {}   # a law's name (folded) → its entries
        self._laws_by_date: dict[str, list[RegistryEntry]] = {}   # date and year → the laws (entries with names)
        self._codified: dict[str, bool] = {}
        self.problems: list[str] = []
        for e in entries or []:
            self.add(e)

    # --- building -----------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str = REGISTRY_FILE, national: bool | None = None) -> "Registry":
        """The registry data file, then the national registry (corpus/national.py: the editor's entry
        wins where both name a document; by default only with the bundled data file — another file
        is loaded alone unless ``national`` is true). An entry an editor got wrong (no symbol, a bad date) is
        skipped and named in ``problems``; the others still load."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        entries, problems = [], []
        for i, r in enumerate(raw if isinstance(raw, list) else []):
            try:
                entries.append(_entry_from_yaml(r))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                label = r.get("symbol") if isinstance(r, dict) else r
                problems.append(f"{Path(path).name}: entry {i + 1} ({label!r}) skipped: {type(exc).__name__}: {exc}")
        if not isinstance(raw, list):
            problems.append(f"{Path(path).name}: expected a list of entries")
        if national is None:
            national = Path(path).resolve() == REGISTRY_FILE.resolve()
        if national:
            skipped = 0
            for r in load_national():
                try:
                    e = _entry_from_yaml(r)
                except (KeyError, TypeError, ValueError, AttributeError):
                    skipped += 1
                    continue
                e.origin = "national"
                entries.append(e)
            if skipped:
                problems.append(f"national_documents.jsonl.gz: {skipped} row(s) skipped (no usable number or date)")
            entries += _learned_entries({key(e.canonical) for e in entries if e.canonical}, problems)
        registry = cls(entries)
        registry.problems = problems
        return registry

    def add(self, entry: RegistryEntry) -> RegistryEntry:
        """Add an entry (an id already present is kept: the first source wins)."""
        if entry.id in self._by_id:
            return self._by_id[entry.id]
        self.entries.append(entry)
        self._by_id[entry.id] = entry
        if entry.canonical:
            self._by_key.setdefault(key(entry.canonical), []).append(entry)
        for name in dict.fromkeys(_name_key(a) for a in entry.aliases):
            self._by_name.setdefault(name, []).append(entry)
        if entry.aliases and entry.date:
            for k in dict.fromkeys((entry.date, entry.date[:4])):
                self._laws_by_date.setdefault(k, []).append(entry)
        return entry

    def by_canonical(self, canonical: str) -> list[RegistryEntry]:
        """The entries with this number and symbol ("152/2025/NĐ-CP"), spacing and case aside."""
        return list(self._by_key.get(key(canonical), []))

    def get(self, entry_id: str) -> RegistryEntry | None:
        return self._by_id.get(entry_id)

    entry = get   # the site asks registry.entry(id)

    def add_corpus_documents(self, docs: list[Document]) -> None:
        """Mark the registry entries the corpus contains, and add every other corpus document."""
        for doc in docs:
            canonical = canonical_symbol(doc.symbol)[0] if doc.symbol else None
            same = [e for e in self._by_key.get(key(canonical), []) if canonical] if canonical else []
            same = [e for e in same if e.year in (None, doc.year) or doc.year is None]
            if len(same) > 1 and doc.year is None:
                same = []                   # an undated document cannot be told apart: keep it separate
            if same:
                e = same[0]
                if not e.in_corpus or (self._codified.get(e.id) and not doc.codified):
                    e.in_corpus, e.corpus_doc_id = True, doc.id     # prefer a full text over a codified one
                    self._codified[e.id] = doc.codified
                e.title = e.title or doc.title
                e.province = e.province or doc.province
                if not e.date and doc.date:
                    e.date = doc.date.iso()
                continue
            self.add(RegistryEntry(
                id=doc.id, doc_type=doc.doc_type, number=doc.number, symbol=doc.symbol, canonical=canonical,
                date=doc.date.iso() if doc.date else None, issuer=doc.issuer, title=doc.title,
                in_corpus=True, corpus_doc_id=doc.id, province=doc.province, origin="corpus",
                status={"state": "unknown"}))

    def same_document(self, doc: Document) -> RegistryEntry | None:
        """The entry of the document a corpus text is a copy of (same symbol and year), if one."""
        canonical = canonical_symbol(doc.symbol)[0] if doc.symbol else None
        same = [e for e in self._by_key.get(key(canonical), []) if e.year in (None, doc.year)] if canonical else []
        return same[0] if len(same) == 1 else None

    # --- lookup -------------------------------------------------------------------------------
    def match_law_name(self, name: str, date: str | None) -> RegistryEntry | None:
        """"Luật Thi đua, khen thưởng" + "2003-11-26" → 15/2003/QH11. The date (or year) must match:
        the same name names the 2003 and the 2022 law."""
        return self.law_by_name(name, date)[0]

    def law_by_name(self, name: str, date: str | None) -> tuple[RegistryEntry | None, str | None]:
        """The law a name + date (or year) names, and a note when the name matched only tolerantly.

        Exact (folded) name first. Otherwise the laws of that date (or year) are compared with the
        name: a small typo ("Luât", "Tổ chức chính quyền địa phưong"), a word more or less
        ("Bộ luật hàng hải Việt Nam" for "Bộ luật Hàng hải") still names the one law adopted that
        day — said in the note, so an officer sees what was matched. Never a guess between two."""
        if not date:
            return None, None
        want = _name_key(name)
        hits = self._by_name.get(want, [])  # an index: at 100k sections a scan per citation took minutes
        exact = [e for e in hits if e.date == date]
        if len(exact) == 1:
            return exact[0], None
        by_year = [e for e in hits if e.year == int(date[:4])]
        if len(by_year) == 1:
            return by_year[0], None
        if hits:
            return None, None
        return self._tolerant_law(want, date)

    def _tolerant_law(self, want: str, date: str) -> tuple[RegistryEntry | None, str | None]:
        same_day = len(date) == 10
        pool = self._laws_by_date.get(date if same_day else date[:4], [])
        scored = []
        for e in pool:
            best = max((_name_similarity(want, _name_key(a)) for a in e.aliases), default=0.0)
            scored.append((best, e))
        scored.sort(key=lambda x: -x[0])
        if not scored:
            return None, None
        best, e = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best >= (0.8 if same_day else 0.92) and best - runner_up >= 0.1:
            alias = max(e.aliases, key=lambda a: _name_similarity(want, _name_key(a)))
            return e, f"tên luật viết gần đúng; tên trong danh mục: “{alias}”"
        return None, None

    def lookup(self, citation: Citation, province: str | None = None, citing_year: int | None = None) -> Resolution:
        """The entry a citation names. ``province``/``citing_year`` are the citing document's: "UBND
        tỉnh" without a name means its own province, and a document cannot cite a later one."""
        if citation.target and citation.short_form and self.get(citation.target):
            return self._resolved(self.get(citation.target))
        cands = list(self._by_key.get(key(citation.canonical), []))
        tolerant = None
        if not cands and citation.doc_type in ("Luật", "Bộ luật", "Pháp lệnh") and citation.canonical:
            law, tolerant = self.law_by_name(citation.canonical, citation.date or (str(citation.year) if citation.year else None))
            cands = [law] if law else []
        if not cands:
            return Resolution(None, [], "unknown", "không có trong danh mục văn bản đã biết và trong kho")
        cands = self._narrow(citation, cands, province, citing_year)
        if not cands:
            return Resolution(None, [], "unknown", "không văn bản đã biết nào mang số này khớp với năm, ngày hoặc tỉnh được trích dẫn")
        if self._is_local(citation) and not province and not self._province_named(citation.issuer, cands) \
                and any(e.province for e in cands):
            # "Kế hoạch số 12/KH-UBND" exists in every province every year: without its issuer's
            # province (written, the citing document's, or chosen) the registry's one is a guess
            return Resolution(None, cands, "ambiguous", "số hiệu của văn bản địa phương không ghi tỉnh của cơ quan ban hành: "
                              f"tỉnh nào cũng có thể có văn bản số này; đã biết: {self._candidates(cands)}")
        if len(cands) > 1:
            return Resolution(None, cands, "ambiguous", f"có thể là: {self._candidates(cands)}")
        res = self._resolved(cands[0])
        if tolerant:
            res.note = "; ".join(n for n in (res.note, tolerant) if n)
        return res

    def _narrow(self, c: Citation, cands: list[RegistryEntry], province: str | None, citing_year: int | None) -> list[RegistryEntry]:
        if c.year:
            cands = [e for e in cands if e.year in (None, c.year)]
        if c.date and len(c.date) == 10:
            exact = [e for e in cands if e.date == c.date]
            cands = exact or cands
        elif citing_year and not c.year:   # a bare number: the document cannot cite a later one
            cands = [e for e in cands if e.year is None or e.year <= citing_year]
        if self._is_local(c):
            named = self._province_named(c.issuer, cands)
            want = named or province
            if want:
                cands = [e for e in cands if not e.province or fold(e.province) == fold(want)]
        return cands

    @staticmethod
    def _is_local(c: Citation) -> bool:
        tail = (c.canonical or "").split("/")[-1]
        codes = set(re.split(r"[-/]", tail))
        return bool(codes & LOCAL_CODES)

    def _province_named(self, issuer: str | None, cands: list[RegistryEntry]) -> str | None:
        if not issuer:
            return None
        f = fold(issuer)
        return next((e.province for e in cands if e.province and fold(e.province) in f), None)

    def _resolved(self, e: RegistryEntry) -> Resolution:
        if e.ended:
            by = ", ".join(self._label(i) for i in e.status.get("by") or []) or "một văn bản ban hành sau"
            src = e.status.get("source")
            note = f"đã bị thay thế bởi {by}" + (f" ({src})" if src else "")
            return Resolution(e, [e], "superseded", note)
        if e.in_corpus:
            return Resolution(e, [e], "in_corpus", None)
        note = ("chỉ biết qua các trích dẫn trong kho" if e.origin == "cited" else
                f"biết qua các văn bản trích dẫn: {e.status.get('source')}" if e.origin == "learned" else None)
        return Resolution(e, [e], "known", note)

    def _candidates(self, cands: list[RegistryEntry]) -> str:
        """"Kế hoạch 12/KH-UBND (24/01/2013, Ủy ban nhân dân tỉnh Lạng Sơn); …": the documents a number may name."""
        return "; ".join(f"{self._label(e.id)} ({e.date_display() if e.date else 'chưa rõ ngày'}, {e.issuer or e.province or 'chưa rõ cơ quan'})"
                         for e in cands)

    def _label(self, entry_id: str) -> str:
        e = self.get(entry_id)
        return f"{e.doc_type} {e.canonical}" if e and e.canonical else entry_id

    # --- JSON ---------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"entries": [e.to_dict() for e in self.entries]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Registry":
        return cls([RegistryEntry.from_dict(e) for e in data.get("entries", [])])


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The data registry alone (no corpus): what law names resolve against during extraction."""
    return Registry.load()
