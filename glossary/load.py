"""The glossary of emulation and commendation (thi đua, khen thưởng): load, validate, match.

The vocabulary lives in ``glossary/data/glossary.yaml`` (edited by domain experts). The codes used
in document symbols (NĐ, QĐ, TTg, UBND …) already live in ``corpus/data/doc_types.yaml`` and
``issuers.yaml``; they are turned into entries here at load time instead of being copied, so a code
added there is explained here too.

Two uses:
- search: ``expand_query("CSTĐ cấp tỉnh")`` → ``["chiến sĩ thi đua"]``, the full terms to add to a
  query that uses abbreviations, spelling variants or no diacritics;
- pages: ``find_terms(text)`` → the spans of a display text that name a glossary term, to mark
  them (the text itself is never changed; spans are offsets into the original).

Matching compares word tokens in ``match_form`` (case and tone placement do not matter) and, for
queries, also in ``fold`` (no diacritics: "cstd" finds CSTĐ).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from corpus import vocab
from corpus.errors import UserError
from corpus.ids import slug as make_slug
from corpus.vntext import fold, match_form, nfc

GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary.yaml"

CATEGORIES = (
    "danh hiệu thi đua",      # emulation titles (Luật TĐKT Điều 6, 19–32)
    "hình thức khen thưởng",  # forms of commendation (Điều 9, 33–76)
    "tổ chức",                # bodies and organisations
    "loại văn bản",           # document types
    "thủ tục",                # procedure: authority, files, steps
    "chung",                  # general vocabulary
)
_FIELDS = {"term", "variants", "abbreviations", "definition", "category", "links", "examples", "mark_term"}
_LIST_FIELDS = ("variants", "abbreviations", "examples")

# A word token: a run of letters, or a run of digits. Letters and digits are split so that the
# issuer code in "QH15" is found, while a code is never found inside a longer one ("CT" ≠ "CTr").
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
# What may stand between two words of one term in a text: spaces (line breaks included) and at most
# one joining mark ("Hội đồng Thi đua - Khen thưởng", "KT-XH", "thi đua, khen thưởng", "TN&TKQ"). A full stop
# or a bracket ends the term, so a match never runs across sentences.
_JOINER = re.compile(r"\s*[-–—,&]?\s*")


class GlossaryError(UserError):
    """The glossary file cannot be read: names the file, the line and the problem."""


@dataclass(frozen=True)
class Link:
    """A corpus section that defines or uses a term: document symbol + section label as written."""

    symbol: str   # "06/2022/QH15"
    label: str    # "Điều 24"


@dataclass
class GlossaryEntry:
    term: str
    definition: str
    category: str
    abbreviations: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    examples: tuple[str, ...] = ()
    mark_term: bool = True          # False: everyday words ("Thành phố"): pages mark only the abbreviation
    source: str = "glossary.yaml"   # or "doc_types.yaml" / "issuers.yaml" for generated entries
    line: int | None = None         # line of the entry in its file, for error messages
    slug: str = field(init=False)

    def __post_init__(self) -> None:
        self.slug = make_slug(self.term)

    @property
    def where(self) -> str:
        """How error messages name the entry: 'glossary.yaml:120 “Giấy khen”'."""
        line = f":{self.line}" if self.line else ""
        return f"{self.source}{line} “{self.term}”"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the site and the API."""
        return {"term": self.term, "slug": self.slug, "category": self.category, "definition": self.definition,
                "abbreviations": list(self.abbreviations), "variants": list(self.variants),
                "links": [{"symbol": k.symbol, "label": k.label} for k in self.links],
                "examples": list(self.examples), "mark_term": self.mark_term}


@dataclass(frozen=True)
class TermMatch:
    """A span of a display text naming a glossary term (offsets into the original text)."""

    start: int
    end: int
    entry: GlossaryEntry


