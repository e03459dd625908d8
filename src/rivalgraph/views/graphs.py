"""Graph view-models: nodes and edges with labels, groups, tooltips and sources.

Built from :class:`~rivalgraph.views.data.GraphData` (or a query result); no
markup and no files here. N-ary entities (chip orders, chip holdings,
evaluations) are folded into direct edges between the things they connect
(chip -> buyer "ordered ~100,000 (2023)"), which is how an analyst reads them.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

from .data import Claim, Entity, GraphData
from .text import (
    GROUP_LABELS, claim_edge_lines, entity_tooltip, group_of, is_nary, is_organization, number_text,
    value_text,
)

#: Above this many nodes the layout is computed in Python and physics stays off.
PYTHON_LAYOUT_ABOVE = 1000
OVERVIEW_LIMIT = 2000
EGO_LIMIT = 1500


@dataclass
class Node:
    id: str
    label: str
    group: str
    title: str
    names: list[str] = field(default_factory=list)  # every label and alias, for search
    sources: list[str] = field(default_factory=list)
    degree: int = 0
    level: int | None = None  # column in a layered picture
    x: float | None = None
    y: float | None = None


@dataclass
class Edge:
    id: str
    source: str
    target: str
    label: str
    title: str
    sources: list[str] = field(default_factory=list)


@dataclass
class GraphView:
    slug: str
    title: str
    description: str
    nodes: list[Node]
    edges: list[Edge]
    sources: list[tuple[str, str]] = field(default_factory=list)  # (id, label) for the source filter
    note: str = ""
    focus: str | None = None
    hierarchical: bool = False

    @property
    def groups(self) -> list[tuple[str, str, str]]:
        present = {n.group for n in self.nodes}
        return [(k, *GROUP_LABELS[k]) for k in GROUP_LABELS if k in present]

    @property
    def needs_python_layout(self) -> bool:
        return len(self.nodes) > PYTHON_LAYOUT_ABOVE or self.hierarchical


# -- the folded entity graph ---------------------------------------------------

@dataclass
class Link:
    """An edge of the folded graph: one or more claims behind one labelled arrow."""

    source: str
    target: str
    kind: str  # property id or a folded kind: ordered, holds, evaluatedOn, comparedWith, supplies
    label: str
    claims: list[Claim] = field(default_factory=list)


def folded_links(data: GraphData) -> list[Link]:
    """Entity-to-entity links, with orders, holdings and evaluations folded into edges."""
    ents = data.entities
    links: dict[tuple[str, str, str], Link] = {}

    def add(s, t, kind, label, claims):
        if s not in ents or t not in ents or s == t:
            return
        key = (s, t, kind)
        if key not in links:
            links[key] = Link(s, t, kind, label)
        link = links[key]
        for c in claims:
            if c not in link.claims:
                link.claims.append(c)
        if kind in ("ordered", "holds"):
            link.label = label

    by_subject = data.edges_by_subject()
    facts = data.facts_by_subject()
    for c in data.edges:
        if not is_nary(ents.get(c.subject)) and not is_nary(ents.get(c.object)):
            add(c.subject, c.object, c.property, data.property_label(c.property), [c])
    for eid, e in ents.items():
        if not is_nary(e):
            continue
        out = defaultdict(list)
        for c in by_subject.get(eid, ()):
            out[c.property].append(c)
        fs = facts.get(eid, [])
        if "ChipOrder" in e.classes:
            qty = [f for f in fs if f.property in ("quantity", "orderValue", "quantityPerBuyer")]
            main = next((f for f in fs if f.property == "quantity"), None)
            buyers = out.get("buyer", [])
            amount = f" {number_text(main.value)}" + (" in all" if len(buyers) > 1 else "") if main else ""
            label = "ordered" + amount + (f" ({main.date[:4]})" if main and main.date else "")
            chips = out.get("orderedChip", [])
            for sup in out.get("supplier", []):
                for ch in chips:
                    add(sup.object, ch.object, "supplies", "supplies", [sup, ch])
                if not chips:
                    for b in out.get("buyer", []):
                        add(sup.object, b.object, "ordered", label, [sup, b, *qty])
            for ch in chips:
                for b in out.get("buyer", []):
                    add(ch.object, b.object, "ordered", label, [ch, b, *qty])
        elif "ChipHolding" in e.classes:
            qty = sorted((f for f in fs if f.property in ("quantity", "computeH100e")), key=lambda f: f.date or "")
            latest = next((f for f in reversed(qty) if f.property == "quantity"), None)
            label = "holds" + (f" {number_text(latest.value)}" if latest else "") + (f" ({latest.date})" if latest and latest.date else "")
            for ch in out.get("heldChip", []):
                for o in out.get("owner", []):
                    add(ch.object, o.object, "holds", label, [ch, o, *qty])
        else:  # Evaluation
            scores = [f for f in fs if f.property in ("score", "overallRank", "benchmarkCount", "questionCount")]
            for m in out.get("evaluatedModel", []):
                for b in out.get("benchmark", []):
                    add(m.object, b.object, "evaluatedOn", "evaluated on", [m, b, *scores])
                for x in out.get("comparedWith", []):
                    add(m.object, x.object, "comparedWith", "compared with", [m, x])
    return [links[k] for k in sorted(links)]


def _link_title(link: Link, data: GraphData) -> str:
    ents = data.entities
    lines = [f"{ents[link.source].display()} → {link.label} → {ents[link.target].display()}"]
    for c in sorted(link.claims, key=lambda c: (c.property, c.date or "", c.statement)):
        lines += claim_edge_lines(c, data)
    return "\n".join(lines)


def _link_sources(link: Link) -> list[str]:
    return sorted({s for c in link.claims for s in c.sources})


def node_size(degree: int) -> float:
    return round(min(10 + 5 * math.sqrt(degree), 50), 1)


def make_view(data: GraphData, slug: str, title: str, description: str, node_ids, links: list[Link],
              *, note: str = "", focus: str | None = None, hierarchical: bool = False) -> GraphView:
    """Nodes (with tooltips and search names) and edges for the chosen entities and links."""
    ids = set(node_ids)
    links = [l for l in links if l.source in ids and l.target in ids]
    degree: dict[str, int] = defaultdict(int)
    node_sources: dict[str, set[str]] = defaultdict(set)
    for l in links:
        degree[l.source] += 1
        degree[l.target] += 1
        for s in _link_sources(l):
            node_sources[l.source].add(s)
            node_sources[l.target].add(s)
    facts = data.facts_by_subject()
    nodes = []
    for eid in sorted(ids):
        e = data.entities[eid]
        fs = facts.get(eid, [])
        for f in fs:
            node_sources[eid].update(f.sources)
        label = e.label_en or e.id
        if e.label_zh and e.label_zh != label:
            label += "\n" + e.label_zh
        nodes.append(Node(eid, label, group_of(e.classes), entity_tooltip(e, data, fs), e.names(),
                          sorted(node_sources[eid]), degree[eid]))
    edges = [Edge(f"e{i}", l.source, l.target, l.label, _link_title(l, data), _link_sources(l))
             for i, l in enumerate(links)]
    used = sorted({s for n in nodes for s in n.sources})
    return GraphView(slug, title, description, nodes, edges, [(s, data.source_label(s)) for s in used],
                     note, focus, hierarchical)


# -- the views ------------------------------------------------------------------

def overview(data: GraphData, links: list[Link] | None = None, limit: int = OVERVIEW_LIMIT) -> GraphView:
    """The landscape: every entity but orders, holdings and evaluations, sized by degree."""
    links = folded_links(data) if links is None else links
    degree: dict[str, int] = defaultdict(int)
    for l in links:
        degree[l.source] += 1
        degree[l.target] += 1
    candidates = [eid for eid, e in data.entities.items() if not is_nary(e)]
    note = ""
    if len(candidates) > limit:
        candidates = sorted(candidates, key=lambda i: (-degree[i], i))[:limit]
        note = f"Showing the {limit:,} best-connected of {len([1 for e in data.entities.values() if not is_nary(e)]):,} entities."
    return make_view(data, "overview", "Landscape overview",
                     "Organizations, chips, models, benchmarks and compute, sized by how connected they are.",
                     candidates, links, note=note)


def raw_links(data: GraphData) -> list[Link]:
    """Entity-to-entity links as the claims state them, orders and evaluations not folded."""
    links: dict[tuple[str, str, str], Link] = {}
    for c in data.edges:
        if c.subject in data.entities and c.object in data.entities:
            key = (c.subject, c.object, c.property)
            links.setdefault(key, Link(c.subject, c.object, c.property, data.property_label(c.property))).claims.append(c)
    return [links[k] for k in sorted(links)]


def adjacency(links: list[Link]) -> dict[str, set[str]]:
    """Each entity's neighbours over ``links``, either direction."""
    adj: dict[str, set[str]] = defaultdict(set)
    for link in links:
        adj[link.source].add(link.target)
        adj[link.target].add(link.source)
    return adj


