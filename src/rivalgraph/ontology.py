"""The ontology as the build sees it: which classes, properties and units exist.

``ontology/rivalgraph.ttl`` is the single source of truth; the build reads it
once to check every row of input data against it (a property's range decides
whether a statement needs an entity, a number, a date or text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from .vocab import RG, UNIT


@dataclass(frozen=True)
class PropertyInfo:
    name: str
    iri: URIRef
    kind: str  # "entity", "number", "date" or "text"
    range: str  # class local name, or the XSD/RDF datatype's local name
    domain: str | None = None  # class local name the subject must be, if any


@dataclass
class Schema:
    graph: Graph
    classes: dict[str, URIRef] = field(default_factory=dict)
    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)
    properties: dict[str, PropertyInfo] = field(default_factory=dict)
    units: dict[str, URIRef] = field(default_factory=dict)
    qualifiers: dict[str, URIRef] = field(default_factory=dict)

    def is_a(self, types: tuple[str, ...] | list[str], wanted: str) -> bool:
        """True when an entity with ``types`` is a ``wanted`` (subclasses count)."""
        return any(wanted in self.superclasses.get(t, frozenset({t})) for t in types)

    @property
    def entity_classes(self) -> list[str]:
        return sorted(c for c in self.classes if "Entity" in self.superclasses.get(c, ()))


_NS = str(RG._NS)
_DATATYPE_KIND = {
    XSD.decimal: "number",
    XSD.integer: "number",
    XSD.double: "number",
    XSD.date: "date",
    XSD.string: "text",
    RDF.langString: "text",
}


def _local(iri: URIRef) -> str:
    return str(iri)[len(_NS):]


def load_schema(path: Path) -> Schema:
    """Read the ontology file into a :class:`Schema`."""
    graph = Graph()
    graph.parse(path, format="turtle")
    schema = Schema(graph=graph)
    for cls in graph.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and str(cls).startswith(_NS):
            schema.classes[_local(cls)] = cls
    direct: dict[str, set[str]] = {name: set() for name in schema.classes}
    for name, cls in schema.classes.items():
        for sup in graph.objects(cls, RDFS.subClassOf):
            if str(sup).startswith(_NS):
                direct[name].add(_local(sup))
    for name in schema.classes:
        seen, todo = {name}, [name]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        schema.superclasses[name] = frozenset(seen)
    for kind_cls in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in graph.subjects(RDF.type, kind_cls):
            if not str(prop).startswith(_NS):
                continue
            rng = graph.value(prop, RDFS.range)
            if kind_cls == OWL.ObjectProperty:
                kind = "entity"
                rng_name = _local(rng) if rng is not None and str(rng).startswith(_NS) else "Entity"
            else:
                kind = _DATATYPE_KIND.get(rng, "text") if rng is not None else "text"
                rng_name = str(rng).rsplit("#", 1)[-1] if rng is not None else "string"
            dom = graph.value(prop, RDFS.domain)
            dom_name = _local(dom) if dom is not None and str(dom).startswith(_NS) else None
            schema.properties[_local(prop)] = PropertyInfo(_local(prop), prop, kind, rng_name, dom_name)
    for u in graph.subjects(RDF.type, RG.Unit):
        schema.units[str(u)[len(str(UNIT)):]] = u
    for q in graph.subjects(RDF.type, RG.Qualifier):
        schema.qualifiers[_local(q)] = q
    return schema


#: Properties that describe a statement rather than state a fact: not allowed as
#: the ``predicate`` of an input row.
STATEMENT_PROPERTIES = frozenset({
    "unit", "lowerBound", "upperBound", "qualifier", "qualifierNote", "asOf", "startTime",
    "endTime", "timePrecision", "quote", "locator", "accordingTo", "support", "sourceFile",
    "licence",
})
