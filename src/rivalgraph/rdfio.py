"""Deterministic RDF text: the same quads always give the same bytes.

A small writer of our own rather than rdflib's serializers: subjects,
predicates and objects are sorted, prefixed names are used only where every
Turtle parser accepts them, and a graph of a few hundred thousand triples is
written in about a second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rdflib import RDF, BNode, Literal, URIRef

from .vocab import PREFIXES

_SAFE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# longest namespace first, so that "id:" never shadows a longer one
_BY_LENGTH = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def _escape_char(m: re.Match) -> str:
    ch = m.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def iri_nt(iri: str) -> str:
    return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", iri) + ">"


def literal_text(lit: Literal, iri=iri_nt) -> str:
    body = '"' + _NEEDS_ESCAPE.sub(_escape_char, str(lit)) + '"'
    if lit.language:
        return body + "@" + lit.language
    if lit.datatype is not None and str(lit.datatype) != "http://www.w3.org/2001/XMLSchema#string":
        return body + "^^" + iri(str(lit.datatype))
    return body


def term_nt(term) -> str:
    """A term in N-Triples syntax."""
    if isinstance(term, URIRef):
        return iri_nt(str(term))
    if isinstance(term, Literal):
        return literal_text(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    raise TypeError(f"not an RDF term: {term!r}")


def iri_short(iri: str) -> str:
    for ns, prefix in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local == "" or _SAFE_LOCAL.match(local):
                return f"{prefix}:{local}"
            break
    return iri_nt(iri)


@lru_cache(maxsize=1 << 18)  # a term recurs in many triples; writing is the slow part of a build
def term_ttl(term) -> str:
    if isinstance(term, URIRef):
        return iri_short(str(term))
    if isinstance(term, Literal):
        return literal_text(term, iri_short)
    return term_nt(term)


@lru_cache(maxsize=1 << 18)
def _sort_key(term) -> tuple:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2, term_nt(term))


def _prefix_block() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))


def _triples_block(triples: Iterable[tuple], indent: str = "") -> list[str]:
    by_subject: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    lines: list[str] = []
    for s in sorted(by_subject, key=_sort_key):
        preds = by_subject[s]
        lines.append(indent + term_ttl(s))
        order = sorted(preds, key=lambda p: (p != RDF.type, term_ttl(p)))
        for i, p in enumerate(order):
            objs = " , ".join(term_ttl(o) for o in sorted(preds[p], key=_sort_key))
            verb = "a" if p == RDF.type else term_ttl(p)
            end = " ;" if i < len(order) - 1 else " ."
            lines.append(f"{indent}    {verb} {objs}{end}")
        lines.append("")
    return lines


def turtle(quads: Iterable[tuple], header: str = "") -> str:
    """All quads merged into one graph, as sorted Turtle."""
    triples = {(s, p, o) for s, p, o, _ in quads}
    return header + _prefix_block() + "\n" + "\n".join(_triples_block(triples))


def trig(quads: Iterable[tuple], header: str = "") -> str:
    """Quads as sorted TriG, one block per named graph."""
    graphs: dict = defaultdict(set)
    for s, p, o, g in quads:
        graphs[g].add((s, p, o))
    parts = [header + _prefix_block()]
    for g in sorted(graphs, key=lambda t: (t is not None, _sort_key(t) if t is not None else ())):
        body = _triples_block(graphs[g], "    ")
        if g is None:
            parts.append("\n".join(body))
        else:
            parts.append(f"{term_ttl(g)} {{\n" + "\n".join(body).rstrip("\n") + "\n}\n")
    return "\n".join(parts)


def nquads(quads: Iterable[tuple]) -> str:
    lines = sorted({f"{term_nt(s)} {term_nt(p)} {term_nt(o)} {term_nt(g)} .\n" for s, p, o, g in quads})
    return "".join(lines)
