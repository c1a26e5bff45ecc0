"""The one place that knows the site's URL scheme (datasette's url_builder habit).

Every route and every template builds its links through these functions, so changing a URL means
changing one line here. Query strings are encoded here too: a user's query text never reaches a
link unencoded.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

# Where the JSON API lives (the api router is mounted here; errors under it answer in JSON).
API_PREFIX = "/api"
# Search filters carried from page to page (facet links, paging, the "without filters" link).
FILTER_KEYS = ("type", "province", "issuer", "year_from", "year_to")
# The asker's context carried from page to page (search_app/context.py): not `province`, which is
# the facet filter on a document's province.
CONTEXT_KEYS = ("province_ctx", "sector", "as_of", "in_force")


def _qs(params: dict[str, Any]) -> str:
    """`?a=1&b=2` from the non-empty values, in a stable order; '' when nothing is left."""
    kept = [_pair(k, str(v)) for k, v in params.items() if v not in (None, "", [])]
    return "?" + "&".join(kept) if kept else ""


@lru_cache(maxsize=16_384)   # a results page links ~70 facet values, the same ones query after query
def _pair(key: str, value: str) -> str:
    """One `key=value` of a query string, encoded as urlencode does (quote_plus)."""
    return urlencode([(key, value)])


def home() -> str:
    return "/"


def doc_list(type: str | None = None, issuer: str | None = None, province: str | None = None,
             year: str | int | None = None) -> str:
    """The list of documents of one type, issuer, province or year (linked from the home page)."""
    return "/van-ban" + _qs({"type": type, "issuer": issuer, "province": province, "year": year})


def search(q: str | None = None, page: int | None = None, **filters: Any) -> str:
    """The search page for a query, filters (`type`, `province`, `issuer`, `year_from`, `year_to`)
    and context (`province_ctx`, `sector`, `as_of`, `in_force`)."""
    params: dict[str, Any] = {"q": q}
    params.update({k: filters.get(k) for k in FILTER_KEYS + CONTEXT_KEYS})
    if page and page > 1:
        params["page"] = page
    return "/search" + _qs(params)


def section_anchor(section_id: str | None) -> str:
    """The fragment naming one section on its document page.

    Articles get the short form officers can type and share ("dieu-5"), because an article number
    is unique within a document; other sections keep their full hierarchical id.
    """
    if not section_id:
        return ""
    last = section_id.rsplit(".", 1)[-1]
    if last.startswith("dieu-") and section_id.count("dieu-") == 1:
        return last
    return section_id


def doc(doc_id: str, section_id: str | None = None) -> str:
    """A document's page (corpus or cited document), optionally pointing at one section."""
    url = f"/doc/{quote(doc_id, safe='')}"
    anchor = section_anchor(section_id)
    return f"{url}#{anchor}" if anchor else url


def cited_by(doc_id: str) -> str:
    """Who cites a document: the list on its page (corpus and cited documents alike)."""
    return doc(doc_id) + "#cited-by"


def doc_download(doc_id: str, fmt: str) -> str:
    """A document's text to download: fmt "txt" or "docx"."""
    return f"/doc/{quote(doc_id, safe='')}.{fmt}"


def chain(doc_id: str, full: bool = False) -> str:
    """The chain page; ``full``: the diagram at its own size (it fits the width otherwise)."""
    return f"/doc/{quote(doc_id, safe='')}/chain" + ("?full=1" if full else "")


def lookup(text: str | None = None) -> str:
    return "/lookup" + _qs({"text": text})


def glossary(q: str | None = None, category: str | None = None) -> str:
    return "/glossary" + _qs({"q": q, "category": category})


def glossary_entry(slug: str) -> str:
    return f"/glossary/{quote(slug, safe='')}"


def award(award: str | None = None, recipient: str | None = None, date: str | None = None,
          province: str | None = None) -> str:
    """The award file page (/award) for an award, recipient kind, date and province."""
    return "/award" + _qs({"award": award, "recipient": recipient, "date": date, "province": province})


