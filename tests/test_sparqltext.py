"""SPARQL text helpers: a list-valued parameter written as a VALUES block."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from rivalgraph.sparqltext import with_values

QUERY = """# a { in a comment
PREFIX ex: <http://example.org/>
SELECT ?s ?label WHERE {
  ?s ex:label ?label . FILTER(?label != "{ not a group")
}
ORDER BY ?s
"""


def _store() -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/"
    for name, label in [("a", "A"), ("b", 'say "hi" }'), ("商汤", "C")]:
        store.add(ox.Quad(ox.NamedNode(ex + name), ox.NamedNode(ex + "label"), ox.Literal(label)))
    return store


def test_values_open_the_where_clause_after_comments_and_strings():
    text = with_values(QUERY, "s", [URIRef("http://example.org/a")])
    assert "SELECT ?s ?label WHERE {\n  VALUES ?s { <http://example.org/a> }\n  ?s ex:label" in text
    assert text.startswith("# a { in a comment\n")
    hostile = with_values(QUERY, "s", [URIRef("http://example.org/x> } ?y {")])
    assert "VALUES ?s { <http://example.org/x\\u003E\\u0020\\u007D\\u0020?y\\u0020\\u007B> }" in hostile


def test_values_are_escaped_terms_the_engine_reads_back():
    store = _store()
    ex = "http://example.org/"
    text = with_values(QUERY, "s", [URIRef(ex + "商汤"), URIRef(ex + "a")])
    assert [r["s"].value for r in store.query(text)] == [ex + "a", ex + "商汤"]
    by_label = with_values(QUERY, "label", [Literal('say "hi" }')])
    assert [r["s"].value for r in store.query(by_label)] == [ex + "b"]
    assert list(store.query(with_values(QUERY, "s", []))) == []  # an empty list matches nothing


@pytest.mark.parametrize("variable, terms", [("s } ?x", [URIRef("http://example.org/a")]), ("s", [BNode("x")])])
def test_only_variable_names_and_iris_or_literals(variable, terms):
    with pytest.raises((ValueError, TypeError)):
        with_values(QUERY, variable, terms)


def test_a_query_without_a_group_is_refused():
    with pytest.raises(ValueError):
        with_values("# nothing here {\n", "s", [])
