"""Converting RDF terms between pyoxigraph, rdflib and SPARQL JSON results.

rdflib terms are what every store returns, whichever engine ran the query.
Plain strings come back as plain literals (not ``xsd:string``-typed ones),
so results are the same from the embedded engine and from a remote endpoint.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DATATYPES: dict[str, URIRef] = {}


def _datatype(iri: str) -> URIRef:
    dt = _DATATYPES.get(iri)
    if dt is None:
        dt = _DATATYPES[iri] = URIRef(iri)
    return dt


def from_ox(term) -> Node | None:
    """pyoxigraph term -> rdflib term (None stays None)."""
    if term is None:
        return None
    cls = type(term)
    if cls is ox.NamedNode:
        return URIRef(term.value)
    if cls is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_datatype(dt))
    if cls is ox.BlankNode:
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term: Node):
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"unsupported term {term!r}")


def from_plain(item: tuple | None) -> Node | None:
    """A term as the time-limit worker sends it (:func:`rivalgraph._worker.to_plain`) -> rdflib term."""
    if item is None:
        return None
    kind = item[0]
    if kind == "u":
        return URIRef(item[1])
    if kind == "l":
        return Literal(item[1], lang=item[2])
    if kind == "t":
        return Literal(item[1]) if item[2] == XSD_STRING else Literal(item[1], datatype=_datatype(item[2]))
    return BNode(item[1])


def from_json(binding: dict | None) -> Node | None:
    """A term of the SPARQL 1.1 Query Results JSON format -> rdflib term."""
    if binding is None:
        return None
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    dt = binding.get("datatype")
    if dt and dt not in (XSD_STRING, RDF_LANGSTRING):
        return Literal(value, datatype=_datatype(dt))
    return Literal(value)


def python_value(term: Node | None):
    """A cell value for a DataFrame: IRIs as strings, literals as Python values."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)
