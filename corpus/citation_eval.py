"""Score the citation extractor against a hand-annotated passage set (tests/gold/tnt305_citations.yaml).

Each gold citation has a category (numbered, by_name, party, joint, local; the gold file's header
says what each means). A found citation matches a gold one when their spans overlap in the passage
and they name the same document (same canonical symbol; for a law by name, any law-like citation
over the same words — whether it was also resolved to the right number is counted apart). A found
citation matching nothing is spurious, in the category its symbol implies (``category_of``).

Short forms ("Chỉ thị 34", "Thông tư này") are outside the gold set's scope and not counted.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .citation_rows import cite_rows
from .citations import extract_citations
from .errors import UserError
from .models import Citation
from .registry import Registry, key
from .vocab import doc_types

CATEGORIES = ("numbered", "by_name", "party", "joint", "local")
NUMBERED = ("numbered", "party", "joint", "local")        # every citation that carries a number
LAW_TYPES = {"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"}
# Codes of local state bodies: UBND, HĐND and the provincial departments (Sở: SNV, STP, SXD, SVHTT&DL …).
_LOCAL_ISSUER = re.compile(r"^(UBND|HĐND|S[A-ZĐ][A-ZĐ&]*)$")


def _key(canonical: str | None) -> str:
    return key(canonical)


def category_of(c: Citation) -> str:
    """The gold set's category a citation falls in, from its symbol (for spurious ones)."""
    canonical = c.canonical or ""
    if not c.number or not re.match(r"\d", canonical) or (c.doc_type in LAW_TYPES and not c.symbol):
        return "by_name"          # a law by name, resolved to its number or not
    if re.match(r"[\d.]+-", canonical):
        return "party"
    tail = canonical.split("/")
    codes = [x for part in tail[1:] for x in part.split("-") if x and not x.isdigit()]
    type_codes = {code for t in doc_types() for code in t.codes}
    if codes and ("LT" in codes[0] or codes[0] in ("QCPH",)):
        return "joint"
    issuers = codes[1:] if codes and codes[0] in type_codes else codes[:1]
    if len(issuers) >= 2 and codes and codes[0] in type_codes:
        return "joint"
    if any(_LOCAL_ISSUER.match(i) for i in issuers):
        return "local"
    return "numbered"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class PassageScore:
    by_category: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})
    all_numbered: Tally = field(default_factory=Tally)
    passages: int = 0
    # laws by name: recognised (matched) of all; resolved to the right number of those with one;
    # and of those the registry knows
    by_name_total: int = 0
    by_name_recognised: int = 0
    by_name_with_number: int = 0
    by_name_resolved: int = 0
    by_name_in_registry: int = 0
    by_name_resolved_in_registry: int = 0
    span_agree: int = 0
    date_agree: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    span_diffs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"passages": self.passages, "categories": {k: v.to_dict() for k, v in self.by_category.items()},
                "all_numbered": self.all_numbered.to_dict(),
                "by_name": {"total": self.by_name_total, "recognised": self.by_name_recognised,
                            "with_number": self.by_name_with_number, "resolved": self.by_name_resolved,
                            "in_registry": self.by_name_in_registry,
                            "resolved_in_registry": self.by_name_resolved_in_registry},
                "span_agreement": self.span_agree / self.matched if self.matched else 1.0,
                "date_agreement": self.date_agree / self.matched if self.matched else 1.0,
                "missed": self.missed, "spurious": self.spurious, "unresolved": self.unresolved,
                "span_diffs": self.span_diffs}


