"""Several documents in one file → one line range per document.

A new document starts at an all-caps type line ("KẾ HOẠCH", "QUY CHẾ", "QUY ĐỊNH" …) when the
current one already had its own type line and either has been signed off (a "Nơi nhận" list or a
signature block) or the new one says it is issued with it ("(Ban hành kèm theo Quyết định …)").
Inside an appendix (PHỤ LỤC, Mẫu số …) type lines belong to forms and never split.
"""
from __future__ import annotations

import re

from .clean import is_all_caps, is_name
from .vocab import doc_type_by_name

_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục|DANH MỤC|MẪU SỐ|Mẫu số|MẪU|Mẫu)\b")
_SIGNED = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|Q\.|TL\.)")
_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành\s+)?kèm theo\s", re.IGNORECASE)


def is_type_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and is_all_caps(s) and doc_type_by_name(s) is not None


def split_documents(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) line ranges, one per document, covering every line."""
    starts = [0]
    seen_type = signed = in_appendix = False
    prev_caps = False
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s:
            continue
        if is_type_line(s):
            attached_next = any(_ATTACHED.match(x.strip()) for x in lines[i + 1:i + 6] if x.strip())
            if seen_type and not in_appendix and (signed or attached_next):
                starts.append(i)
                signed = in_appendix = False
            seen_type = True
        elif re.match(r"^(?:V/v\s|Số\s*:)", s):
            seen_type = True   # a Công văn has no type line: its "Số:"/"V/v" lines mark it
        elif _APPENDIX.match(s):
            in_appendix = True
        elif _SIGNED.match(s) or (is_name(s) and prev_caps):
            signed = seen_type or signed
        prev_caps = is_all_caps(s)
    return [(a, b) for a, b in zip(starts, starts[1:] + [len(lines)])]