def ego(data: GraphData, entity: str, hops: int = 2, links: list[Link] | None = None,
        limit: int = EGO_LIMIT, *, truncated: bool = False) -> GraphView:
    """An entity and everything within ``hops`` links of it (either direction).

    ``truncated`` says the view stopped at ``limit`` even when ``data`` (a part
    of the graph, :mod:`rivalgraph.views.focus`) no longer shows why.
    """
    e = data.entities[entity]
    if is_nary(e):
        links = raw_links(data)  # an order or evaluation itself: show its parts
    elif links is None:
        links = folded_links(data)
    adj = adjacency(links)
    seen = {entity: 0}
    queue = deque([entity])
    stopped = truncated
    while queue:
        cur = queue.popleft()
        if seen[cur] >= hops:
            continue
        for nxt in sorted(adj[cur]):
            if nxt not in seen:
                if len(seen) >= limit:
                    stopped = True
                    break
                seen[nxt] = seen[cur] + 1
                queue.append(nxt)
    note = f"Stopped at {limit:,} entities." if stopped else ""
    return make_view(data, f"ego-{entity}", f"{e.display()}: {hops} hop{'s' if hops != 1 else ''} out",
                     f"{e.display()} and everything linked to it within {hops} step(s).", seen, links,
                     note=note, focus=entity)


