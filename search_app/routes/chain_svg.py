"""The directive chain drawn server-side as inline SVG: one row of boxes per layer (the Politburo's
directive on top, units' plans at the bottom), an arrow from each plan up to what it implements,
every box a link. No JavaScript, no external assets; every label escaped."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

BOX_W, BOX_H = 200, 54
GAP_X, GAP_Y = 26, 56
PAD = 16
LABEL_CHARS = 26


def _short(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# A layer wider than this many boxes wraps onto more rows: nine plans side by side drew 1,814 px, cut
# off on a phone; five (1,168 px) fit a desktop screen, and the page scales the drawing to narrower ones.
MAX_PER_ROW = 5
WRAP_GAP_Y = 14   # between the wrapped rows of one layer: closer than between layers


def _positions(layers: list[list[str]]) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Top-left corner of each box, rows centred, a wide layer wrapped; the drawing's width and height."""
    widest = min(MAX_PER_ROW, max((len(layer) for layer in layers), default=1))
    width = PAD * 2 + widest * BOX_W + (widest - 1) * GAP_X
    pos = {}
    y = PAD
    for n_layer, layer in enumerate(layers):
        rows = [layer[i:i + MAX_PER_ROW] for i in range(0, len(layer), MAX_PER_ROW)] or [[]]
        for n_row, row in enumerate(rows):
            row_w = len(row) * BOX_W + (len(row) - 1) * GAP_X
            x0 = (width - row_w) // 2
            for i, node in enumerate(row):
                pos[node] = (x0 + i * (BOX_W + GAP_X), y)
            y += BOX_H + (WRAP_GAP_Y if n_row < len(rows) - 1 else GAP_Y)
    height = y - GAP_Y + PAD
    return pos, width, height


def _box(node: str, info: dict[str, Any], x: int, y: int, focus: bool) -> str:
    cls = "box focus" if focus else ("box" if info.get("in_corpus") else "box outside")
    line2 = info.get("date_display") or ""
    if info.get("issuer"):
        line2 = f"{line2} · {info['issuer']}" if line2 else info["issuer"]
    title = " — ".join(p for p in (info.get("label"), info.get("date_display"), info.get("title")) if p)
    return (f'<a href="{escape(info["url"])}" class="chain-node"><title>{escape(title)}</title>'
            f'<rect class="{cls}" x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text x="{x + BOX_W // 2}" y="{y + 22}" class="l1">{escape(_short(info.get("label") or node))}</text>'
            f'<text x="{x + BOX_W // 2}" y="{y + 40}" class="l2">{escape(_short(line2, 31))}</text></a>')


def _arrow(a: tuple[int, int], b: tuple[int, int], relation: str) -> str:
    """From the lower box's top edge to the upper box's bottom edge (lower implements upper)."""
    x1, y1 = a[0] + BOX_W // 2, a[1]
    x2, y2 = b[0] + BOX_W // 2, b[1] + BOX_H
    if y1 <= y2:  # same layer or upward data error: draw from the side instead of through boxes
        x1, y1, x2, y2 = a[0] + BOX_W, a[1] + BOX_H // 2, b[0], b[1] + BOX_H // 2
    cls = "edge" if relation == "implements" else f"edge {escape(relation)}"
    return f'<line class="{cls}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" marker-end="url(#arrow)"/>'


def chain_svg(layers: list[list[str]], edges: list[tuple[str, str, str]], nodes: dict[str, dict[str, Any]],
              focus: str) -> Markup:
    """The SVG for the chain page (an empty string when there is nothing to draw)."""
    if not edges:
        return Markup("")
    pos, width, height = _positions(layers)
    parts = [f'<svg class="chain" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="Sơ đồ chuỗi chỉ đạo">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>']
    parts += [_arrow(pos[a], pos[b], r) for a, b, r in edges if a in pos and b in pos]
    parts += [_box(n, nodes[n], *pos[n], focus=(n == focus)) for layer in layers for n in layer]
    parts.append("</svg>")
    return Markup("".join(parts))
