"""Interactive graph views and analyst pages: self-contained HTML that works offline.

Layers, one way: :mod:`.data` asks the graph the view queries
(``queries/views/*.rq``); :mod:`.graphs`, :mod:`.queryview` and :mod:`.pages`
turn the answers into plain view-models; :mod:`.render` turns view-models into
HTML (vis-network inlined, every value escaped); :mod:`.site` puts it together
and is the only part that writes files.

    >>> from rivalgraph.views import build_views, ego_view_html, query_view_html
    >>> build_views(rg, Path("exports/views"))          # every view, page and index.html
    >>> html = ego_view_html(rg, "商汤", hops=2)          # one entity, two hops out
    >>> html = query_view_html(rg, "chip-orders", {"chip": "A800"})
"""

from __future__ import annotations

from pathlib import Path


def build_views(graph, out_dir: Path) -> list[Path]:
    """Write every view and page and ``index.html`` into ``out_dir``."""
    from .site import build_views as run

    return run(graph, out_dir)


def ego_view_html(graph, entity: str, hops: int = 2, *, timeout: float | None = None) -> str:
    """The ego view of ``entity`` (by id or any zh/en label), ``hops`` links out.

    Reads only the entity's neighbourhood; ``timeout`` (seconds) bounds that reading.
    """
    from .site import ego_view_html as run

    return run(graph, entity, hops, timeout=timeout)


def query_view_html(graph, query: str, params: dict | None = None) -> str:
    """Any SPARQL result (named query or text) drawn as a graph."""
    from .site import query_view_html as run

    return run(graph, query, params)


__all__ = ["build_views", "ego_view_html", "query_view_html"]
