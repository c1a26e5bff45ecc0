"""Scale corpora for the benchmark: many realistic sections synthesised from the real corpus.

Why synthesise: the bundled corpus has a few thousand sections; the search must stay fast when a
province's archive (tens of thousands of plans, decisions and directives) is loaded. The generator
keeps the *vocabulary* real — every sentence comes from a real section of the same kind (articles
of laws/decrees with articles, plan items with plan items) — and varies what differs between real
documents: the province, the year, the numbers and dates, the symbols and the documents cited.

Deterministic: the same sources and seed give the same sections, ids and texts, in the same order.

Public entry points:
    harvest(corpus_dir, bulk_dir=None) -> Pools      sentences, headings, citations of the real texts
    generate(n_sections, seed=0, pools=None) -> list[SynthDoc]
    passages_of(docs) -> list[Passage]               one passage per section, plus none per document
    bulk_passages(bulk_dir, limit) -> list[Passage]  real codified articles of the bulk folder (--bulk-dir)
    write_texts(docs, out_dir) -> int                raw text files, to time the whole `tdkt build`
"""
from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from corpus.errors import UserError
from corpus.sources import DOCUMENTS_DIR, iter_sources
from corpus.vntext import fold, nfc
from indexer.passages import Passage, finish

# --- places -----------------------------------------------------------------------------------
# The 34 provinces and centrally-run cities since the 2025 merger (Nghị quyết 202/2025/QH15) ...
PROVINCES_2025 = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh",
    "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa",
    "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang",
]
# ... and the 29 merged into them, which issued documents until mid-2025 (an archive holds both).
PROVINCES_BEFORE_2025 = [
    "Hà Giang", "Yên Bái", "Bắc Kạn", "Vĩnh Phúc", "Bắc Giang", "Hải Dương", "Thái Bình", "Hà Nam",
    "Nam Định", "Quảng Bình", "Quảng Nam", "Kon Tum", "Bình Định", "Phú Yên", "Ninh Thuận", "Đắk Nông",
    "Bình Phước", "Bình Dương", "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh",
    "Sóc Trăng", "Hậu Giang", "Bạc Liêu", "Kiên Giang", "Bình Thuận", "Hòa Bình",
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
ALL_PROVINCES = PROVINCES_2025 + PROVINCES_BEFORE_2025


def province_unit(name: str) -> str:
    """"tỉnh Lạng Sơn" / "thành phố Đà Nẵng" — how running text names the province."""
    return f"thành phố {name}" if name in CITIES else f"tỉnh {name}"


# --- document kinds a province issues about emulation and commendation -----------------------
# (doc_type, type_code, issuer code, issuer name pattern, section style, title stem)
DOC_KINDS = [
    ("Kế hoạch", "KH", "UBND", "Ủy ban nhân dân {unit}", "plan", "Kế hoạch tổ chức phong trào thi đua {theme} năm {year}"),
    ("Quyết định", "QĐ", "UBND", "Ủy ban nhân dân {unit}", "article", "Quyết định ban hành Quy chế thi đua, khen thưởng {unit}"),
    ("Hướng dẫn", "HD", "HĐTĐKT", "Hội đồng Thi đua - Khen thưởng {unit}", "plan", "Hướng dẫn công tác thi đua, khen thưởng năm {year}"),
    ("Chỉ thị", "CT", "UBND", "Ủy ban nhân dân {unit}", "plan", "Chỉ thị về đẩy mạnh phong trào thi đua {theme}"),
    ("Nghị quyết", "NQ", "HĐND", "Hội đồng nhân dân {unit}", "article", "Nghị quyết quy định mức chi tiền thưởng thi đua, khen thưởng {unit}"),
    ("Công văn", "CV", "SNV", "Sở Nội vụ {unit}", "plan", "V/v hướng dẫn hồ sơ đề nghị khen thưởng năm {year}"),
    ("Kế hoạch", "KH", "TU", "Tỉnh ủy {name}", "plan", "Kế hoạch thực hiện Chỉ thị số 34-CT/TW về tiếp tục đổi mới công tác thi đua, khen thưởng"),
]
THEMES = [
    "chuyên đề chuyển đổi số", "“Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau”",
    "xây dựng nông thôn mới", "cải cách hành chính", "“Dân vận khéo”", "đặc biệt", "yêu nước",
    "“Doanh nghiệp Việt Nam thịnh vượng”", "chào mừng Đại hội Đảng bộ các cấp",
]

# Real central documents as officers cite them (symbol, how it is cited, date written).
CENTRAL_CITATIONS = [
    "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng",
    "Kết luận số 83-KL/TW ngày 29/7/2020 của Bộ Chính trị",
    "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022",
    "Luật Thi đua, khen thưởng năm 2022",
    "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ",
    "Nghị định 91/2017/NĐ-CP",
    "Thông tư số 12/2019/TT-BNV ngày 04/11/2019 của Bộ Nội vụ",
    "Thông tư số 15/2025/TT-BNV của Bộ Nội vụ",
    "Chỉ thị số 19/CT-TTg của Thủ tướng Chính phủ về phát động thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội",
    "Quyết định số 1493/QĐ-TTg của Thủ tướng Chính phủ",
]

# --- harvesting the real texts ----------------------------------------------------------------
# A section starts at a line opening with one of the markers documents use (DOMAIN.md):
_ARTICLE = r"Điều\s+\d+[a-zđ]?\s*[.:]"          # "Điều 23." — laws, decrees, regulations
_ROMAN = r"[IVXLC]{1,6}\s*[.:]\s"              # "II. NHIỆM VỤ" — plans, directives
_NUMBERED = r"\d{1,2}(?:\.\d{1,2}){0,2}\s*[.)]\s"  # "1. ", "2.1. ", "3) "
_LETTERED = r"[a-zđ]\)\s"                      # "a) " — points
_MARKER = re.compile(rf"^\s*(?:(?P<article>{_ARTICLE})|{_ROMAN}|{_NUMBERED}|{_LETTERED})", re.M)
# Sentences end at ". ", "; " or a line break; shorter bits are labels, not sentences.
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+|\n+")
MIN_SENTENCE = 30
# Numbers inside text that vary between documents: a symbol's number, a count, a year, a date.
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_YEAR = re.compile(r"\bnăm ((?:19|20)\d\d)\b")
_LOCAL_SYMBOL = re.compile(r"\b\d{1,5}/(KH|QĐ|CV|HD|TB|BC|NQ)-(UBND|HĐTĐKT|SNV|HĐND)\b")
_PLACE = re.compile(r"\b(tỉnh|thành phố) (" + "|".join(re.escape(p) for p in sorted(ALL_PROVINCES, key=len, reverse=True)) + r")\b")
_REAL_CITATION = re.compile(
    r"(?:Chỉ thị|Nghị định|Thông tư|Nghị quyết|Quyết định|Kế hoạch|Hướng dẫn|Kết luận) số "
    r"\d+[/-][\w/.-]*\w(?: ngày \d{1,2}/\d{1,2}/\d{4})?"
    # the issuer when named, cut where its name ends (never mid-word)
    r"(?: của (?:Bộ Chính trị|Ban Bí thư|Thủ tướng Chính phủ|Chính phủ|Quốc hội|Bộ Nội vụ|Bộ \w+ \w+"
    r"|Ban Thường vụ Tỉnh ủy|UBND tỉnh|Ủy ban nhân dân tỉnh|Hội đồng nhân dân tỉnh))?")


@dataclass
class Pools:
    """What the generator recombines, by section style ("article" or "plan")."""

    sentences: dict[str, list[str]] = field(default_factory=lambda: {"article": [], "plan": []})
    headings: dict[str, list[str]] = field(default_factory=lambda: {"article": [], "plan": []})
    citations: list[str] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(v) for v in self.sentences.values())