def award_compare(family: str | None = None, date: str | None = None, since: str | None = None) -> str:
    """A family of awards side by side across levels, two dates and the ministries' circulars."""
    return "/award/compare" + _qs({"family": family, "date": date, "since": since})


def award_eligible() -> str:
    """The eligibility form: a history of titles and awards by year, and a date."""
    return "/award/eligible"


def award_docx(award: str | None = None, recipient: str | None = None, date: str | None = None,
               province: str | None = None) -> str:
    """The decision's opening as a Word file, for the same choices as the page."""
    return "/award.docx" + _qs({"award": award, "recipient": recipient, "date": date, "province": province})


def static(path: str) -> str:
    return f"/static/{path}"


# JSON API: the same resources as the pages.
def api_search(q: str | None = None, **filters: Any) -> str:
    return f"{API_PREFIX}/search" + _qs({"q": q, **{k: filters.get(k) for k in FILTER_KEYS + CONTEXT_KEYS}})


def api_document(doc_id: str) -> str:
    return f"{API_PREFIX}/documents/{quote(doc_id, safe='')}"


def api_citations(doc_id: str) -> str:
    return api_document(doc_id) + "/citations"


def api_chain(doc_id: str) -> str:
    return api_document(doc_id) + "/chain"


def api_lookup() -> str:
    return f"{API_PREFIX}/lookup"


def api_glossary(q: str | None = None, category: str | None = None) -> str:
    return f"{API_PREFIX}/glossary" + _qs({"q": q, "category": category})


def api_award(award: str | None = None, recipient: str | None = None, date: str | None = None,
              province: str | None = None) -> str:
    return f"{API_PREFIX}/award" + _qs({"award": award, "recipient": recipient, "date": date, "province": province})


def api_eligible() -> str:
    return f"{API_PREFIX}/award/eligible"


def api_status() -> str:
    return f"{API_PREFIX}/status"


def api_docs() -> str:
    return "/docs"


def openapi() -> str:
    return "/openapi.json"


# --- the records (issue 16; search_app/routes/records.py) -----------------------------------------

def records(name: str | None = None, award: str | None = None, unit: str | None = None,
            date_from: str | None = None, date_to: str | None = None) -> str:
    return "/records" + _qs({"name": name, "award": award, "unit": unit, "from": date_from, "to": date_to})


def records_xlsx(name: str | None = None, award: str | None = None, unit: str | None = None,
                 date_from: str | None = None, date_to: str | None = None) -> str:
    return "/records/export.xlsx" + _qs({"name": name, "award": award, "unit": unit, "from": date_from, "to": date_to})


def records_decision(decision_id: int) -> str:
    return f"/records/decision/{int(decision_id)}"


def records_person(person_id: int) -> str:
    return f"/records/person/{int(person_id)}"


def records_collective(collective_id: int) -> str:
    return f"/records/collective/{int(collective_id)}"


def records_report(form: str = "0602", date_from: str | None = None, date_to: str | None = None) -> str:
    return f"/records/report/{quote(form)}" + _qs({"from": date_from, "to": date_to})


def records_report_xlsx(form: str, date_from: str | None = None, date_to: str | None = None) -> str:
    return f"/records/report/{quote(form)}.xlsx" + _qs({"from": date_from, "to": date_to})


def records_cell(form: str, date_from: str, date_to: str, row: str, column: str) -> str:
    return f"/records/report/{quote(form)}/lines" + _qs({"from": date_from, "to": date_to, "row": row, "col": column})


def records_template() -> str:
    return "/records/template.xlsx"


# --- registrations and proposals (issue 17) ---
def proposals_home(unit: str | None = None) -> str:
    return "/proposals" + _qs({"unit": unit})


def proposal(proposal_id: int) -> str:
    return f"/proposals/{proposal_id}"


def proposal_attachment(proposal_id: int, attachment_id: int) -> str:
    return f"/proposals/{proposal_id}/attachments/{attachment_id}"


def proposal_decision_docx(proposal_id: int) -> str:
    return f"/proposals/{proposal_id}/decision.docx"


def registration(registration_id: int) -> str:
    return f"/registrations/{registration_id}"
