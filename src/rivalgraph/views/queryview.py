"""Any SPARQL result as a graph view-model: CONSTRUCT triples, or SELECT rows with two entity columns."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef

from ..errors import ViewError
from ..vocab import ID, local_id
from .data import GraphData
from .graphs import Edge, GraphView, Node
from .text import GROUP_LABELS, entity_tooltip, group_of, shorten

MAX_QUERY_EDGES = 20000


def _term_text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return local_id(str(term)) if str(term).startswith("https://rivalgraph.dev/") else str(term)
    return str(term)


class _Builder:
    def __init__(self, data: GraphData):
        self.data = data
        self.nodes: dict[str, Node] = {}
        self.extra: dict[str, list[str]] = defaultdict(list)
        self.edges: list[Edge] = []

    def node(self, term: URIRef) -> str:
        iri = str(term)
        key = local_id(iri) if iri.startswith(str(ID)) else iri
        if key in self.nodes:
            return key
        e = self.data.entities.get(key) if iri.startswith(str(ID)) else None
        if e is not None:
            label = e.label_en or e.id
            if e.label_zh and e.label_zh != label:
                label += "\n" + e.label_zh
            self.nodes[key] = Node(key, label, group_of(e.classes), entity_tooltip(e, self.data, []), e.names())
        else:
            text = _term_text(term)
            self.nodes[key] = Node(key, text, "other", f"{iri}\n{GROUP_LABELS['other'][0]}", [text, iri])
        return key

    def edge(self, s: str, t: str, label: str, title: str) -> None:
        if len(self.edges) >= MAX_QUERY_EDGES:
            raise ViewError(f"the result has more than {MAX_QUERY_EDGES:,} edges: narrow the query (LIMIT)")
        self.edges.append(Edge(f"e{len(self.edges)}", s, t, label, title))

    def view(self, title: str, description: str) -> GraphView:
        degree: dict[str, int] = defaultdict(int)
        for e in self.edges:
            degree[e.source] += 1
            degree[e.target] += 1
        nodes = []
        for key in sorted(self.nodes):
            n = self.nodes[key]
            n.degree = degree[key]
            if self.extra.get(key):
                n.title += "\n\n" + "\n".join(self.extra[key][:20])
            nodes.append(n)
        return GraphView("query", title, description, nodes, self.edges)


def query_graph(data: GraphData, result, title: str) -> GraphView:
    """A graph view-model of a query result; :class:`ViewError` when it has no graph shape."""
    b = _Builder(data)
    if result.kind == "graph":
        for s, p, o in result.triples:
            if not isinstance(s, URIRef):
                continue
            sk = b.node(s)
            plabel = data.property_label(local_id(str(p))) if str(p).startswith("https://rivalgraph.dev/ontology#") else _term_text(p)
            if isinstance(o, URIRef):
                b.edge(sk, b.node(o), plabel, f"{_term_text(s)} → {plabel} → {_term_text(o)}")
            elif isinstance(o, Literal):
                b.extra[sk].append(f"{plabel}: {shorten(str(o), 200)}")
        return b.view(title, f"{len(result.triples):,} triples of a CONSTRUCT query.")
    if result.kind != "select":
        raise ViewError("an ASK query has no graph to draw: use a CONSTRUCT query, or a SELECT with two entity columns")
    iri_cols = [i for i, _ in enumerate(result.variables)
                if any(r[i] is not None for r in result.rows)
                and all(isinstance(r[i], URIRef) for r in result.rows if r[i] is not None)]
    if len(iri_cols) < 2:
        raise ViewError(f"a SELECT result can be drawn when two of its columns hold entities; columns "
                        f"{', '.join(result.variables) or '(none)'} hold {len(iri_cols)}")
    a, z = iri_cols[:2]
    names = result.variables
    label_col = next((i for i, v in enumerate(names) if v in ("label", "property", "predicate", "relation")), None)
    for row in result.rows:
        if row[a] is None or row[z] is None:
            continue
        s, t = b.node(row[a]), b.node(row[z])
        label = _term_text(row[label_col]) if label_col is not None and row[label_col] is not None else f"{names[a]} → {names[z]}"
        details = [f"{names[i]}: {shorten(_term_text(row[i]), 240)}" for i in range(len(names)) if row[i] is not None]
        b.edge(s, t, label, "\n".join(details))
    return b.view(title, f"{len(result.rows):,} rows of a SELECT query: {names[a]} → {names[z]}.")
