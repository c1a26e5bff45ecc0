"""/docs: the API described from FastAPI's own OpenAPI schema, rendered server-side.

FastAPI's built-in Swagger UI loads its scripts from a CDN; the site must work offline and load no
external assets, so the same schema (/openapi.json) is shown as a plain page instead.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..deps import Templates

router = APIRouter(include_in_schema=False)


def describe_api(schema: dict) -> list[dict]:
    """One row per operation: method, path, summary and its parameters."""
    rows = []
    for path, ops in sorted(schema.get("paths", {}).items()):
        for method, op in ops.items():
            params = [{"name": p.get("name"), "where": p.get("in"), "required": p.get("required", False),
                       "description": p.get("description") or (p.get("schema") or {}).get("description") or ""}
                      for p in op.get("parameters", [])]
            if "requestBody" in op:
                params.append({"name": "body (JSON)", "where": "body", "required": True})
            rows.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""), "params": params})
    return rows


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, templates: Templates):
    rows = describe_api(request.app.openapi())
    return templates.TemplateResponse(request, "api_docs.html", {"rows": rows})