def load_passages(path: Path) -> list[dict[str, Any]]:
    """The gold passages; a clear error naming the file when it is not a passage set."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"{path}: cannot read the gold file ({exc})") from exc
    if not isinstance(data, list) or not all(isinstance(p, dict) and "text" in p and "citations" in p for p in data):
        raise UserError(f"{path}: not a passage gold set (expected a list of passages with 'text' and 'citations')")
    for p in data:
        for g in p["citations"]:
            if g.get("category") not in CATEGORIES:
                raise UserError(f"{path}: passage {p.get('id')}: unknown category {g.get('category')!r} "
                                f"(one of {', '.join(CATEGORIES)})")
            if p["text"][g["start"]:g["end"]] != g["text"]:
                raise UserError(f"{path}: passage {p.get('id')}: offsets {g['start']}-{g['end']} do not hold {g['text']!r}")
    return data


def _same_document(g: dict[str, Any], c: Citation) -> bool:
    if g["category"] == "by_name":
        return c.doc_type in LAW_TYPES
    return _key(c.canonical) == _key(g["canonical"])


def score_passages(path: Path, registry=None) -> PassageScore:
    """Precision, recall and F1 per category of ``extract_citations`` on the passages of ``path``."""
    registry = registry or Registry.load()
    s = PassageScore()
    for p in load_passages(path):
        s.passages += 1
        found = [c for c in extract_citations(p["text"]) if not c.short_form]
        used: set[int] = set()
        for g in p["citations"]:
            cat = g["category"]
            hit = next((i for i, c in enumerate(found) if i not in used and c.start < g["end"] and g["start"] < c.end
                        and _same_document(g, c)), None)
            tally = s.by_category[cat]
            if cat == "by_name":
                s.by_name_total += 1
                known = bool(g.get("canonical")) and bool(registry._by_key.get(_key(g["canonical"])))
                s.by_name_with_number += bool(g.get("canonical"))
                s.by_name_in_registry += known
            if hit is None:
                tally.fn += 1
                if cat != "by_name":
                    s.all_numbered.fn += 1
                s.missed.append(f"{p['id']} [{cat}]: {g['text']}")
                continue
            used.add(hit)
            c = found[hit]
            tally.tp += 1
            s.matched += 1
            if cat != "by_name":
                s.all_numbered.tp += 1
            else:
                s.by_name_recognised += 1
                if g.get("canonical"):
                    ok = _key(c.canonical) == _key(g["canonical"])
                    s.by_name_resolved += ok
                    s.by_name_resolved_in_registry += ok and known
                    if not ok:
                        s.unresolved.append(f"{p['id']}: {g['text']} → {c.canonical} (gold {g['canonical']})")
            same_text = " ".join(c.text.split()) == " ".join(g["text"].split())
            s.span_agree += same_text
            if not same_text:
                s.span_diffs.append(f"{p['id']}: found {' '.join(c.text.split())!r}, gold {g['text']!r}")
            want = str(g["date"]) if g.get("date") else None
            got = c.date or (str(c.year) if want and len(want) == 4 and c.year else None)
            s.date_agree += got == want
        for i, c in enumerate(found):
            if i in used:
                continue
            cat = category_of(c)
            s.by_category[cat].fp += 1
            if cat != "by_name":
                s.all_numbered.fp += 1
            s.spurious.append(f"{p['id']} [{cat}]: {c.text!r} → {c.canonical}")
    return s


def format_score(s: PassageScore, verbose: bool = False) -> str:
    """The report `tdkt cite-eval FILE` prints: one line per category, then laws by name."""
    lines = [f"{s.passages} passages", f"{'category':<14}{'P':>7}{'R':>7}{'F1':>7}{'found':>7}{'spur.':>7}{'missed':>7}"]
    rows = [(c, s.by_category[c]) for c in CATEGORIES] + [("all numbered", s.all_numbered)]
    for name, t in rows:
        lines.append(f"{name:<14}{t.precision:>7.3f}{t.recall:>7.3f}{t.f1:>7.3f}{t.tp:>7}{t.fp:>7}{t.fn:>7}")
    lines.append(f"laws by name: {s.by_name_recognised}/{s.by_name_total} recognised; resolved to their number "
                 f"{s.by_name_resolved}/{s.by_name_with_number} (of those the registry has: "
                 f"{s.by_name_resolved_in_registry}/{s.by_name_in_registry})")
    d = s.to_dict()
    lines.append(f"on the matched ones: span agrees {d['span_agreement']:.3f}, date agrees {d['date_agreement']:.3f}")
    lists = [("missed", s.missed), ("spurious", s.spurious), ("unresolved", s.unresolved)]
    if verbose:
        lists.append(("span", s.span_diffs))
    for label, items in lists:
        for m in items:
            lines.append(f"  {label + ':':<11} {m}")
    return "\n".join(lines)


# --- the seeds' gold list (`tdkt cite-eval --gold FILE --seeds DIR`) -------------------------------
def _occurrences(items: list[tuple[str, Any]]) -> dict[tuple[str, int], Any]:
    """(canonical key, n-th occurrence) → item: the n-th citation of a document in a seed."""
    seen: Counter = Counter()
    out = {}
    for k, item in items:
        seen[k] += 1
        out[(k, seen[k])] = item
    return out


def score_gold(gold_path: Path, seeds_dir: Path) -> dict[str, Any]:
    """Precision and recall of ``extract_citations`` on the seeds, matched by seed + canonical +
    occurrence; also how often type and date agree on the matched ones. Short forms (resolved
    against earlier text) are outside the gold list's scope and not counted."""
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8")) or {}
    tp = fp = fn = type_ok = date_ok = text_ok = 0
    missed, spurious, span_diffs = [], [], []
    for seed, expected in sorted(gold.items()):
        text = (Path(seeds_dir) / seed).read_text(encoding="utf-8")
        found = [c for c in extract_citations(text) if not c.short_form]
        want = _occurrences([(_key(g["canonical"]), g) for g in expected or []])
        got = _occurrences([(_key(c.canonical), c) for c in found])
        for k, g in want.items():
            c = got.get(k)
            if c is None:
                fn += 1
                missed.append(f"{seed}: {g['text']}")
                continue
            tp += 1
            type_ok += c.doc_type == g.get("type")
            date_ok += (c.date or None) == (str(g["date"]) if g.get("date") else None)
            same_text = " ".join(c.text.split()) == " ".join(g["text"].split())
            text_ok += same_text
            if not same_text:
                span_diffs.append(f"{seed}: found {' '.join(c.text.split())!r}, gold {g['text']!r}")
        for k, c in got.items():
            if k not in want:
                fp += 1
                spurious.append(f"{seed}: {c.text!r} → {c.canonical}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "true_positives": tp, "false_positives": fp,
            "false_negatives": fn, "type_agreement": type_ok / tp if tp else 1.0,
            "date_agreement": date_ok / tp if tp else 1.0, "span_agreement": text_ok / tp if tp else 1.0,
            "missed": missed, "spurious": spurious, "span_diffs": span_diffs}


