"""Putting it together: read the graph once, build every view-model, render, write ``exports/views/``.

The three public functions (re-exported by :mod:`rivalgraph.views`) are what
the CLI and the HTTP server call.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from ..errors import ParameterError, UnknownEntity
from ..vocab import local_id
from . import focus, graphs, pages, render
from .data import GraphData, load_graph_data
from .queryview import query_graph

#: (file, title, description) of the graph views and pages every build writes.
VIEWS = (
    ("overview.html", "Landscape overview", "Organizations, chips, models, benchmarks and compute, sized by degree."),
    ("supply-chain.html", "Chip supply chain", "Vendor → chip → buyers, with quantities and dates on the edges."),
    ("models.html", "Models", "Developers, base models and successors, benchmarks and rivals."),
)
PAGES = (
    ("leaderboard.html", "Leaderboard", "Models × benchmarks, with the source of every score."),
    ("compute.html", "Compute over time", "GPUs, compute and chips held per organization, by date."),
    ("timeline.html", "Timeline", "Releases, finished training runs and launches."),
)
EGO_PAGES = 12


def nav(prefix: str = "") -> list[tuple[str, str]]:
    return [(prefix + "index.html", "Index")] + [(prefix + f, t) for f, t, _ in VIEWS + PAGES]


def ego_file(entity_id: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in entity_id)
    return f"ego-{safe}.html"


def render_site(data: GraphData, *, build_date: str) -> dict[str, str]:
    """Every view and page of the site, by file name (pure: no queries, no files)."""
    links = graphs.folded_links(data)
    menu = nav()
    top = graphs.top_entities(data, links, EGO_PAGES)
    pages_of = {e.id: ego_file(e.id) for e in top}  # double-click a node to open its ego page
    events = pages.timeline(data)

    def draw(view):
        return render.graph_html(view, nav=menu, node_pages=pages_of)

    out = {
        "overview.html": draw(graphs.overview(data, links)),
        "supply-chain.html": draw(graphs.supply_chain(data, links)),
        "models.html": draw(graphs.models(data, links)),
        "leaderboard.html": render.page_html("leaderboard.html.j2", nav=menu, title="Leaderboard",
                                             board=pages.leaderboard(data)),
        "compute.html": render.page_html("compute.html.j2", nav=menu, title="Compute over time",
                                         charts=[(m, render.line_chart(m)) for m in pages.compute_over_time(data)]),
        "timeline.html": render.page_html("timeline.html.j2", nav=menu, title="Timeline", items=events,
                                          strip=render.timeline_strip(events)),
    }
    egos = []
    for e in top:
        name = pages_of[e.id]
        out[name] = draw(graphs.ego(data, e.id, 2, links))
        egos.append((name, e.display()))
    index = pages.index_page(data, build_date, VIEWS, PAGES, egos)
    out["index.html"] = render.page_html("index.html.j2", nav=menu, title="rivalgraph views", page=index)
    return out


def build_views(graph, out_dir: Path) -> list[Path]:
    """Write every view and page and ``index.html`` into ``out_dir``; returns the files written.

    Each file is written beside its final name and renamed into place, so a
    browser never sees half a page.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    site = render_site(load_graph_data(graph), build_date=_dt.datetime.now(_dt.timezone.utc).date().isoformat())
    written = []
    for name in sorted(site):
        target = out_dir / name
        tmp = out_dir / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(site[name], encoding="utf-8")
        os.replace(tmp, target)
        written.append(target)
    return written


def ego_view_html(graph, entity: str, hops: int = 2, *, timeout: float | None = None) -> str:
    """The ego view of ``entity`` (id or any zh/en label); :class:`UnknownEntity` when the graph has none.

    Only the entity's neighbourhood is read (:mod:`rivalgraph.views.focus`);
    ``timeout`` (seconds) bounds that reading as a whole.
    """
    if hops < 1:
        raise ParameterError(f"hops must be at least 1, not {hops}")
    eid = local_id(str(graph.resolve(entity)))
    found = focus.ego_part(graph, eid, hops, timeout=timeout)
    if found is None:
        raise UnknownEntity(f"{entity!r} is not an entity the views can draw")
    data, truncated = found
    return render.graph_html(graphs.ego(data, eid, hops, truncated=truncated), nav=nav())


def query_view_html(graph, query: str, params: dict | None = None) -> str:
    """A query's result drawn as a graph: a named query or SPARQL text, with parameters.

    CONSTRUCT results are drawn triple by triple; SELECT results need two
    columns of entities (:class:`~rivalgraph.errors.ViewError` otherwise).
    """
    result = graph.query(query, params or {})
    data = focus.entity_data(graph, result)
    title = query if "\n" not in query and len(query) < 80 else "Query result"
    return render.graph_html(query_graph(data, result, title), nav=nav())
