"""Small, careful operations on SPARQL text: comments, prefixes, bound parameters.

Parameters are never formatted into a query by hand. Embedded queries pass
them to the engine as substitutions (SEP-0007). For a remote endpoint the same
substitution is done on the query's tokens: each ``?name`` variable token
(outside strings, IRIs and comments) is replaced by the bound term written in
N-Triples syntax and escaped by :func:`rivalgraph.rdfio.term_nt`, as a
parameterized query does in Jena. Named queries never project a parameter, so
the result is the same query the embedded engine runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef

from .rdfio import term_nt

_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
    r'|(?P<open>\{)'
    r'|(?P<var>[?$][A-Za-z0-9_]+)'
    r'|(?P<word>[A-Za-z_][A-Za-z0-9_]*)',
    re.S,
)
_POSITION = re.compile(r"at (\d+):(\d+)")


def query_form(query: str) -> str:
    """``select``, ``construct``, ``ask`` or ``describe`` (``select`` when unsure)."""
    for m in _TOKEN.finditer(query):
        if m.lastgroup == "word" and m.group("word").upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
            return m.group("word").lower()
    return "select"


def substitute(query: str, bindings: Mapping[str, object]) -> str:
    """The query with every token of a bound variable replaced by its term."""
    if not bindings:
        return query
    out, last = [], 0
    for m in _TOKEN.finditer(query):
        if m.lastgroup == "var" and m.group("var")[1:] in bindings:
            out.append(query[last:m.start()])
            out.append(term_nt(bindings[m.group("var")[1:]]))
            last = m.end()
    out.append(query[last:])
    return "".join(out)


def error_position(message: str) -> tuple[int | None, int | None]:
    """Line and column from an engine's syntax-error message, when it gives them."""
    m = _POSITION.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def with_values(query: str, variable: str, terms) -> str:
    """The query with ``VALUES ?variable { ... }`` as the first thing of its WHERE clause.

    A list-valued bound parameter, as Jena's ``setValues`` does it: each term
    is written in N-Triples syntax by :func:`rivalgraph.rdfio.term_nt`, never
    formatted by hand. The block opens the outermost group so the engine joins
    from the few bound values rather than filtering the whole graph.
    """
    if not re.fullmatch(r"[A-Za-z0-9_]+", variable):
        raise ValueError(f"not a SPARQL variable name: {variable!r}")
    for m in _TOKEN.finditer(query):
        if m.lastgroup == "open":
            block = f"\n  VALUES ?{variable} {{ {' '.join(_value_nt(t) for t in terms)} }}"
            return query[:m.end()] + block + query[m.end():]
    raise ValueError("the query has no group pattern to put VALUES in")


def _value_nt(term) -> str:
    if not isinstance(term, (URIRef, Literal)):
        raise TypeError(f"a VALUES list holds IRIs and literals, not {term!r}")
    return term_nt(term)
