"""Rendering: view-models -> self-contained HTML (vis-network inlined, no network, every value escaped).

Pure functions of their arguments: nothing here queries the graph or writes
files. Jinja2 autoescaping escapes every value that lands in HTML; data for
the page's script travels as JSON in a ``<script type="application/json">``
block with ``<``, ``>``, ``&`` and U+2028/2029 escaped, and is shown only as
canvas text, tooltip text (vis-network renders string titles as text) or
``textContent``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .graphs import GraphView, node_size
from .layout import component_layout, layered_layout

#: Colour and vis-network shape of each entity group (legend, filter and nodes).
STYLES: dict[str, tuple[str, str]] = {
    "model": ("#e15759", "triangle"),
    "model-family": ("#ff9d9a", "triangleDown"),
    "chip": ("#4e79a7", "square"),
    "compute": ("#76b7b2", "diamond"),
    "benchmark": ("#edc948", "star"),
    "evaluation": ("#f1ce63", "hexagon"),
    "deal": ("#9c755f", "hexagon"),
    "vendor": ("#1f4e79", "dot"),
    "developer": ("#b07aa1", "dot"),
    "buyer": ("#59a14f", "dot"),
    "organization": ("#8cd17d", "dot"),
    "product": ("#f28e2b", "dot"),
    "region": ("#bab0ac", "dot"),
    "business": ("#d4a6c8", "dot"),
    "domain": ("#d7d7d7", "dot"),
    "other": ("#a0a0a0", "dot"),
}
SHAPE_SYMBOL = {"dot": "●", "square": "■", "triangle": "▲", "triangleDown": "▼", "star": "★", "diamond": "◆",
                "hexagon": "⬢"}
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_RE = re.compile("[<>&\u2028\u2029]")


def script_json(value) -> Markup:
    """JSON that is safe inside a ``<script>`` element: ``</script>`` cannot end it early."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(_SCRIPT_RE.sub(lambda m: _SCRIPT_ESCAPES[m.group()], text))


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, as shipped inside the pyvis package (inlined into every view)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"),
                        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)))
    if not candidates:
        raise FileNotFoundError(f"vis-network.min.js not found under {lib} (is pyvis installed?)")
    text = candidates[-1].read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError(f"{candidates[-1]} cannot be inlined into a <script> element")
    return text


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("rivalgraph.views", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["static"] = _static
    env.globals["styles"] = STYLES
    env.globals["symbol"] = SHAPE_SYMBOL
    return env


def positions(view: GraphView) -> dict[str, tuple[float, float]]:
    """Where nodes start: layered for hierarchical views, force-directed in Python for large ones."""
    pairs = [(e.source, e.target) for e in view.edges]
    if view.hierarchical:
        return layered_layout({n.id: n.level or 0 for n in view.nodes}, pairs, {n.id: n.degree for n in view.nodes})
    if view.needs_python_layout:
        return component_layout([n.id for n in view.nodes], pairs)
    return {}


def graph_payload(view: GraphView, node_pages: dict[str, str] | None = None) -> dict:
    """The data the page's script reads (plain values only); ``node_pages``: id -> page to open on double-click."""
    pos = positions(view)
    nodes = []
    for n in view.nodes:
        item = {"id": n.id, "label": n.label, "group": n.group, "title": n.title, "size": node_size(n.degree),
                "names": n.names, "sources": n.sources}
        if n.id in pos:
            item["x"], item["y"] = pos[n.id]
        if node_pages and n.id in node_pages and n.id != view.focus:
            item["href"] = node_pages[n.id]
        nodes.append(item)
    edges = [{"id": e.id, "from": e.source, "to": e.target, "label": e.label, "title": e.title,
              "sources": e.sources} for e in view.edges]
    groups = {k: {"color": c, "shape": s} for k, (c, s) in STYLES.items()}
    return {"nodes": nodes, "edges": edges, "groups": groups, "physics": bool(nodes) and not view.needs_python_layout,
            "focus": view.focus,
            "large": len(view.nodes) > 1000}


def graph_html(view: GraphView, *, nav: list[tuple[str, str]] | None = None,
               node_pages: dict[str, str] | None = None) -> str:
    """One self-contained HTML page for a graph view."""
    return environment().get_template("graph.html.j2").render(
        view=view, nav=nav or [], data=script_json(graph_payload(view, node_pages)), vis_js=Markup(vis_network_js()),
        graph_js=Markup(_static("graph.js")))


def page_html(template: str, *, nav: list[tuple[str, str]] | None = None, **context) -> str:
    """One self-contained analyst page (leaderboard, compute, timeline, index)."""
    return environment().get_template(template).render(nav=nav or [], **context)


# -- chart geometry (for the compute page) ------------------------------------------

PALETTE = ("#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7",
           "#1f4e79", "#8cd17d", "#bab0ac")


def _day(date: str) -> int:
    from datetime import date as _date

    return _date.fromisoformat(date[:10]).toordinal()


def _nice_ticks(top: float, count: int = 5) -> list[float]:
    if top <= 0:
        return [0.0]
    import math

    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [i * step for i in range(int(top / step) + 2) if i * step <= top * 1.0001 + step]


def line_chart(metric, *, width: int = 880, height: int = 320) -> dict:
    """Coordinates of a time-series chart: axes, ticks, one polyline and its points per series."""
    from .text import number_text

    left, right, top, bottom = 70, 20, 16, 40
    pts = [(p.date, p.value) for s in metric.series for p in s.points]
    days = [_day(d) for d, _ in pts] or [0]
    d0, d1 = min(days), max(days)
    if d0 == d1:
        d0, d1 = d0 - 180, d1 + 180
    ymax_raw = max((v for _, v in pts), default=1) or 1
    ticks = _nice_ticks(ymax_raw)
    ymax = max(ticks[-1], ymax_raw)

    def x(date):
        return round(left + (_day(date) - d0) / (d1 - d0) * (width - left - right), 1)

    def y(value):
        return round(height - bottom - value / ymax * (height - top - bottom), 1)

    from datetime import date as _date

    years = range(_date.fromordinal(d0).year, _date.fromordinal(d1).year + 2)
    xticks = [(x(f"{yr}-01-01"), str(yr)) for yr in years if d0 <= _date(yr, 1, 1).toordinal() <= d1]
    if len(xticks) < 2:  # less than two years: label the first and last reported dates
        dates = sorted({d for d, _ in pts})
        xticks = [(x(d), d) for d in dict.fromkeys((dates[0], dates[-1]))] if dates else []
    series = []
    for i, s in enumerate(metric.series):
        points = [{"x": x(p.date), "y": y(p.value), "date": p.date, "value": number_text(str(p.value)),
                   "cites": p.cites} for p in s.points]
        series.append({"label": s.label, "color": PALETTE[i % len(PALETTE)], "points": points,
                       "path": " ".join(f"{p['x']},{p['y']}" for p in points)})
    return {"width": width, "height": height, "left": left, "right": width - right, "top": top,
            "bottom": height - bottom, "yticks": [(y(t), number_text(str(t))) for t in ticks], "xticks": xticks,
            "series": series}


def timeline_strip(items, *, width: int = 880, height: int = 90) -> dict:
    """Coordinates of a time axis with one marker per event (stacked when they share a date)."""
    from datetime import date as _date

    left, right, axis = 30, 20, 60
    if not items:
        return {"width": width, "height": height, "marks": [], "ticks": [], "axis": axis, "left": left,
                "right": width - right}
    days = [_day(i.date if len(i.date) == 10 else (i.date + "-01-01")[:10]) for i in items]
    d0, d1 = min(days), max(days)
    if d0 == d1:
        d0, d1 = d0 - 180, d1 + 180

    def x(day):
        return round(left + (day - d0) / (d1 - d0) * (width - left - right), 1)

    stack: dict[float, int] = {}
    marks = []
    for item, day in zip(items, days):
        px = x(day)
        level = stack.get(px, 0)
        stack[px] = level + 1
        marks.append({"x": px, "y": axis - 10 - min(level, 3) * 12, "color": STYLES[item.group][0], "item": item})
    years = range(_date.fromordinal(d0).year, _date.fromordinal(d1).year + 2)
    ticks = [(x(_date(y, 1, 1).toordinal()), str(y)) for y in years if d0 <= _date(y, 1, 1).toordinal() <= d1]
    return {"width": width, "height": height, "marks": marks, "ticks": ticks, "axis": axis, "left": left,
            "right": width - right}