# --- Vietnamese syllables vs abbreviations --------------------------------------------------
# Upper-case words of headings ("KẾ HOẠCH") are Vietnamese syllables; abbreviations mostly are not
# ("UBND", "TĐKT", "CT"). A few codes are (TU, HU, ĐA): those are matched only when written in
# capitals, so "tu sửa" or "đa dạng" never turn into Tỉnh ủy or Đề án.
_INITIAL = r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?"
_NUCLEUS = r"[aeiouy]{1,3}"
# "k" ends syllables of ethnic place names written in Vietnamese ("ĐẮK LẮK").
_FINAL = r"(?:ng|nh|ch|[cmnptk])?"
_SYLLABLE = re.compile(f"^{_INITIAL}{_NUCLEUS}{_FINAL}$")


def looks_like_syllable(word: str) -> bool:
    """True when ``word`` (any case, with or without diacritics) is shaped like one Vietnamese syllable."""
    return bool(_SYLLABLE.match(fold(word)))


def _capitalised_code(word: str) -> bool:
    """Written like a code: at least two capitals ("TU", "TTg", "ĐA"), not "Tu" or "đa"."""
    return sum(c.isupper() for c in word) >= 2


# --- patterns -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pattern:
    tokens: tuple[str, ...]        # match_form (or fold) of each word
    entry: GlossaryEntry
    kind: str                      # "term" | "variant" | "abbreviation"
    capitals: tuple[bool, ...]     # per word: must be written in capitals to match (see _patterns_of)
    needs_initial: bool = False    # a document type named by an everyday word ("Quyết định")


# After a code, a full stop is the abbreviation's own dot, not the end of a sentence ("TT. Tỉnh ủy",
# "VP. UBND tỉnh").
_CODE_DOT = re.compile(r"\.\s*")


def _joined(text: str, left: re.Match, right: re.Match) -> bool:
    """The two words may belong to one term: only spacing or one joining mark between them."""
    if _JOINER.fullmatch(text, left.end(), right.start()):
        return True
    return _capitalised_code(left.group(0)) and bool(_CODE_DOT.fullmatch(text, left.end(), right.start()))


@lru_cache(maxsize=1)
def _doc_type_names() -> frozenset[str]:
    """Document types of corpus/data/doc_types.yaml, in match form ("quyết định", "kế hoạch")."""
    return frozenset(match_form(t.name) for t in vocab.doc_types())


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _patterns_of(entry: GlossaryEntry, form: Callable[[str], str], marking: bool) -> Iterable[_Pattern]:
    """The words of each way of writing the entry; for marking pages, an everyday term's full
    form is left out (``mark_term: false``) and only its abbreviations are found."""
    surfaces = [(entry.term, "term")] + [(v, "variant") for v in entry.variants]
    if marking and not entry.mark_term:
        surfaces = []
    surfaces += [(a, "abbreviation") for a in entry.abbreviations]
    for surface, kind in surfaces:
        toks = tuple(form(m.group(0)) for m in _tokens(surface))
        if not toks:
            continue
        words = [m.group(0) for m in _tokens(surface)]
        # A code is matched only when written in capitals if it is also a Vietnamese word (TU, ĐA);
        # on pages every code is (the "vn" of a web address is not Việt Nam, nor "pdf" of a file
        # name), while a query may be typed in lower case ("cstd").
        capitals = tuple(kind == "abbreviation" and _capitalised_code(w) and (marking or looks_like_syllable(w))
                         for w in words)
        # "theo quy định", "quyết định tặng", "hướng dẫn thực hiện" are verbs; the document type is
        # written with a capital ("Quyết định số 1657/QĐ-UBND"), so pages mark only that.
        initial = marking and kind != "abbreviation" and match_form(entry.term) in _doc_type_names()
        yield _Pattern(toks, entry, kind, capitals, initial)