def _blocks(text: str) -> Iterator[tuple[str, str, str]]:
    """(style, heading line, body) for each marked block of a raw text."""
    marks = list(_MARKER.finditer(text))
    for m, nxt in zip(marks, marks[1:] + [None]):
        block = text[m.start():nxt.start() if nxt else len(text)].strip()
        head, _, body = block.partition("\n")
        yield ("article" if m.group("article") else "plan"), head.strip(), body.strip()


_STRUCTURAL = re.compile(r"(?:Điều|Chương|Mục|Phần|CHƯƠNG|MỤC|PHẦN)\s+[\dIVXLC]+\b")


def _is_prose(s: str) -> bool:
    """Running text, not a table row (cells joined by "|" or tabs) nor a signature or header line
    (mostly capitals: "ỦY BAN NHÂN DÂN CHỦ TỊCH Phạm Hoàng Sơn")."""
    if "|" in s or "\t" in s or "…" * 3 in s or "..." in s:
        return False
    if _STRUCTURAL.match(s):
        return False   # "Điều 1 Thông tư số …" cut out of a sentence would parse as an article

    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) < 0.25


def _add_text(pools: Pools, text: str) -> None:
    text = nfc(text)
    for style, head, body in _blocks(text):
        label_end = _MARKER.match(head)
        heading = head[label_end.end():].strip() if label_end else head
        if 8 <= len(heading) <= 160:
            pools.headings[style].append(heading)
        for s in _SENTENCE_END.split(f"{heading if len(heading) > 160 else ''}\n{body}"):
            s = s.strip(" -–•+*\t")
            if len(s) >= MIN_SENTENCE and _is_prose(s):
                pools.sentences[style].append(s)
    pools.citations.extend(m.group(0) for m in _REAL_CITATION.finditer(text))


