"""The four parts of the pre-send check (proposals.checks.check_proposal): prerequisites from the
records, the dossier's documents, the deadline and the unit's ratio limits — each against the
award's rules in force on the proposal's date, each failure citing its article."""
from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

from awards.catalogue import RECIPIENTS, Award, Catalogue, Fact, default_catalogue, glossary_abbreviations
from awards.eligibility import check_prerequisite
from awards.pointers import documents_for, locate
from corpus.errors import UserError
from corpus.symbols import type_from_code
from records.columns import layout

from . import check_records as rec
from .check_rules import CheckRules, RatioRule, default_rules
from .check_model import Failure, ProposalToCheck, document_kind, document_kinds

# Types the symbol's code does not name: a law's symbol ends in its Quốc hội ("06/2022/QH15").
_LAW_BODIES = ("QH",)


def document_name(symbol: str) -> str:
    """"152/2025/NĐ-CP" → "Nghị định 152/2025/NĐ-CP", "06/2022/QH15" → "Luật 06/2022/QH15"."""
    code = symbol.split("/")[-1].split("-")[0]
    kind = type_from_code(code) or ("Luật" if code.startswith(_LAW_BODIES) else None)
    return f"{kind} {symbol}" if kind else symbol


def _vn(day: _dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


class Citer:
    """Turns a catalogue fact (or one point of it) into a Failure's article, link and quote."""

    def __init__(self, corpus: Any):
        self.corpus, self.docs = corpus, {}

    def cite(self, fact: Fact, quote: str | None = None, clause: str | None = None,
             point: str | None = None) -> dict[str, Any]:
        clause = clause or fact.clause
        article = " ".join(x for x in (f"điểm {point}" if point else None, clause, fact.article,
                                       document_name(fact.doc)) if x)
        out = {"article": article, "quote": quote or fact.quote, "doc_id": None, "section": None}
        if self.corpus is not None and fact.source.in_corpus:
            if fact.doc not in self.docs:
                self.docs[fact.doc] = documents_for(self.corpus, fact.doc)
            pinned = dataclasses.replace(fact, quote=quote or fact.quote, clause=clause)
            where = locate(self.corpus, pinned, self.docs[fact.doc]) or locate(self.corpus, fact, self.docs[fact.doc])
            if where is not None:
                out["doc_id"], out["section"] = where.doc_id, where.section_id
        return out


@dataclasses.dataclass
class Context:
    session: Any
    proposal: ProposalToCheck
    award: Award
    catalogue: Catalogue
    rules: CheckRules
    citer: Citer
    province: str | None

    def facts(self, kind: str, recipient: str | None = None) -> list[Fact]:
        return [f for f in self.award.facts_on(self.proposal.on, recipient, self.province) if f.kind == kind]

    @property
    def name(self) -> str:
        """The award as the officer's province names it ("Chiến sĩ thi đua cấp tỉnh")."""
        return self.award.provincial_name if self.province and self.award.provincial_name else self.award.name

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(n.kind for n in self.proposal.nominees)) or list(self.award.recipients)


# --- 1. prerequisites from the records ----------------------------------------------------------

def _as_of(p: ProposalToCheck) -> _dt.date:
    # the prerequisites count the years up to the achievement's year (eligibility counts to day.year - 1)
    return _dt.date(p.year + 1, 1, 1) if p.year is not None else p.on


def _wrong_kind(ctx: Context, nominee) -> Failure | None:
    """A nominee the award is not for (a collective proposed for a personal title)."""
    if nominee.kind in ctx.award.recipients:
        return None
    criteria = next((f for f in ctx.award.facts_on(ctx.proposal.on, None, ctx.province) if f.kind == "criteria"), None)
    allowed = ", ".join(RECIPIENTS[r] for r in ctx.award.recipients)
    cited = ctx.citer.cite(criteria) if criteria else {"article": ""}
    return Failure(rule="prerequisite", nominee=nominee.name, message=f"“{ctx.name}” không tặng cho "
                   f"{RECIPIENTS.get(nominee.kind, nominee.kind)} ({nominee.name}): chỉ tặng cho {allowed}.", **cited)