# --- the drafting check on drafts with planted errors (`tdkt cite-eval --drafts FILE`) -------------
def draft_outcome(case: dict[str, Any], registry: Registry) -> tuple[str, list[dict[str, Any]]]:
    """("caught" or what went wrong, the rows) for one draft of the drafting-check set: the
    planted citation (the nth whose text contains ``at``) must carry exactly the planted kind,
    every other citation no warning; a correct draft (``error: null``) no warning at all."""
    rows = cite_rows(case["draft"], registry)
    error = case.get("error")
    if not error:
        alarms = [r["text"] for r in rows if r["warnings"]]
        return ("correct" if not alarms else f"false alarm on {alarms}"), rows
    hits = [r for r in rows if error["at"] in r["text"]]
    planted = hits[error["nth"] - 1] if len(hits) >= error["nth"] else None
    if planted is None:
        return "citation not found", rows
    others = [r["text"] for r in rows if r is not planted and r["warnings"]]
    kinds = sorted({w["kind"] for w in planted["warnings"]})
    if others:
        return f"warnings elsewhere: {others}", rows
    return ("caught" if kinds == [error["kind"]] else f"kinds {kinds}, planted {error['kind']}"), rows


def score_drafts(path: Path, registry: Registry) -> dict[str, Any]:
    """How many planted errors the drafting check catches on the right citation with the right
    kind, and how many correct drafts it warns about."""
    cases = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    outcomes = {c["id"]: draft_outcome(c, registry)[0] for c in cases}
    planted = [c["id"] for c in cases if c.get("error")]
    correct = [c["id"] for c in cases if not c.get("error")]
    return {"planted": len(planted), "caught": sum(outcomes[i] == "caught" for i in planted),
            "correct": len(correct), "false_alarms": sum(outcomes[i] != "correct" for i in correct),
            "by_kind": dict(Counter(c["error"]["kind"] for c in cases if c.get("error") and outcomes[c["id"]] == "caught")),
            "failures": {i: o for i, o in outcomes.items() if o not in ("caught", "correct")}}