def harvest(corpus_dir: Path | None = None, bulk_dir: Path | None = None, bulk_docs: int = 200) -> Pools:
    """Sentences, headings and citations of the real corpus (and of the first ``bulk_docs`` full
    texts of the bulk folder when given), de-duplicated in a stable order."""
    pools = Pools()
    for src in iter_sources(Path(corpus_dir) if corpus_dir else DOCUMENTS_DIR):
        try:
            _add_text(pools, src.path.read_bytes().decode("utf-8", errors="replace"))
        except OSError:
            continue  # an unreadable file costs its sentences, not the run
    if bulk_dir:
        path = Path(bulk_dir) / "tnt305_official_docs.jsonl.gz"
        if path.exists():
            for i, row in enumerate(_jsonl(path)):
                if i >= bulk_docs:
                    break
                _add_text(pools, row.get("text") or "")
    for style in pools.sentences:
        pools.sentences[style] = list(dict.fromkeys(pools.sentences[style]))
        pools.headings[style] = list(dict.fromkeys(pools.headings[style]))
    pools.citations = list(dict.fromkeys(pools.citations))
    return pools


def _jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            try:
                yield json.loads(line)
            except ValueError:
                continue  # a damaged line costs itself only


# --- generating -------------------------------------------------------------------------------
@dataclass
class SynthSection:
    id: str
    label: str
    heading: str
    text: str
    cites: list[str] = field(default_factory=list)


@dataclass
class SynthDoc:
    id: str
    doc_type: str
    type_code: str
    number: str
    symbol: str
    issuer: str
    province: str
    year: int
    date: str                    # ISO
    title: str
    style: str                   # "article" | "plan"
    sections: list[SynthSection] = field(default_factory=list)

    def date_vn(self) -> str:
        y, m, d = self.date.split("-")
        return f"ngày {int(d):02d} tháng {int(m):02d} năm {y}"


_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