def prerequisite_failures(ctx: Context) -> list[Failure]:
    out = []
    for nominee in ctx.proposal.nominees:
        wrong = _wrong_kind(ctx, nominee)
        if wrong is not None:
            out.append(wrong)
            continue
        prereqs = [p for p in ctx.award.prerequisites if p.fact.source.applies_on(ctx.proposal.on, ctx.province)
                   and (not p.fact.recipients or nominee.kind in p.fact.recipients)]
        if not prereqs:
            continue
        known = rec.in_records(ctx.session, nominee)
        history = rec.history_of(ctx.session, nominee, ctx.catalogue, ctx.rules.ratings) if known else \
            rec.History(nominee.name, nominee.kind, {})
        for p in prereqs:
            outcome = check_prerequisite(history, p, _as_of(ctx.proposal))
            if outcome.met:
                continue
            lead = (f"{nominee.name}: đạt “{ctx.name}” cần {p.fact.quote[0].lower()}{p.fact.quote[1:]}"
                    if known else f"{nominee.name} không có trong cơ sở dữ liệu khen thưởng, nên không có quá trình "
                    f"khen thưởng để xét “{ctx.name}”; cần {p.fact.quote[0].lower()}{p.fact.quote[1:]}")
            out.append(Failure(rule="prerequisite", nominee=nominee.name,
                               message=f"{lead} — {'; '.join(outcome.reasons)}.", **ctx.citer.cite(p.fact)))
    return out


# --- 2. the dossier -----------------------------------------------------------------------------

def _attached(p: ProposalToCheck) -> set[str]:
    out = set()
    for a in p.attachments:
        kind = document_kind(a)
        out.add(kind.id if kind else a)
    return out


def dossier_failures(ctx: Context) -> list[Failure]:
    attached, labels = _attached(ctx.proposal), {k.id: k.label for k in document_kinds()}
    missing: dict[str, tuple[Fact, Any]] = {}
    for kind in ctx.kinds():
        for fact in ctx.facts("dossier", kind):
            rule = ctx.rules.dossier_rule(fact)
            for req in rule.requires if rule else ():
                if req.document in attached or (req.awards and ctx.award.name not in req.awards):
                    continue
                seen = missing.get(req.document)
                # the newest text cites it (the decree detailing the law's list)
                if seen is None or (fact.source.start or "") > (seen[0].source.start or ""):
                    missing[req.document] = (fact, req)
    return [Failure(rule="dossier", nominee=None,
                    message=f"Hồ sơ đề nghị “{ctx.name}” thiếu {labels.get(doc, doc)}.", document=doc,
                    **ctx.citer.cite(fact, req.quote, req.clause, req.point))
            for doc, (fact, req) in missing.items()]


# --- 3. the deadline ----------------------------------------------------------------------------

def _late(ctx: Context, fact: Fact, rule, year: int, nominee=None) -> Failure | None:
    on = ctx.proposal.on
    if on <= rule.last_day(year):
        return None
    said = rule.message.format(year=year, deadline=_vn(rule.named_day(year)),
                               name=nominee.name if nominee else "")
    return Failure(rule="deadline", nominee=nominee.name if nominee else None,
                   message=f"{said}; hồ sơ gửi ngày {_vn(on)} là quá hạn.", **ctx.citer.cite(fact))


def _per_nominee(ctx: Context, fact: Fact, rule) -> list[Failure]:
    """A deadline counted from each nominee's own decision (Chiến sĩ thi đua toàn quốc: the year
    after the decision of Chiến sĩ thi đua tỉnh); a nominee without one fails its prerequisite."""
    award = ctx.catalogue.get(rule.after_decision)
    out = []
    for nominee in ctx.proposal.nominees:
        decided = rec.last_decision(ctx.session, nominee, award) if ctx.session is not None else None
        failure = _late(ctx, fact, rule, decided.year, nominee) if decided else None
        if failure is not None:
            out.append(failure)
    return out


