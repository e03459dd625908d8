"""Views of part of the graph, read a part at a time.

An ego view shows an entity and what lies within a few links of it; drawing
it from a whole-graph :class:`~rivalgraph.views.data.GraphData` means reading
every entity and claim first, seconds on the real graph. Here the same view is
read outward from the entity, one ring at a time, with
:class:`~rivalgraph.views.data.FocusedData`: the links of the ring (orders,
holdings and evaluations folded as in every view), then the next ring, until
``hops`` rings are read or the view is full. The last ring's own links are
read too, so the data holds every link between the chosen entities and
:func:`rivalgraph.views.graphs.ego` draws exactly what it would draw from the
whole graph. A query's drawing needs less still: the labels and classes of
the entities its result names (:func:`entity_data`).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

from rdflib import URIRef

from ..vocab import ID, local_id
from .data import FocusedData, GraphData
from .graphs import EGO_LIMIT, folded_links, raw_links
from .text import is_nary


def ego_data(graph, entity: str, hops: int, limit: int = EGO_LIMIT, *,
             timeout: float | None = None) -> GraphData | None:
    """The part of ``graph`` the ego view of ``entity`` (an id) draws; ``None`` when no such entity.

    ``timeout`` (seconds) bounds all the reading together
    (:class:`~rivalgraph.errors.QueryTimeout` past it).
    """
    part = FocusedData(graph, timeout)
    part.entities([entity])
    if entity not in part.data.entities:
        return None
    raw = is_nary(part.data.entities[entity])  # an order or evaluation itself: its parts, not folded
    ring, seen = [entity], {entity}
    for _ in range(hops):
        adjacent = _read_ring(part, ring, raw)
        nxt = []
        for cur in ring:  # the order graphs.ego walks in, so the same entities are chosen
            for other in sorted(adjacent[cur]):
                if other not in seen and len(seen) < limit:
                    seen.add(other)
                    nxt.append(other)
        ring = nxt
        if not ring:
            break
    _read_outer_ring(part, ring, raw)
    part.facts(seen | {e for e, ent in part.data.entities.items() if is_nary(ent)})
    return part.data


def _read_outer_ring(part: FocusedData, ring: list[str], raw: bool) -> None:
    """Read the links the outermost ring has with the entities already chosen.

    Its links to entities further out are not drawn, so its incoming links
    and its neighbours' labels are not read: only its outgoing links, and
    the orders, holdings and evaluations it takes part in, with their parts.
    """
    part.edges_from(ring)
    if not raw:
        nary = part.parts_of(ring)
        part.entities(nary)
        part.edges_from(nary)


def _read_ring(part: FocusedData, ring: list[str], raw: bool) -> dict[str, set[str]]:
    """Read every link of the entities in ``ring``; their neighbours, as the views fold links."""
    if not ring:
        return defaultdict(set)
    out, into = part.edges_from(ring), part.edges_to(ring)
    part.entities({c.object for c in out} | {c.subject for c in into})
    if not raw:
        ents = part.data.entities
        nary = {c.object for c in out if is_nary(ents.get(c.object))}
        nary |= {c.subject for c in into if is_nary(ents.get(c.subject))}
        part.entities({c.object for c in part.edges_from(nary)})
    links = raw_links(part.data) if raw else folded_links(part.data)
    adjacent: dict[str, set[str]] = defaultdict(set)
    for link in links:
        adjacent[link.source].add(link.target)
        adjacent[link.target].add(link.source)
    return adjacent


def entity_data(graph, result, *, timeout: float | None = None) -> GraphData:
    """The entities a query result names (labels, classes), for drawing the result."""
    terms = chain.from_iterable(result.triples) if result.kind == "graph" else chain.from_iterable(result.rows)
    ids = {local_id(str(t)) for t in terms if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    part = FocusedData(graph, timeout)
    part.entities(ids)
    return part.data
