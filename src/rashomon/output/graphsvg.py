"""The actors' relations as a graph: an inline SVG (no scripts, no network), one arrow per relation.

Nodes are the actors that take part in the most relations (at most :data:`MAX_NODES`), placed on a
circle in order of first appearance; an arrow runs from subject to object, labelled with the
predicate, thicker the more articles report it, and its tooltip lists the predicate and the article
count. Relations between actors left out are listed under the graph's caption count. Every string
is escaped here because the template inserts the SVG as markup.
"""

from __future__ import annotations

import math
from collections import Counter
from html import escape
from typing import Any, Sequence

__all__ = ["relation_graph"]

SIZE, RADIUS = 560, 200
MAX_NODES = 12
MAX_EDGES = 30


def relation_graph(relations: Sequence[dict[str, Any]]) -> str:
    if not relations:
        return ""
    degree: Counter = Counter()
    for r in relations:
        degree[r["subject"]] += len(r["article_ids"])
        degree[r["object"]] += len(r["article_ids"])
    nodes = [n for n, _ in degree.most_common(MAX_NODES)]
    order = {n: i for i, n in enumerate(dict.fromkeys(x for r in relations for x in (r["subject"], r["object"])
                                                      if x in nodes))}
    nodes.sort(key=lambda n: order[n])
    c = SIZE / 2
    pos = {n: (c + RADIUS * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
               c + RADIUS * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2)) for i, n in enumerate(nodes)}
    edges = [r for r in relations if r["subject"] in pos and r["object"] in pos][:MAX_EDGES]
    out = [f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="-90 0 {SIZE + 180} {SIZE}" width="100%" '
           f'role="img" aria-label="Relations between the actors">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5d6875"/></marker></defs>']
    pair_count: Counter = Counter()
    for r in edges:
        (x1, y1), (x2, y2) = pos[r["subject"]], pos[r["object"]]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        # parallel relations between one pair bend apart so their labels stay readable
        k = pair_count[(r["subject"], r["object"])]
        pair_count[(r["subject"], r["object"])] += 1
        bend = 18 * (k + 1) * (1 if k % 2 == 0 else -1)
        mx, my = (x1 + x2) / 2 - dy / length * bend, (y1 + y2) / 2 + dx / length * bend
        sx, sy = x1 + dx / length * 14, y1 + dy / length * 14
        ex, ey = x2 - dx / length * 16, y2 - dy / length * 16
        n = len(r["article_ids"])
        tip = escape(f"{r['subject']} — {r['predicate']} → {r['object']} ({n} article(s))")
        out.append(f'<path d="M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" fill="none" stroke="#8a96a3" '
                   f'stroke-width="{1 + min(n, 4) * 0.7:.1f}" marker-end="url(#arrow)"><title>{tip}</title></path>')
        out.append(f'<text x="{(sx + 2 * mx + ex) / 4:.1f}" y="{(sy + 2 * my + ey) / 4:.1f}" font-size="10" '
                   f'fill="#5d6875" text-anchor="middle">{escape(r["predicate"])}</text>')
    for name, (x, y) in pos.items():
        anchor = "start" if x > c + 5 else ("end" if x < c - 5 else "middle")
        lx = x + (14 if anchor == "start" else -14 if anchor == "end" else 0)
        ly = y + (4 if anchor != "middle" else (-16 if y < c else 24))
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#22663a" fill-opacity=".8">'
                   f'<title>{escape(name)}</title></circle>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" fill="#1d232b" text-anchor="{anchor}">'
                   f'{escape(name)}</text>')
    out.append("</svg>")
    hidden = len(relations) - len(edges)
    if hidden > 0:
        out.append(f'<div class="muted">{hidden} more relation(s) between other actors are in the JSON.</div>')
    return "".join(out)
