"""The SPARQL 1.1 Protocol, without the HTTP server: reading requests, choosing formats.

What a request carries (:func:`read_request`), which format of
:data:`rivalgraph.formats.FORMATS` answers it (:func:`negotiate`), and the
service description (:func:`service_description`). Nothing here runs a query.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from ..errors import RivalgraphError
from ..formats import FORMATS, Format
from ..store import QueryResult

MAX_BODY = 1_000_000  # bytes of a POSTed query or update


class HttpError(RivalgraphError):
    """A request the server answers with an error status (4xx, or 501/503)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        super().__init__(message)


@dataclass(frozen=True)
class SparqlRequest:
    """What a client asked of ``/sparql``: a query, an update, or neither (the description)."""

    query: str | None = None
    update: str | None = None
    format: str | None = None  # ``format=`` or ``output=``, as sent
    default_graphs: tuple[str, ...] = ()  # default-graph-uri: merged into the default graph
    named_graphs: tuple[str, ...] = ()  # named-graph-uri: the graphs GRAPH may see

    @property
    def dataset(self) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        return (self.default_graphs, self.named_graphs) if self.default_graphs or self.named_graphs else None


def read_request(method: str, query_string: str, content_type: str | None, body: bytes) -> SparqlRequest:
    """The query or update of a protocol request (GET, POST form, POST query, POST update)."""
    url = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    fmt = _one(url, "format") or _one(url, "output")
    if method in ("GET", "HEAD"):
        if "update" in url:
            raise HttpError(405, "SPARQL Update must be sent with POST", {"Allow": "POST"})
        return SparqlRequest(query=_one(url, "query"), format=fmt, **_dataset(url))
    if method != "POST":
        raise HttpError(405, f"{method} is not supported on /sparql; use GET or POST", {"Allow": "GET, POST, OPTIONS"})
    media = (content_type or "").split(";")[0].strip().lower()
    text = _decode(body)
    if media == "application/x-www-form-urlencoded":
        form = urllib.parse.parse_qs(text, keep_blank_values=True)
        fmt = fmt or _one(form, "format") or _one(form, "output")
        query, update = _one(form, "query"), _one(form, "update")
        if query is not None and update is not None:
            raise HttpError(400, "send either query= or update=, not both")
        if query is None and update is None:
            raise HttpError(400, "a POSTed form needs a query= or an update= field")
        if update is not None:
            _refuse_update_dataset(url)
            _refuse_update_dataset(form)
            return SparqlRequest(update=update, format=fmt)
        dataset = _dataset({**url, **{k: url.get(k, []) + v for k, v in form.items()}})
        return SparqlRequest(query=query, format=fmt, **dataset)
    if media == "application/sparql-query":
        return SparqlRequest(query=text, format=fmt, **_dataset(url))
    if media == "application/sparql-update":
        _refuse_update_dataset(url)
        return SparqlRequest(update=text, format=fmt)
    raise HttpError(415, f"unsupported Content-Type {content_type!r}: use application/x-www-form-urlencoded, "
                         "application/sparql-query or application/sparql-update")


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise HttpError(400, f"parameter {name!r} was given {len(values)} times; give it once")
    return values[0]


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")


def _dataset(params: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """default-graph-uri and named-graph-uri, checked to be IRIs."""
    out = {}
    for name, key in (("default-graph-uri", "default_graphs"), ("named-graph-uri", "named_graphs")):
        iris = params.get(name, [])
        for iri in iris:
            if not _IRI.fullmatch(iri):
                raise HttpError(400, f"{name} {iri!r} is not an absolute IRI")
        out[key] = tuple(iris)
    return out


def _refuse_update_dataset(params: dict[str, list[str]]) -> None:
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if params.get(name):
            raise HttpError(400, f"{name} is not supported: use USING or WITH in the update")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HttpError(400, f"the request body is not UTF-8 (byte {exc.start})") from None


# -- formats -----------------------------------------------------------
#: ``format=`` values and media types -> format names, by result kind.
_TABULAR = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json", "application/json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
    "table": "table", "txt": "table", "text/plain": "table",
}
_GRAPH = {
    "ttl": "ttl", "turtle": "ttl", "text/turtle": "ttl", "application/x-turtle": "ttl",
    "n3": "ttl", "text/n3": "ttl", "text/rdf+n3": "ttl",  # Turtle is N3
    "nt": "nt", "ntriples": "nt", "n-triples": "nt", "application/n-triples": "nt", "text/plain": "nt",
    "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld", "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml": "rdfxml", "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml", "text/xml": "rdfxml",
}
DEFAULT = {"select": "json", "ask": "json", "graph": "ttl"}


def names_for(kind: str) -> dict[str, str]:
    return _GRAPH if kind == "graph" else _TABULAR


def accepted(accept: str | None) -> list[str]:
    """The media ranges of an Accept header, best first (q=0 dropped; ties keep their order)."""
    if not accept:
        return []
    ranked = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media))
    return [m for _, _, m in sorted(ranked)]


def negotiate(kind: str, accept: str | None, override: str | None = None) -> Format:
    """The format to write a ``kind`` result in: ``format=`` first, then Accept, then the default.

    A client whose Accept names nothing we write gets the default format (as
    most SPARQL servers do) rather than a 406; a ``format=`` we cannot write
    is an error.
    """
    table = names_for(kind)
    if override:
        name = table.get(override.strip().lower())
        if name is None or kind not in FORMATS[name].kinds:
            fit = sorted({n for n, f in FORMATS.items() if kind in f.kinds})
            raise HttpError(400, f"format {override!r} cannot hold a {kind} result; use one of {', '.join(fit)}")
        return FORMATS[name]
    for media in accepted(accept):
        name = table.get(media)
        if name is not None and kind in FORMATS[name].kinds:
            return FORMATS[name]
        if media in ("*/*", "application/*") or (media == "text/*" and kind == "graph"):
            break
    return FORMATS[DEFAULT[kind]]


def wants_html(accept: str | None) -> bool:
    """True when a browser asks: text/html is preferred to every SPARQL or RDF type."""
    ranked = accepted(accept)
    return bool(ranked) and ranked[0] in ("text/html", "application/xhtml+xml")


# -- the service description ---------------------------------------------
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_W3 = "http://www.w3.org/ns/formats/"
_SD_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD",
               "rdfxml": "RDF_XML"}


def service_description(endpoint: str, *, update: bool, triples_count: int | None = None) -> QueryResult:
    """The SPARQL 1.1 Service Description of this endpoint, as a graph result."""
    sd = lambda name: URIRef(SD + name)  # noqa: E731 - a one-line namespace
    service = URIRef(endpoint)
    dataset, default_graph = BNode("dataset"), BNode("defaultGraph")
    triples = [
        (service, RDF.type, sd("Service")),
        (service, sd("endpoint"), service),
        (service, sd("supportedLanguage"), sd("SPARQL11Query")),
        (service, sd("feature"), sd("UnionDefaultGraph")),
        (service, sd("defaultDataset"), dataset),
        (dataset, RDF.type, sd("Dataset")),
        (dataset, sd("defaultGraph"), default_graph),
        (default_graph, RDF.type, sd("Graph")),
    ]
    if triples_count is not None:
        triples.append((default_graph, URIRef("http://rdfs.org/ns/void#triples"), Literal(triples_count)))
    if update:
        triples.append((service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for name in sorted(_SD_FORMATS):
        if name in FORMATS:
            triples.append((service, sd("resultFormat"), URIRef(FORMATS_W3 + _SD_FORMATS[name])))
    return QueryResult("graph", triples=triples)