class _Index:
    """Patterns by their first word, longest first; first entry in file order wins a tie."""

    def __init__(self, entries: list[GlossaryEntry], form: Callable[[str], str], marking: bool = False):
        self.by_first: dict[str, list[_Pattern]] = {}
        seen: set[tuple[str, ...]] = set()
        for entry in entries:
            for p in _patterns_of(entry, form, marking):
                key = p.tokens + (p.entry.slug,)
                if key in seen:
                    continue
                seen.add(key)
                self.by_first.setdefault(p.tokens[0], []).append(p)
        for plist in self.by_first.values():
            plist.sort(key=lambda p: -len(p.tokens))

    def match_at(self, text: str, toks: list[re.Match], forms: list[str], i: int) -> list[_Pattern]:
        """Every pattern matching the words from ``i`` on, longest first."""
        found = []
        for p in self.by_first.get(forms[i], ()):
            n = len(p.tokens)
            if i + n > len(toks) or tuple(forms[i:i + n]) != p.tokens:
                continue
            if any(c and not _capitalised_code(toks[i + k].group(0)) for k, c in enumerate(p.capitals)):
                continue
            if p.needs_initial and not toks[i].group(0)[0].isupper():
                continue
            if all(_joined(text, toks[j], toks[j + 1]) for j in range(i, i + n - 1)):
                found.append(p)
        return found


# --- loading --------------------------------------------------------------------------------
class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, so errors can point at an entry."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:  # YAML would silently keep the last one and lose the editor's first list
        raise yaml.constructor.ConstructorError(None, None, f"field “{twice[0]}” given twice in one entry", node.start_mark)
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"{path}: cannot read the glossary ({exc})") from None
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise GlossaryError(f"{where}: malformed YAML: {problem}") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise GlossaryError(f"{path}: the glossary must be a list of entries (“- term: …”), not a {type(raw).__name__}")
    return raw


def _str_list(value: Any, name: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise GlossaryError(f"{where}: “{name}” must be a list of strings")
    return tuple(nfc(str(v)).strip() for v in value if str(v).strip())


def _links(value: Any, where: str) -> tuple[Link, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GlossaryError(f"{where}: “links” must be a list of {{symbol: …, label: …}}")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("symbol"), str) or not isinstance(item.get("label"), str):
            raise GlossaryError(f"{where}: a link must be {{symbol: \"06/2022/QH15\", label: \"Điều 24\"}}, got {item!r}")
        out.append(Link(nfc(item["symbol"]).strip(), nfc(item["label"]).strip()))
    return tuple(out)


def _entry(raw: Any, path: Path, index: int) -> GlossaryEntry:
    if not isinstance(raw, dict):
        raise GlossaryError(f"{path}: entry #{index + 1} is not a mapping (“- term: …”): {raw!r}")
    line = raw.pop("__line__", None)
    where = f"{path}:{line}" if line else f"{path}: entry #{index + 1}"
    for link in raw.get("links") or []:
        if isinstance(link, dict):
            link.pop("__line__", None)
    unknown = set(raw) - _FIELDS
    if unknown:
        raise GlossaryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_FIELDS))}")
    term = raw.get("term")
    if not isinstance(term, str) or not term.strip():
        raise GlossaryError(f"{where}: entry without a “term”")
    where = f"{where} “{term}”"
    definition, category = raw.get("definition"), raw.get("category")
    if definition is not None and not isinstance(definition, str):
        raise GlossaryError(f"{where}: “definition” must be text")
    return GlossaryEntry(term=nfc(term).strip(), definition=nfc(definition or "").strip(),
                         category=nfc(str(category or "")).strip(),
                         abbreviations=_str_list(raw.get("abbreviations"), "abbreviations", where),
                         variants=_str_list(raw.get("variants"), "variants", where),
                         links=_links(raw.get("links"), where),
                         examples=_str_list(raw.get("examples"), "examples", where),
                         mark_term=raw.get("mark_term", True) is not False, source=path.name, line=line)


def _vocab_entries() -> list[GlossaryEntry]:
    """Entries for the document types and issuing bodies of corpus/data (codes used in symbols)."""
    out = []
    for t in vocab.doc_types():
        codes = ", ".join(t.codes) or "không có ký hiệu riêng"
        kind = "văn bản quy phạm pháp luật" if t.normative else "văn bản"
        variants = tuple(v for v in t.variants if v not in t.codes and match_form(v) != match_form(t.name))
        out.append(GlossaryEntry(term=t.name, category="loại văn bản", abbreviations=t.codes, variants=variants,
                                 definition=f"Loại {kind}; chữ viết tắt trong số, ký hiệu văn bản: {codes} "
                                            f"(ví dụ: {'; '.join(t.examples[:2])}).",
                                 examples=t.examples, source="doc_types.yaml"))
    for i in vocab.issuers():
        codes = (i.code,) + tuple(a for a in i.aliases if _capitalised_code(a) and " " not in a and a != i.code)
        out.append(GlossaryEntry(term=i.name, category="tổ chức", abbreviations=codes,
                                 definition=f"Cơ quan, tổ chức ban hành văn bản; chữ viết tắt “{i.code}” trong số, "
                                            f"ký hiệu văn bản (ví dụ: {'; '.join(i.examples[:2])}).",
                                 examples=i.examples, source="issuers.yaml"))
    return out


