"""Dependencies shared by the routes, as `Annotated` aliases (the FastAPI template's `api/deps.py`).

The knowledge base is opened once per app (or handed in by tests); routes ask for it with the
`KB` alias. A document id from a URL is checked with `corpus.ids.is_valid_id` before anything looks
it up, so a path-traversal attempt ("../../etc/passwd", "%2e%2e%2f") answers 404 and never reaches
the file system.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from corpus.errors import UserError
from corpus.ids import is_valid_id

from .settings import Settings


class KBHolder:
    """Opens the knowledge base on first use (so the app starts even before a build exists)."""

    def __init__(self, build_dir: Path | None, kb: Any = None):
        self.build_dir = build_dir
        self._kb = kb
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    from indexer.kb import KnowledgeBase  # the site is the top layer: it may import the indexer

                    if self.build_dir is None:
                        raise HTTPException(503, "Chưa có cơ sở dữ liệu: hãy chạy `tdkt build`.")
                    try:
                        self._kb = KnowledgeBase.open(self.build_dir)
                    except (UserError, OSError) as exc:
                        raise HTTPException(503, f"Chưa mở được cơ sở dữ liệu tại {self.build_dir}: {exc}") from exc
        return self._kb

    def replace(self, kb: Any) -> None:
        """Swap in a freshly built knowledge base (admin rebuild)."""
        with self._lock:
            self._kb = kb


def get_kb(request: Request) -> Any:
    return request.app.state.kb_holder.get()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


def checked_doc_id(doc_id: str) -> str:
    """The id from the URL if it is a well-formed document id; otherwise 404 naming it."""
    if not is_valid_id(doc_id):
        raise HTTPException(404, f"Không có văn bản với mã “{doc_id[:200]}”.")
    return doc_id


KB = Annotated[Any, Depends(get_kb)]
AppSettings = Annotated[Settings, Depends(get_settings)]
Templates = Annotated[Jinja2Templates, Depends(get_templates)]
DocId = Annotated[str, Depends(checked_doc_id)]
