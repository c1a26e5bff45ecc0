"""The pre-send check of a proposal: each nominee against the award's rules in force on the
proposal's date — prerequisites from the records, the dossier's documents, the deadline and the
unit's ratio limits — each failure citing its article.

This module is the seam between the proposal workflow (proposals/*.py, which calls
``check_proposal`` on submit and shows the failures) and the rules (awards/, records/); the types
it reads and answers are in proposals.check_model, the four parts in proposals.check_run.
"""
from __future__ import annotations

from typing import Any

from .check_model import DocumentKind, Failure, Nominee, ProposalToCheck, document_kind, document_kinds
from .check_run import run_checks

__all__ = ["DocumentKind", "Failure", "Nominee", "ProposalToCheck", "check_proposal", "document_kind",
           "document_kinds"]


def check_proposal(session: Any, proposal: ProposalToCheck, catalogue: Any = None,
                   corpus: Any = None) -> list[Failure]:
    """Every rule the proposal fails on its date; an empty list when it may be sent.

    ``session``: a records database session (records.db), for the nominees' award histories and
    the unit's counts. ``corpus``: the knowledge base (indexer.kb.KnowledgeBase), to link each
    failure to the section that states its rule; without it the failures carry no link.
    An unknown award is a UserError (awards.catalogue.UnknownAward) naming the closest ones."""
    return run_checks(session, proposal, catalogue, corpus)
