"""The document's metadata fields are defined once (corpus.models.HEADER_FIELDS, META_FIELDS): the
header reader's Meta, the parser, a passage and the knowledge base's list of documents follow them,
so a field added there reaches every one of them."""
from __future__ import annotations

from dataclasses import MISSING, fields

import pytest

from corpus.metadata import Meta
from corpus.models import HEADER_FIELDS, META_FIELDS, Document
from corpus.parse import parse_file
from corpus.sources import iter_sources
from indexer.kb_layout import document_meta
from indexer.passages import Passage, passages_from_document


def _defaults(cls) -> dict:
    return {f.name: (f.default_factory() if f.default_factory is not MISSING else f.default) for f in fields(cls)}


def test_meta_has_the_header_fields_of_document_with_their_defaults():
    meta, doc = _defaults(Meta), _defaults(Document)
    assert set(HEADER_FIELDS) <= set(meta)
    assert {n: meta[n] for n in HEADER_FIELDS} == {n: doc[n] for n in HEADER_FIELDS}
    assert Meta().recipients is not Meta().recipients       # a fresh list each, as on Document


def test_passage_carries_every_metadata_field():
    assert set(META_FIELDS) <= {f.name for f in fields(Passage)}


@pytest.fixture(scope="module")
def parsed():
    source = next(s for s in iter_sources() if s.rel.startswith("seeds/"))
    return parse_file(source).documents[0]


def test_a_parsed_documents_metadata_reaches_its_passages_and_the_list(parsed):
    assert parsed.symbol and parsed.doc_type            # a seed has a header
    listed = document_meta(parsed)
    for p in passages_from_document(parsed):
        for name in META_FIELDS:
            want = listed[name] if name != "title" else (listed["title"] or "")
            assert getattr(p, name) == want, (p.id, name)
    assert listed["date"] == (parsed.date.iso() if parsed.date else None)
    assert listed["id"] == parsed.id and listed["sections"] == len(parsed.sections)
    assert set(META_FIELDS) <= set(listed)


def test_the_typed_rows_of_the_seam_name_what_is_really_there(parsed):
    """KnowledgeBase.documents_meta() rows are DocumentMeta and status_dict() is a StatusDict: the
    TypedDicts list exactly the keys the code writes, so a field renamed in one place fails here."""
    from typing import get_type_hints

    from corpus.models import DocumentMeta
    from corpus.status import Status, StatusDict
    assert set(get_type_hints(DocumentMeta)) == set(document_meta(parsed))
    assert set(META_FIELDS) <= set(get_type_hints(DocumentMeta))
    assert set(get_type_hints(StatusDict)) == set(Status().to_dict())
