"""The bundled corpus: which raw files there are and where each comes from."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DOCUMENTS_DIR = Path(__file__).parent / "documents"
PROVENANCE_FILE = Path(__file__).parent / "data" / "sources.yaml"
# Files in the corpus folder that are not documents.
NOT_DOCUMENTS = {"SOURCES.md", "README.md"}


@dataclass
class SourceFile:
    path: Path                  # absolute path on disk (never modified)
    rel: str                    # path under the corpus root, with "/" separators
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def codified(self) -> bool:
        return bool(self.provenance.get("codified")) or "/phapdien_" in f"/{self.rel}"

    def content_hash(self) -> str:
        h = hashlib.sha256()
        with open(self.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()


def load_provenance(path: Path = PROVENANCE_FILE) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def iter_sources(root: Path = DOCUMENTS_DIR, provenance: dict[str, dict] | None = None) -> list[SourceFile]:
    """Every document file under ``root`` in a stable order (sorted by relative path)."""
    root = Path(root)
    if provenance is None:
        provenance = load_provenance() if root.resolve() == DOCUMENTS_DIR.resolve() else {}
    files = []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name in NOT_DOCUMENTS or p.name.startswith("."):
            continue
        rel = p.relative_to(root).as_posix()
        files.append(SourceFile(path=p, rel=rel, provenance=dict(provenance.get(rel, {}))))
    return files