class _Maker:
    """One generator run: the random source and the pools, and the substitutions it applies."""

    def __init__(self, pools: Pools, seed: int):
        self.pools, self.rnd = pools, random.Random(seed)

    def date(self, year: int) -> tuple[int, int, int]:
        return year, self.rnd.randint(1, 12), self.rnd.randint(1, 28)

    def local_citation(self, province: str, year: int) -> str:
        """A citation of another local document: Kế hoạch số 200/KH-UBND ngày … của UBND tỉnh X."""
        r = self.rnd
        kind = r.choice(["Kế hoạch số {n}/KH-UBND", "Quyết định số {n}/QĐ-UBND", "Nghị quyết số {n}/NQ-HĐND",
                         "Hướng dẫn số {n}/HD-HĐTĐKT", "Chương trình số {n}-CTr/TU", "Kế hoạch số {n}-KH/TU"])
        y, m, d = self.date(r.randint(max(2010, year - 4), year))
        unit = province_unit(province)
        by = r.choice([f"của UBND {unit}", f"của Ủy ban nhân dân {unit}", f"của Tỉnh ủy {province}", ""])
        return f"{kind.format(n=r.randint(1, 4999))} ngày {d:02d}/{m}/{y} {by}".strip()

    def citation(self, province: str, year: int) -> str:
        r = self.rnd
        pick = r.random()
        if pick < 0.45:
            return r.choice(CENTRAL_CITATIONS)
        if pick < 0.7 and self.pools.citations:
            return r.choice(self.pools.citations)
        return self.local_citation(province, year)

    def substitute(self, sentence: str, province: str, year: int) -> str:
        """The sentence as this document would have written it: its province, years, dates, numbers."""
        r = self.rnd
        s = _PLACE.sub(lambda m: province_unit(province), sentence)
        s = _DATE.sub(lambda m: "{:02d}/{}/{}".format(r.randint(1, 28), r.randint(1, 12), year - r.randint(0, 1)), s)
        s = _YEAR.sub(lambda m: f"năm {year}", s)
        s = _LOCAL_SYMBOL.sub(lambda m: f"{r.randint(1, 4999)}/{m.group(1)}-{m.group(2)}", s)
        return s

    def section_text(self, style: str, province: str, year: int) -> tuple[str, list[str]]:
        r = self.rnd
        pool = self.pools.sentences[style] or self.pools.sentences["plan"] or self.pools.sentences["article"]
        n = r.choice([1, 2, 2, 3, 3, 4, 5, 6, 8])
        sentences = [self.substitute(r.choice(pool), province, year) for _ in range(n)]
        cites = []
        if r.random() < 0.55:  # about half the sections cite something, as real ones do
            c = self.citation(province, year)
            cites.append(c)
            where = r.randrange(len(sentences) + 1)
            sentences.insert(where, r.choice(["Căn cứ {c};", "Thực hiện {c},", "Theo quy định tại {c}.",
                                              "Triển khai {c}, các cơ quan, đơn vị tổ chức thực hiện.",
                                              "Hồ sơ đề nghị khen thưởng thực hiện theo {c}."]).format(c=c))
        return "\n".join(sentences), cites

    def document(self, serial: int, n_sections: int) -> SynthDoc:
        r = self.rnd
        doc_type, code, issuer_code, issuer_pat, style, title_pat = r.choice(DOC_KINDS)
        province = r.choice(ALL_PROVINCES if r.random() < 0.5 else PROVINCES_2025)
        year = r.randint(2014, 2025) if province in PROVINCES_2025 else r.randint(2010, 2025)
        y, m, d = self.date(year)
        number = str(r.randint(1, 4999))
        symbol = (f"{number}-{code}/{issuer_code}" if issuer_code == "TU"
                  else f"{number}/{year}/{code}-{issuer_code}" if code in {"QĐ", "NQ"} and r.random() < 0.5
                  else f"{number}/{code}-{issuer_code}")
        unit = province_unit(province)
        issuer = issuer_pat.format(unit=unit, name=province)
        title = title_pat.format(theme=r.choice(THEMES), year=year, unit=unit)
        doc = SynthDoc(id=f"s{serial:06d}-{_slug(symbol)}-{year}", doc_type=doc_type, type_code=code, number=number,
                       symbol=symbol, issuer=issuer, province=province, year=year, date=f"{y:04d}-{m:02d}-{d:02d}",
                       title=title, style=style)
        headings = self.pools.headings[style] or ["Tổ chức thực hiện"]
        for i in range(n_sections):
            text, cites = self.section_text(style, province, year)
            if style == "article":
                label, sid = f"Điều {i + 1}", f"dieu-{i + 1}"
            else:
                major, minor = divmod(i, 4)
                label, sid = (f"{_ROMANS[major % 10]}." if minor == 0 else f"{minor}."), f"s{major + 1}.{minor}"
            doc.sections.append(SynthSection(id=sid, label=label, heading=self.substitute(r.choice(headings), province, year),
                                             text=text, cites=cites))
        return doc