def _merge(entries: list[GlossaryEntry], generated: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """Add generated entries; when the glossary already has the term, only its codes are added."""
    by_form = {match_form(e.term): e for e in entries}
    out = list(entries)
    for g in generated:
        mine = by_form.get(match_form(g.term))
        if mine is None:
            out.append(g)
            by_form[match_form(g.term)] = g
            continue
        extra = tuple(a for a in g.abbreviations if match_form(a) not in {match_form(x) for x in mine.abbreviations})
        mine.abbreviations = mine.abbreviations + extra
    return out


# --- the glossary ---------------------------------------------------------------------------
class Glossary:
    """The loaded vocabulary: entries, lookup, query expansion, term finding and validation."""

    def __init__(self, entries: list[GlossaryEntry]):
        self.entries = entries
        self._by_slug = {}
        for e in entries:
            self._by_slug.setdefault(e.slug, e)
        self._exact = _Index(entries, match_form)
        self._folded = _Index(entries, fold)
        self._marking = _Index(entries, match_form, marking=True)

    @classmethod
    def load(cls, path: str | Path | None = None, include_vocab: bool | None = None) -> "Glossary":
        """Read a glossary file (default: the bundled one, plus entries generated from corpus/data).

        Raises GlossaryError naming the file and line for malformed YAML or a malformed entry.
        """
        path = Path(path) if path is not None else GLOSSARY_FILE
        if include_vocab is None:
            include_vocab = path.resolve() == GLOSSARY_FILE.resolve()
        entries = [_entry(raw, path, i) for i, raw in enumerate(_read_yaml(path))]
        return cls(_merge(entries, _vocab_entries()) if include_vocab else entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, slug: str) -> GlossaryEntry | None:
        return self._by_slug.get(slug)

    def categories(self) -> list[str]:
        return [c for c in CATEGORIES if any(e.category == c for e in self.entries)]

    def search(self, q: str = "", category: str | None = None) -> list[GlossaryEntry]:
        """Entries whose term, abbreviations, variants or definition contain ``q`` (accent-insensitive),
        best first: a term or abbreviation hit before a definition hit; sorted by term within each."""
        key = " ".join(fold(q or "").split())
        rows = []
        for e in self.entries:
            if category and fold(e.category) != fold(category):
                continue
            names = [e.term, *e.abbreviations, *e.variants]
            if not key:
                rank = 0
            elif any(fold(n) == key for n in names):
                rank = 0
            elif any(key in fold(n) for n in names):
                rank = 1
            elif key in fold(e.definition):
                rank = 2
            else:
                continue
            rows.append((rank, match_form(e.term), e))
        return [e for _, _, e in sorted(rows, key=lambda r: (r[0], r[1]))]

    def find_terms(self, text: str) -> list[TermMatch]:
        """Non-overlapping spans naming glossary terms in a display text, leftmost and longest first.

        Whole words only ("CT" is not found in "CTr"); case and tone placement do not matter
        ("Hoà"/"Hòa"); short codes that are also Vietnamese words (TU, ĐA) only when in capitals.
        """
        toks = _tokens(text)
        forms = [match_form(m.group(0)) for m in toks]
        out, i = [], 0
        while i < len(toks):
            found = self._marking.match_at(text, toks, forms, i)
            if not found:
                i += 1
                continue
            n = len(found[0].tokens)
            out.append(TermMatch(toks[i].start(), toks[i + n - 1].end(), found[0].entry))
            i += n
        return out

    def expand_query(self, text: str) -> list[str]:
        """The full terms (lower case) to add to a query for the abbreviations, variants and
        unaccented spellings it uses: "CSTĐ cấp tỉnh" → ["chiến sĩ thi đua", "chiến sĩ thi đua
        bộ, ban, ngành, tỉnh"]. A term already written in full adds nothing."""
        out: list[str] = []
        hits = self._query_hits(text)
        for _, _, terms, in_full in hits:
            out += [t for t in terms if not in_full and t not in out]
        # With its abbreviations written out, the query may name a longer variant:
        # "CSTĐ cấp tỉnh" → "chiến sĩ thi đua cấp tỉnh", a name of the provincial title.
        rewritten, last = [], 0
        for start, end, terms, in_full in hits:
            if not in_full:
                rewritten += [text[last:start], terms[0]]
                last = end
        if last:
            for _, _, terms, in_full in self._query_hits("".join(rewritten) + text[last:]):
                out += [t for t in terms if not in_full and t not in out]
        return out

    def _query_hits(self, text: str) -> list[tuple[int, int, list[str], bool]]:
        """(start, end, terms, written in full) for each name of an entry in a query, longest
        first, matching with and without diacritics."""
        toks = _tokens(text)
        exact = [match_form(m.group(0)) for m in toks]
        folded = [fold(m.group(0)) for m in toks]
        hits, i = [], 0
        while i < len(toks):
            exact_hits = self._exact.match_at(text, toks, exact, i)
            found = exact_hits + self._folded.match_at(text, toks, folded, i)
            if not found:
                i += 1
                continue
            n = max(len(p.tokens) for p in found)
            terms = list(dict.fromkeys(nfc(p.entry.term).lower() for p in found if len(p.tokens) == n))
            in_full = any(p.kind == "term" and len(p.tokens) == n for p in exact_hits)
            hits.append((toks[i].start(), toks[i + n - 1].end(), terms, in_full))
            i += n
        return hits

    def explains(self, word: str) -> bool:
        """True when a word or code ("TĐKT", "tdkt", "KT-XH") is a term, variant or abbreviation."""
        toks = _tokens(word)
        if not toks:
            return False
        for index, form in ((self._exact, match_form), (self._folded, fold)):
            forms = [form(m.group(0)) for m in toks]
            if any(len(p.tokens) == len(toks) for p in index.match_at(word, toks, forms, 0)):
                return True
        return False

    def validate(self, section_exists: Callable[[str, str], bool] | None = None) -> list[str]:
        """Problems an editor must fix, one line each naming the entry; [] when the glossary is sound.

        ``section_exists(symbol, label)`` is passed by the build (which knows the parsed corpus);
        without it links are checked for shape only.
        """
        errors: list[str] = []
        errors += _duplicates(self.entries)
        for e in self.entries:
            errors += _entry_problems(e, section_exists)
            errors += [f"{e.where}: example does not name the term: “{x[:80]}”"
                       for x in e.examples if not any(m.entry is e for m in self.find_terms(x))]
        return errors


def _duplicates(entries: list[GlossaryEntry]) -> list[str]:
    errors = []
    seen: dict[str, GlossaryEntry] = {}
    for e in entries:
        for key in {match_form(e.term), "slug:" + e.slug}:
            first = seen.setdefault(key, e)
            if first is not e:
                errors.append(f"{e.where}: duplicate term, same as {first.where}")
                break
    return errors


def _entry_problems(e: GlossaryEntry, section_exists: Callable[[str, str], bool] | None) -> list[str]:
    errors = []
    if not e.definition:
        errors.append(f"{e.where}: empty definition")
    if e.category not in CATEGORIES:
        errors.append(f"{e.where}: unknown category “{e.category}” (one of: {', '.join(CATEGORIES)})")
    if not e.slug:
        errors.append(f"{e.where}: the term gives an empty URL slug")
    for link in e.links:
        if not link.symbol or not link.label:
            errors.append(f"{e.where}: link without a symbol or label: {link}")
        elif section_exists is not None and not section_exists(link.symbol, link.label):
            errors.append(f"{e.where}: link to a missing section: {link.symbol} {link.label}")
    return errors


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    """The bundled glossary, loaded once per process (for the search and the site)."""
    return Glossary.load()
