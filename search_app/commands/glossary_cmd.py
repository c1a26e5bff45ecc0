"""`tdkt glossary check|gaps|show`: keep the glossary sound and complete.

- check: validate the glossary (duplicates, empty definitions, categories, links to sections of
  the bundled corpus, examples that do not name their term); exit 1 listing the problems.
- gaps:  the abbreviations the corpus uses that the glossary does not explain.
- show:  look an entry up (term, abbreviation or part of either) and print it.
"""
from __future__ import annotations

import argparse
import re
from functools import lru_cache
from pathlib import Path

from corpus.errors import UserError
from corpus.sources import iter_sources
from corpus.vntext import match_form
from glossary.gaps import corpus_abbreviation_gaps, read_text
from glossary.load import Glossary


def register(subparsers) -> None:
    p = subparsers.add_parser("glossary", help="check the glossary and list the corpus abbreviations it lacks")
    p.add_argument("--file", type=Path, default=None, help="glossary YAML (default: the bundled glossary/data/glossary.yaml)")
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    check = sub.add_parser("check", help="validate the glossary; exit 1 with the problems listed")
    check.add_argument("--corpus-dir", type=Path, default=None, help="corpus whose sections the links must name (default: the bundled corpus)")
    check.set_defaults(func=_check)
    gaps = sub.add_parser("gaps", help="abbreviations used in the corpus that the glossary does not explain")
    gaps.add_argument("--corpus-dir", type=Path, default=None, help="folder of documents to scan (default: the bundled corpus)")
    gaps.set_defaults(func=_gaps)
    show = sub.add_parser("show", help="print the entries matching a term or abbreviation")
    show.add_argument("query", help="a term, abbreviation or part of one (accents optional)")
    show.set_defaults(func=_show)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def _sources(corpus_dir: Path | None):
    if corpus_dir is None:
        return iter_sources()
    if not corpus_dir.is_dir():
        raise UserError(f"{corpus_dir}: not a folder of documents (give --corpus-dir a directory)")
    return iter_sources(corpus_dir)


# A section label as it opens a line of a raw text: "Điều 24.", "Chương II", "Mục 3".
_LABEL_LINE = r"^\W*{label}(?=[\s.:)]|$)"
_HEADER = 1500  # a document names its own symbol near the top ("Luật số: 06/2022/QH15")


def section_exists_in_texts(corpus_dir: Path | None) -> "callable":
    """A ``section_exists(symbol, label)`` over raw corpus files, for checking without a build:
    some file carrying the symbol in its header (first lines) has a line opening with the label. (The build passes its own,
    over the parsed sections.)"""
    texts = [match_form(read_text(s.path)) for s in _sources(corpus_dir)]
    headers = [t[:_HEADER].replace(" ", "") for t in texts]

    @lru_cache(maxsize=None)
    def exists(symbol: str, label: str) -> bool:
        sym = match_form(symbol).replace(" ", "")
        pattern = re.compile(_LABEL_LINE.format(label=re.escape(match_form(label))), re.MULTILINE)
        return any(sym in h and pattern.search(t) for h, t in zip(headers, texts))

    return exists


def _check(args: argparse.Namespace) -> int:
    glossary = Glossary.load(args.file)
    errors = glossary.validate(section_exists_in_texts(args.corpus_dir))
    for line in errors:
        print(line)
    print(f"{len(glossary.entries)} entries, {len(errors)} problem(s)")
    return 1 if errors else 0


def _gaps(args: argparse.Namespace) -> int:
    glossary = Glossary.load(args.file)
    texts = (read_text(s.path) for s in _sources(args.corpus_dir))
    gaps = corpus_abbreviation_gaps(texts, glossary)
    for token, count, example in gaps:
        print(f"{token}\t{count}\t{example}")
    print(f"{len(gaps)} abbreviation(s) not explained by the glossary")
    return 0


def _show(args: argparse.Namespace) -> int:
    glossary = Glossary.load(args.file)
    found = glossary.search(args.query)
    if not found:
        raise UserError(f"no glossary entry matches “{args.query}” (try `tdkt glossary show` with part of the term)")
    for e in found[:10]:
        abbr = f" ({', '.join(e.abbreviations)})" if e.abbreviations else ""
        print(f"{e.term}{abbr} [{e.category}]\n  {e.definition}")
        for link in e.links:
            print(f"  → {link.symbol} {link.label}")
    return 0
