"""The SPARQL protocol without sockets: reading requests, choosing formats; and App's handling of bugs."""

from __future__ import annotations

import io
import urllib.parse

import pytest

from rivalgraph.server.protocol import HttpError, accepted, negotiate, read_request, wants_html


def test_read_request_forms():
    assert read_request("GET", "query=ASK%7B%7D&format=csv", None, b"").query == "ASK{}"
    assert read_request("GET", "query=ASK%7B%7D&format=csv", None, b"").format == "csv"
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    assert read_request("POST", "", "application/x-www-form-urlencoded", form).query == "ASK {}"
    assert read_request("POST", "", "application/sparql-query; charset=utf-8", "ASK { 商汤 }".encode()).query == "ASK { 商汤 }"
    assert read_request("POST", "", "application/sparql-update", b"CLEAR ALL").update == "CLEAR ALL"
    assert read_request("GET", "", None, b"").query is None  # the service description
    both = read_request("GET", "query=ASK%7B%7D&default-graph-uri=urn:a&default-graph-uri=urn:b&named-graph-uri=urn:c",
                        None, b"")
    assert both.dataset == (("urn:a", "urn:b"), ("urn:c",))
    assert read_request("GET", "query=ASK%7B%7D", None, b"").dataset is None


@pytest.mark.parametrize("method, qs, ctype, body, status", [
    ("GET", "update=CLEAR%20ALL", None, b"", 405),
    ("PUT", "", None, b"", 405),
    ("POST", "", "text/plain", b"ASK {}", 415),
    ("POST", "", "application/x-www-form-urlencoded", b"query=a&update=b", 400),
    ("POST", "", "application/x-www-form-urlencoded", b"format=json", 400),
    ("GET", "query=a&query=b", None, b"", 400),
    ("GET", "query=ASK%7B%7D&default-graph-uri=not%20an%20iri", None, b"", 400),
    ("POST", "using-graph-uri=urn:g", "application/sparql-update", b"CLEAR ALL", 400),
    ("POST", "", "application/sparql-query", b"\xff\xfe", 400),
])
def test_read_request_refusals(method, qs, ctype, body, status):
    with pytest.raises(HttpError) as caught:
        read_request(method, qs, ctype, body)
    assert caught.value.status == status


def test_accept_ranking():
    assert accepted("text/csv;q=0.5, application/sparql-results+xml, */*;q=0.1") == [
        "application/sparql-results+xml", "text/csv", "*/*"]
    assert accepted("text/csv;q=0") == []
    assert wants_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert not wants_html("application/sparql-results+json, text/html;q=0.5")


@pytest.mark.parametrize("kind, accept, override, name", [
    ("select", None, None, "json"),
    ("select", "application/sparql-results+xml", None, "xml"),
    ("select", "application/json", None, "json"),
    ("select", "text/tab-separated-values", None, "tsv"),
    ("select", "application/sparql-results+json", "csv", "csv"),
    ("select", "text/html, */*;q=0.1", None, "json"),
    ("ask", "text/tab-separated-values, text/csv;q=0.9", None, "csv"),  # TSV cannot hold a boolean
    ("graph", None, None, "ttl"),
    ("graph", "application/rdf+xml", None, "rdfxml"),
    ("graph", "application/sparql-results+xml, application/rdf+xml", None, "rdfxml"),  # rdflib's Accept
    ("graph", "application/ld+json", None, "jsonld"),
    ("graph", None, "xml", "rdfxml"),  # SPARQLWrapper's format=xml for CONSTRUCT
    ("graph", None, "json", "jsonld"),
    ("graph", None, "n3", "ttl"),
])
def test_negotiate(kind, accept, override, name):
    assert negotiate(kind, accept, override).name == name


def test_negotiate_refuses_a_format_that_cannot_hold_the_result():
    with pytest.raises(HttpError) as caught:
        negotiate("select", None, "ttl")
    assert caught.value.status == 400 and "csv" in caught.value.message


def test_a_bug_is_a_500_without_internals(server_project, monkeypatch):
    from rivalgraph.server import pages
    from rivalgraph.server.app import App, Request, ServerConfig

    def broken(*args, **kwargs):
        raise ZeroDivisionError("secret internals")

    _, store = server_project
    log = io.StringIO()
    app = App(store, ServerConfig(cache_size=0), log=log)
    try:
        monkeypatch.setattr(pages, "entity_page", broken)  # stands in for any bug in a route
        response = app.handle(Request("GET", "/entity/SenseTime", "", {"accept": "text/html"}))
        assert response.status == 500
        body = response.body.decode()
        assert "internal server error #1" in body and "secret" not in body and "Traceback" not in body
        assert "ZeroDivisionError: secret internals" in log.getvalue() and "Traceback" in log.getvalue()
        # user errors stay user errors
        response = app.handle(Request("GET", "/sparql", "query=SELECT", {"accept": "text/plain"}))
        assert response.status == 400
    finally:
        app.close()


def test_readme_documents_every_serve_option():
    from rivalgraph.cli import main
    from tests.server_support import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("rivalgraph serve`"):]
    options = [opt for param in main.commands["serve"].params for opt in param.opts if opt.startswith("--")]
    missing = [opt for opt in options if opt not in section and opt != "--project"]
    assert missing == [], f"README's `rivalgraph serve` section does not mention {missing}"