SUPPLY_KINDS = ("supplies", "ordered", "holds", "manufacturer", "variantOf", "exportMarket", "exportSubstituteFor")


def supply_chain(data: GraphData, links: list[Link] | None = None) -> GraphView:
    """Vendor -> chip family -> buyers, with quantities and dates on the edges."""
    links = folded_links(data) if links is None else links
    chosen = []
    for l in links:
        if l.kind not in SUPPLY_KINDS:
            continue
        if l.kind == "manufacturer":  # chip -> vendor reads better as vendor -> chip
            l = Link(l.target, l.source, "makes", "makes", l.claims)
        chosen.append(l)
    ids = {i for l in chosen for i in (l.source, l.target)}
    view = make_view(data, "supply-chain", "Chip supply chain",
                     "Who makes which chips and who orders or holds them: quantities, dates and sources on the edges.",
                     ids, chosen, hierarchical=True)
    for n in view.nodes:
        n.level = supply_level(data, n.id)
    return view


def supply_level(data: GraphData, node_id: str) -> int:
    """Column of a node in the supply-chain picture: vendors, chips, buyers."""
    e = data.entities[node_id]
    group = group_of(e.classes)
    if group == "chip":
        return 1
    if group == "region":
        return 2
    if "ChipVendor" in e.classes:
        return 0
    return 2


MODEL_KINDS = ("developer", "baseModel", "successor", "partOfFamily", "evaluatedOn", "comparedWith", "outperforms",
               "trainingHardware")


def models(data: GraphData, links: list[Link] | None = None) -> GraphView:
    """Models with their developers, base models, successors, benchmarks and rivals."""
    links = folded_links(data) if links is None else links
    chosen = [l for l in links if l.kind in MODEL_KINDS]
    ids = {i for l in chosen for i in (l.source, l.target)}
    return make_view(data, "models", "Models",
                     "Models and model families: developers, base models and successors, benchmarks, "
                     "the models compared against, and the chips they trained on.", ids, chosen)


def top_entities(data: GraphData, links: list[Link], count: int = 12) -> list[Entity]:
    """The best-connected entities (organizations first), for ego pages linked from the index."""
    degree: dict[str, int] = defaultdict(int)
    for l in links:
        degree[l.source] += 1
        degree[l.target] += 1
    ranked = sorted((e for e in data.entities.values() if not is_nary(e) and degree[e.id]),
                    key=lambda e: (not is_organization(e), -degree[e.id], e.id))
    return ranked[:count]


__all__ = ["Node", "Edge", "GraphView", "Link", "folded_links", "make_view", "overview", "ego", "supply_chain",
           "models", "top_entities", "value_text"]