def deadline_failures(ctx: Context) -> list[Failure]:
    year, out, seen = ctx.proposal.year, [], set()
    for fact in ctx.facts("deadline"):
        rule = ctx.rules.deadline_rule(fact)
        if rule is None or rule in seen or (rule.methods and ctx.proposal.method not in rule.methods):
            continue
        seen.add(rule)
        if rule.after_decision:
            out += _per_nominee(ctx, fact, rule)
        elif year is not None:
            failure = _late(ctx, fact, rule, year)
            if failure is not None:
                out.append(failure)
    return out


# --- 4. ratio limits ----------------------------------------------------------------------------

def _ratio_failure(ctx: Context, fact: Fact, rule: RatioRule) -> Failure | None:
    p, year = ctx.proposal, ctx.proposal.year
    units = rec.unit_ids(ctx.session, p.unit_id, rule.scope)
    of = [ctx.catalogue.get(n) for n in rule.of]
    base = rec.holders(ctx.session, units, of, year)
    said = rule.message.format(award=ctx.name, year=year, limit=rule.limit)
    if rule.op == "at_most":
        awarded = rec.holders(ctx.session, units, [ctx.award], year)
        awarded |= {rec.recipient_key(n) or f"new:{n.name}" for n in p.nominees}
        if len(awarded) * 100 <= rule.limit * len(base):
            return None
        allowed = rule.limit * len(base) // 100
        detail = (f"theo cơ sở dữ liệu năm {year} có {len(base)} đạt {', '.join(rule.of)}, nên được tối đa "
                  f"{allowed}; đã có và đang đề nghị {len(awarded)}")
    else:
        if not p.unit_headcount:
            return None
        people = {k for k in base if k.startswith("p:")}
        share_ok = len(people) * 100 >= rule.limit * p.unit_headcount if rule.op == "at_least" else \
            len(people) * 100 > rule.limit * p.unit_headcount
        if share_ok:
            return None
        detail = (f"theo cơ sở dữ liệu đơn vị có {len(people)}/{p.unit_headcount} người đạt {', '.join(rule.of)} "
                  f"năm {year}")
    return Failure(rule="ratio", nominee=None, message=f"{said}: {detail}.", **ctx.citer.cite(fact))


def ratio_failures(ctx: Context) -> list[Failure]:
    if ctx.proposal.unit_id is None or ctx.proposal.year is None:
        return []
    out, seen = [], set()
    for kind in ctx.kinds():
        for fact in ctx.facts("limits", kind):
            rule = ctx.rules.ratio_rule(fact)
            if rule is None or rule in seen:
                continue
            seen.add(rule)
            failure = _ratio_failure(ctx, fact, rule)
            if failure is not None:
                out.append(failure)
    return out


def run_checks(session: Any, proposal: ProposalToCheck, catalogue: Catalogue | None = None,
               corpus: Any = None, rules: CheckRules | None = None) -> list[Failure]:
    cat = catalogue or default_catalogue()
    award = cat.find(proposal.award, glossary_abbreviations())
    if proposal.year is not None and not 1945 <= proposal.year <= proposal.on.year:
        raise UserError(f"năm thành tích {proposal.year} không hợp lệ: ghi năm từ 1945 đến năm của hồ sơ ({proposal.on.year})")
    if proposal.method not in layout().methods:
        raise UserError(f"phương thức khen thưởng “{proposal.method}” không có: dùng {', '.join(layout().methods)}")
    province = proposal.province or rec.unit_province(session, proposal.unit_id)
    ctx = Context(session, proposal, award, cat, rules or default_rules(), Citer(corpus), province)
    return (prerequisite_failures(ctx) + dossier_failures(ctx) + deadline_failures(ctx) + ratio_failures(ctx))