_BUNDLED_POOLS: Pools | None = None


def bundled_pools() -> Pools:
    """The pools of the bundled corpus, harvested once per process."""
    global _BUNDLED_POOLS
    if _BUNDLED_POOLS is None:
        _BUNDLED_POOLS = harvest()
    return _BUNDLED_POOLS


def generate(n_sections: int, seed: int = 0, pools: Pools | None = None) -> list[SynthDoc]:
    """Documents holding exactly ``n_sections`` sections in all (3–40 per document)."""
    maker = _Maker(pools or bundled_pools(), seed)
    docs: list[SynthDoc] = []
    left = n_sections
    while left > 0:
        n = min(left, maker.rnd.choice([3, 5, 8, 12, 16, 24, 40]))
        docs.append(maker.document(len(docs) + 1, n))
        left -= n
    return docs


def passages_of(docs: list[SynthDoc]) -> list[Passage]:
    """One passage per section, with its document's metadata (as indexer.passages would cut them)."""
    out = []
    for d in docs:
        for s in d.sections:
            crumbs = [s.label + (f" {s.heading}" if s.heading else "")]
            out.append(finish(Passage(
                id=f"{d.id}#{s.id}", doc_id=d.id, section_id=s.id, doc_type=d.doc_type, type_code=d.type_code,
                number=d.number, symbol=d.symbol, title=d.title, issuer=d.issuer, province=d.province,
                year=d.year, date=d.date, heading=f"{s.label} {s.heading}".strip(), breadcrumb=crumbs,
                body=s.text, cites=list(s.cites), label=s.label)))
    return out


def bulk_passages(bulk_dir: Path, limit: int) -> list[Passage]:
    """Up to ``limit`` real codified articles (phapdien_articles.jsonl.gz), one passage each."""
    path = Path(bulk_dir) / "phapdien_articles.jsonl.gz"
    if not path.exists():
        raise UserError(f"{path} not found: --bulk-dir must hold phapdien_articles.jsonl.gz (the shared bulk folder; see its README.md)")
    out: list[Passage] = []
    for row in _jsonl(path):
        if len(out) >= limit:
            break
        text = nfc(row.get("text") or "")
        if not text.strip():
            continue
        so_hieu = row.get("so_hieu") or ""
        year = None
        m = re.search(r"/((?:19|20)\d\d)/", so_hieu)
        if m:
            year = int(m.group(1))
        doc_id = "pd-" + (_slug(so_hieu) or "x")
        sid = "pd-" + _slug(str(row.get("id", len(out))))[:40]
        out.append(finish(Passage(
            id=f"{doc_id}#{sid}", doc_id=doc_id, section_id=sid, doc_type=row.get("loai"), symbol=so_hieu or None,
            title=row.get("ten") or "", issuer=row.get("co_quan"), year=year,
            heading=" ".join(x for x in (row.get("unit") or "", row.get("title") or "") if x),
            breadcrumb=[row.get("demuc_title") or ""], body=text, label=row.get("unit") or "", codified=True)))
    return out


def render_text(doc: SynthDoc) -> str:
    """The document as a raw text file in the shape of the real ones (header, symbol, place and date,
    type and title, sections), so the parser can be timed on it."""
    place = doc.province
    head = [doc.issuer.upper(), f"Số: {doc.symbol}", f"{place}, {doc.date_vn()}", "", doc.doc_type.upper(), doc.title, ""]
    body = []
    for s in doc.sections:
        body.append(f"{s.label} {s.heading}".strip())
        body.append(s.text)
        body.append("")
    return "\n".join(head + body)


def write_texts(docs: list[SynthDoc], out_dir: Path) -> int:
    """Write each document as ``<out_dir>/<id>.txt``; returns how many files were written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (out_dir / f"{d.id}.txt").write_text(render_text(d), encoding="utf-8")
    return len(docs)
