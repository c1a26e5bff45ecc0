"""The national registry: the 5,094 national documents the Bộ pháp điển điện tử codifies (số hiệu,
loại, tên, ngày ban hành, cơ quan, hiệu lực), shipped as corpus/data/national_documents.jsonl.gz
(provenance in corpus/data/national_documents.md). A citation of any of them resolves as "known",
with its date, issuer and title, so the drafting check can compare them.

``convert(src, out)`` makes the data file from the bulk metadata (`tdkt registry import-national
PATH`); ``load()`` reads it as registry entries. The editor's registry.yaml wins over it (same id).
"""
from __future__ import annotations

import gzip
import io
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .vntext import fold

NATIONAL_FILE = Path(__file__).parent / "data" / "national_documents.jsonl.gz"
SOURCE = "Bộ pháp điển điện tử (Bộ Tư pháp), dữ liệu đến 09/2023"


def _iso(dmy: str | None) -> str | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", (dmy or "").strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


def _row(raw: dict[str, Any]) -> dict[str, Any] | None:
    """One bulk metadata row as a data-file row; None when it has no usable number."""
    symbol = " ".join(str(raw.get("so_hieu") or "").split())
    if not symbol or not re.match(r"\d", symbol):
        return None
    return {"symbol": symbol, "type": raw.get("loai") or None, "title": (raw.get("ten") or "").strip(),
            "date": _iso(raw.get("ngay_ban_hanh")), "issuer": raw.get("co_quan") or None,
            "effective": _iso(raw.get("hieu_luc")), "vbpl": raw.get("vbpl_itemid") or None}


def convert(src: Path, out: Path = NATIONAL_FILE) -> int:
    """Write the data file from ``src`` (phapdien_documents.jsonl[.gz]); deterministic (sorted, no
    gzip timestamp). Returns the number of documents written. Damaged lines are skipped."""
    opener = gzip.open if str(src).endswith(".gz") else open
    rows: dict[str, dict[str, Any]] = {}
    with opener(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            try:
                row = _row(json.loads(line))
            except (ValueError, AttributeError):
                continue
            if row is not None:
                key = f"{row['symbol']}|{row['date'] or ''}"
                rows.setdefault(key, row)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for _, r in sorted(rows.items()))
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    tmp = Path(out).with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(out)
    return len(rows)


def rows(path: Path = NATIONAL_FILE) -> Iterable[dict[str, Any]]:
    if not Path(path).is_file():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def aliases(row: dict[str, Any]) -> list[str]:
    """How a law is cited by name: "Luật Trồng trọt", "Bộ luật Lao động" (name + date resolves)."""
    kind, name = row.get("type") or "", (row.get("title") or "").strip()
    if not name or kind not in ("Luật", "Bộ luật", "Pháp lệnh"):
        return []
    if re.match(r"(bo luat|luat|phap lenh)\b", fold(name)):     # "Luât Dân quân tự vệ": a typo in the source
        return [name[0].upper() + name[1:]]
    return [f"{kind} {name[0].upper()}{name[1:]}"]


@lru_cache(maxsize=2)
def load(path: Path = NATIONAL_FILE) -> tuple[dict[str, Any], ...]:
    """The data file's rows as raw registry entries (corpus.registry turns them into entries)."""
    out = []
    for r in rows(path):
        title = r.get("title") or ""
        if r.get("type") not in ("Luật", "Bộ luật", "Pháp lệnh") and title[:1].isupper() and title[1:2].islower():
            title = title[0].lower() + title[1:]     # the trích yếu follows "… của Chính phủ" in a full form
        eff = r.get("effective")
        since = f"; có hiệu lực từ {int(eff[8:]):02d}/{int(eff[5:7]):02d}/{eff[:4]}" if eff else ""
        out.append({"symbol": r["symbol"], "type": r.get("type"), "date": r.get("date"), "issuer": r.get("issuer"),
                    "title": title, "aliases": aliases(r), "effective": eff,
                    "status": {"state": "unknown", "source": f"{SOURCE}: văn bản được pháp điển hóa{since}"},
                    "origin": "national"})
    return tuple(out)
