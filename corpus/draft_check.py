"""The drafting check: what an officer must fix in a citation before the draft goes out.

Compares what a draft cites (number, date, issuer) with what the registry knows, and names each
problem: an unknown or ambiguous number, a superseded document, a date or an issuer that differs
from the registry's. Used by `tdkt cite` and by the site's citation lookup, so both agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Citation
from .registry import RegistryEntry, Resolution
from .vntext import fold

# Issuer abbreviations written in drafts, expanded before two issuers are compared.
_ISSUER_ABBR = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "ttg": "thu tuong chinh phu",
                "bct": "bo chinh tri", "tw": "trung uong"}
# Words that do not tell two issuers apart ("UBND tỉnh Lạng Sơn" ~ "Ủy ban nhân dân Lạng Sơn").
_FILLER = {"cua", "tinh", "thanh", "pho"}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Problem:
    kind: str      # unknown | ambiguous | superseded | date | issuer
    message: str   # in Vietnamese, for the officer

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


def _issuer_key(issuer: str) -> str:
    words = [_ISSUER_ABBR.get(w, w) for w in _WORD.findall(fold(issuer))]
    return " ".join(w for w in " ".join(words).split() if w not in _FILLER)


def same_issuer(cited: str, known: str) -> bool:
    """"UBND tỉnh Lạng Sơn" is "Ủy ban nhân dân tỉnh Lạng Sơn"; one naming contained in the other counts."""
    a, b = _issuer_key(cited), _issuer_key(known)
    return not a or not b or a in b or b in a


def _display(iso: str) -> str:
    y, m, d = (iso.split("-") + [None, None])[:3]
    return f"{d}/{int(m)}/{y}" if d and m else iso


def citation_problems(c: Citation, res: Resolution, name_of=None) -> list[Problem]:
    """Every problem with one citation, given what the registry resolved it to. ``name_of`` turns
    a registry id into the name an officer reads ("Luật 06/2022/QH15")."""
    name_of = name_of or (lambda entry_id: entry_id)
    out: list[Problem] = []
    entry: RegistryEntry | None = res.entry
    if res.status == "ambiguous":
        names = ", ".join(e.canonical or e.id for e in res.candidates)
        out.append(Problem("ambiguous", f"Số hiệu này ứng với nhiều văn bản ({names}): ghi rõ ngày ban hành và cơ quan ban hành."))
    elif entry is None:
        out.append(Problem("unknown", "Không tìm thấy văn bản này trong danh mục: kiểm tra lại số hiệu, ngày ban hành."))
    if entry is None:
        return out
    state = (entry.status or {}).get("state")
    if res.status == "superseded" or state in ("superseded", "expired"):
        by = ", ".join(name_of(b) for b in (entry.status or {}).get("by") or [] if isinstance(b, str))
        source = (entry.status or {}).get("source")
        out.append(Problem("superseded", "Văn bản này đã hết hiệu lực" + (f", được thay thế bởi {by}" if by else "")
                           + (f" (theo {source})." if source else ".")))
    if c.date and entry.date and len(entry.date) == 10 and c.date != entry.date:
        out.append(Problem("date", f"Ngày trích dẫn {_display(c.date)} khác ngày ban hành trong danh mục: {_display(entry.date)}."))
    if c.issuer and entry.issuer and not same_issuer(c.issuer, entry.issuer):
        out.append(Problem("issuer", f"Cơ quan ban hành trích dẫn “{c.issuer}” khác danh mục: “{entry.issuer}”."))
    return out
