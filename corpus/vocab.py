"""Document types and issuer codes, loaded from corpus/data/*.yaml (edited by domain experts)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .vntext import fold

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class DocType:
    name: str
    codes: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    normative: bool = False
    code_variants: tuple[str, ...] = ()      # miswritten codes met in real symbols ("TTTLT"), read as codes[0]
    examples: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str
    level: str
    aliases: tuple[str, ...] = ()
    examples: tuple[str, ...] = field(default=(), compare=False)


@lru_cache(maxsize=None)
def doc_types() -> tuple[DocType, ...]:
    raw = yaml.safe_load((DATA / "doc_types.yaml").read_text(encoding="utf-8"))
    return tuple(DocType(name=e["name"], codes=tuple(e.get("codes") or ()), variants=tuple(e.get("variants") or ()),
                         normative=bool(e.get("normative")), examples=tuple(e.get("examples") or ()),
                         code_variants=tuple(e.get("code_variants") or ())) for e in raw)


@lru_cache(maxsize=None)
def issuers() -> tuple[Issuer, ...]:
    raw = yaml.safe_load((DATA / "issuers.yaml").read_text(encoding="utf-8"))
    return tuple(Issuer(code=e["code"], name=e["name"], level=e.get("level", ""), aliases=tuple(e.get("aliases") or ()),
                        examples=tuple(e.get("examples") or ())) for e in raw)


def doc_type_by_code(code: str) -> DocType | None:
    """"KH" → Kế hoạch; case-insensitive, accent-insensitive ("ND" matches NĐ)."""
    key = fold(code)
    return next((t for t in doc_types() if any(fold(c) == key for c in t.codes)), None)


def doc_type_by_name(name: str) -> DocType | None:
    """"KẾ HOẠCH", "Chi thị", "nghi quyet" → the type; accent- and case-insensitive, variants included."""
    key = " ".join(fold(name).split())
    for t in doc_types():
        if key == fold(t.name) or any(key == fold(v) for v in t.variants if len(v) > 3):
            return t
    return None


def issuer_by_code(code: str) -> Issuer | None:
    """"TTg" → Thủ tướng Chính phủ; "QH15" → Quốc hội (the term number is dropped)."""
    base = code.rstrip("0123456789")
    exact = next((i for i in issuers() if i.code == base), None)
    return exact or next((i for i in issuers() if fold(i.code) == fold(base)), None)
