"""What the pre-send check reads and answers (proposals.checks.check_proposal): the proposal to
check with its nominees, the failures, and the kinds of document an officer may attach
(proposals/data/documents.yaml)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.vntext import fold

DOCUMENTS_FILE = Path(__file__).parent / "data" / "documents.yaml"


@dataclass(frozen=True)
class DocumentKind:
    id: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Nominee:
    """One recipient of a proposal."""
    name: str
    kind: str                           # "individual" | "collective" (awards.catalogue.RECIPIENTS)
    person_id: int | None = None        # records.models.Person.id, when the person is in the records
    collective_id: int | None = None    # records.models.Collective.id


@dataclass(frozen=True)
class ProposalToCheck:
    award: str                          # award name, as awards.catalogue.Catalogue.find reads it
    unit_id: int | None                 # records.models.Unit.id of the proposing unit
    on: _dt.date                        # the proposal's date: the rules in force that day apply
    year: int | None                    # the year (or the end of the period) the achievement is for
    nominees: tuple[Nominee, ...]
    attachments: tuple[str, ...]        # DocumentKind ids of the attached files
    unit_headcount: int | None = None   # people in the unit, for ratio rules stated on headcount
    province: str | None = None         # the province whose rules apply (awards' provincial sources)
    method: str = "thuong_xuyen"        # phương thức (records/data/columns.yaml methods): some deadlines
                                        # are for annual awards only, others exclude đột xuất, cống hiến …


@dataclass(frozen=True)
class Failure:
    rule: str                           # "prerequisite" | "dossier" | "deadline" | "ratio"
    nominee: str | None                 # None: the failure is the proposal's, not one nominee's
    message: str                        # Vietnamese, for the officer
    article: str                        # e.g. "khoản 1 Điều 24 Nghị định 152/2025/NĐ-CP"
    doc_id: str | None = None           # knowledge-base document id, to link the article
    section: str | None = None          # section id within it
    quote: str | None = None            # the words of the rule
    document: str | None = None         # dossier failures: the DocumentKind id that is missing


@lru_cache(maxsize=1)
def document_kinds() -> tuple[DocumentKind, ...]:
    """The kinds of document an officer may attach to a proposal (proposals/data/documents.yaml)."""
    raw = yaml.safe_load(DOCUMENTS_FILE.read_text(encoding="utf-8"))
    return tuple(DocumentKind(k["id"], k["label"], tuple(k.get("aliases") or ())) for k in raw["kinds"])


def document_kind(text: str) -> DocumentKind | None:
    """The kind an officer means by ``text`` (its id, label or an alias; accents do not matter)."""
    key = fold(text).strip()
    for kind in document_kinds():
        if key in {kind.id, fold(kind.label), *(fold(a) for a in kind.aliases)}:
            return kind
    return None
