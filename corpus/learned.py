"""The learned laws' data file (corpus/data/learned_laws.yaml): where it is and reading it. The
registry loads it after registry.yaml and the national registry; corpus.learn_laws writes it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LEARNED_FILE = Path(__file__).parent / "data" / "learned_laws.yaml"


def load(path: Path = LEARNED_FILE) -> list[dict[str, Any]]:
    """The learned rows; none when the file is missing or holds no list."""
    if not Path(path).is_file():
        return []
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return raw if isinstance(raw, list) else []
