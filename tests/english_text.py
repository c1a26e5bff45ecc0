"""A small detector for English and internal names in text shown to users of a Vietnamese site.

What it flags, in a piece of visible text (or a JSON message):
- two or more common English function words ("the", "which", "of", "is" …) in one sentence: an
  English sentence or clause ("It details Luật 15/2003/QH11, which ended on …");
- internal names: seed ids ("seed 004", "seeds 000, 004"), file names of the project ("DOMAIN.md",
  "registry.yaml", "draft_check.py"), Python-style names with an underscore ("in_force",
  "cite_rows") and dotted module paths ("corpus.status").

What it accepts: Vietnamese (its function words never collide with the English list below, which
leaves out words that are also Vietnamese or Latin abbreviations officers write: "to", "a", "an" in
"Số: /KH-VP" …), document numbers ("98/2023/NĐ-CP", "34-CT/TW"), a few Latin words the site uses on
purpose ("API", "JSON", "URL", "PDF"), URLs and e-mail addresses, which are removed before checking.

The tests in tests/test_vietnamese_ui.py hold a table of real cases it must flag and accept.
"""
from __future__ import annotations

import re

# English words that carry a sentence and are never Vietnamese words (nor syllables officers type):
# two of them in one sentence is English. "in", "on", "at", "to", "a", "an" are left out — they
# are Vietnamese syllables or parts of abbreviations.
ENGLISH_WORDS = frozenset("""
the of and is are was were be been by with from which that this these those it its for not
when where what who whom whose will would should could has have had there their they them
than then into onto over under about after before only also such same each other any all
known cited details detail ended ends replaced replaces superseded amended brief learned title
texts text document documents date dates source note see none unknown found error page
""".split())

# Latin words the site shows on purpose (and document-number parts read as words).
ALLOWED_LATIN = frozenset({"api", "json", "url", "pdf", "docx", "txt", "word", "excel", "id", "http", "https",
                           "openapi", "tdkt", "html", "csv"})

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|(?<![\w/])/[a-z0-9/_.%#?=&-]+", re.IGNORECASE)
# "98/2023/NĐ-CP", "34-CT/TW", "Số: /KH-VP", "15/2003/QH11": a token with a digit or a slash.
_DOC_NUMBER = re.compile(r"\S*[/\d]\S*")
_SEED = re.compile(r"\bseeds? \d{3}\b", re.IGNORECASE)
_FILE_NAME = re.compile(r"\b[\w-]+\.(?:md|py|yaml|yml|jsonl|gz|toml|cfg|ini)\b", re.IGNORECASE)
# snake_case (two lowercase ASCII parts joined by "_") or a dotted module path "corpus.status".
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
_MODULE_PATH = re.compile(r"\b(?:corpus|indexer|search_app|glossary|awards|tooling|records|accounts)\.[a-z_]+\b")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+|\n+")


def internal_names(text: str) -> list[str]:
    """Seed ids, project file names, snake_case and module names in ``text``."""
    text = _URL.sub(" ", text)
    found = _SEED.findall(text)
    text = _DOC_NUMBER.sub(" ", text)   # "DAIKOOH12/bot_rasa" is a repository's name, "200/KH-UBND" a number
    found += _FILE_NAME.findall(text) + _MODULE_PATH.findall(text)
    found += [m for m in _SNAKE.findall(text) if m not in found and not any(m in f for f in found)]
    return found


def english_sentences(text: str) -> list[str]:
    """The sentences of ``text`` with two or more English function words (document numbers, URLs and
    allowed Latin words ignored)."""
    out = []
    for sentence in _SENTENCE.split(text):
        bare = _DOC_NUMBER.sub(" ", _URL.sub(" ", sentence))
        words = [w.lower() for w in _WORD.findall(bare)]
        english = [w for w in words if w in ENGLISH_WORDS and w not in ALLOWED_LATIN]
        if len(english) >= 2:
            out.append(sentence.strip())
    return out


def problems(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Everything in ``text`` a Vietnamese user should not see: English sentences, internal names
    (except ``allowed`` ones: the API's own parameter names on the API's page)."""
    return english_sentences(text) + [n for n in internal_names(text) if n not in allowed]
