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
from .data import CHUNK, FocusedData, GraphData
from .graphs import EGO_LIMIT, adjacency, folded_links, raw_links
from .text import is_nary


def ego_data(graph, entity: str, hops: int, limit: int = EGO_LIMIT, *,
             timeout: float | None = None) -> GraphData | None:
    """The part of ``graph`` the ego view of ``entity`` (an id) draws; ``None`` when no such entity."""
    found = ego_part(graph, entity, hops, limit, timeout=timeout)
    return None if found is None else found[0]


def ego_part(graph, entity: str, hops: int, limit: int = EGO_LIMIT, *,
             timeout: float | None = None) -> tuple[GraphData, bool] | None:
    """The part of ``graph`` the ego view of ``entity`` draws, and whether the view stops at ``limit``.

    Pass the second to :func:`rivalgraph.views.graphs.ego` as ``truncated``.
    ``timeout`` (seconds) bounds all the reading together
    (:class:`~rivalgraph.errors.QueryTimeout` past it).
    """
    part = FocusedData(graph, timeout)
    part.entities([entity])
    if entity not in part.data.entities:
        return None
    raw = is_nary(part.data.entities[entity])  # an order or evaluation itself: its parts, not folded
    # The walk of graphs.ego, a chunk of its queue at a time (so the same entities
    # are chosen): until the view is full and an entity it cannot take turns up.
    depth, queue, start, walked, truncated = {entity: 0}, [entity], 0, set(), False
    while start < len(queue) and not truncated:
        batch = [n for n in queue[start:start + CHUNK] if depth[n] < hops]
        if not batch:
            break  # the queue is in order of depth
        start += len(batch)
        adjacent = _read_ring(part, batch, raw)
        walked.update(batch)
        for cur in batch:
            for other in sorted(adjacent[cur]):
                if other in depth:
                    continue
                if len(depth) >= limit:
                    truncated = True
                    break
                depth[other] = depth[cur] + 1
                queue.append(other)
            if truncated:
                break
    seen = set(depth)
    _read_outer_ring(part, sorted(seen - walked), raw)
    part.facts(seen | _joining(part.data, seen, raw))
    return part.data, truncated


def _joining(data: GraphData, seen: set[str], raw: bool) -> set[str]:
    """The orders, holdings and evaluations that join two chosen entities (their values label the link)."""
    if raw:
        return set()
    parts: dict[str, set[str]] = defaultdict(set)
    for c in data.edges:
        if c.object in seen and is_nary(data.entities.get(c.subject)):
            parts[c.subject].add(c.object)
    return {node for node, ends in parts.items() if len(ends) > 1}


def _read_outer_ring(part: FocusedData, ring: list[str], raw: bool) -> None:
    """Read the links the chosen entities not walked from (the outermost) have among the chosen.

    Their links to entities further out are not drawn, so their incoming
    links and their neighbours' labels are not read: only their outgoing
    links, and the orders, holdings and evaluations they take part in, with
    their parts.
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
    return adjacency(raw_links(part.data) if raw else folded_links(part.data))


def entity_data(graph, result) -> GraphData:
    """The entities a query result names (labels, classes), for drawing the result."""
    terms = chain.from_iterable(result.triples) if result.kind == "graph" else chain.from_iterable(result.rows)
    ids = {local_id(str(t)) for t in terms if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    part = FocusedData(graph)
    part.entities(ids)
    return part.data
