"""One registry of output formats, used by the CLI, the Python API and the HTTP server.

Each format turns a :class:`~rivalgraph.store.QueryResult` into text. SELECT
and ASK results go to table, csv, tsv, json (SPARQL 1.1 JSON) and xml (SPARQL
XML); graph results to ttl, nt, jsonld and rdfxml (RDF/XML, which some SPARQL
clients ask for by default).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef

from .rdfio import term_nt, turtle
from .store import QueryResult


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    kinds: tuple[str, ...]  # result kinds it can write: select, ask, graph
    write: Callable[[QueryResult], str]
    extension: str


def _cell(term) -> str:
    if term is None:
        return ""
    return str(term)


def _table(result: QueryResult) -> str:
    if result.kind == "ask":
        return "yes\n" if result.boolean else "no\n"
    header = result.variables
    rows = [[_short(c) for c in row] for row in result.rows]
    widths = [max([len(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    widths = [min(w, 60) for w in widths]

    def fmt(cells):
        return "  ".join(_pad(_clip(c, w), w) for c, w in zip(cells, widths)).rstrip()

    lines = [fmt(header), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _short(term) -> str:
    """Entities by bare id, other IRIs as prefixed names, for people reading a table."""
    from .rdfio import iri_short
    from .vocab import ID

    if term is None:
        return ""
    text = str(term)
    if isinstance(term, URIRef):
        return text[len(str(ID)):] if text.startswith(str(ID)) else iri_short(text).strip("<>")
    return text.replace("\n", " ")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _delimited(result: QueryResult, dialect: str) -> str:
    buf = io.StringIO()
    if dialect == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        if result.kind == "ask":
            w.writerow(["boolean"])
            w.writerow(["true" if result.boolean else "false"])
            return buf.getvalue()
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([_cell(c) for c in row])
        return buf.getvalue()
    # TSV per SPARQL 1.1: variables with '?', terms in N-Triples syntax
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if c is None else term_nt(c) for c in row))
    return "\n".join(lines) + "\n"


def json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
    return out


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    bindings = [{v: json_term(c) for v, c in zip(result.variables, row) if c is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.kind == "ask":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["</head>", "<results>"]
    for row in result.rows:
        out.append("<result>")
        for v, c in zip(result.variables, row):
            if c is None:
                continue
            if isinstance(c, URIRef):
                inner = f"<uri>{escape(str(c))}</uri>"
            elif isinstance(c, BNode):
                inner = f"<bnode>{escape(str(c))}</bnode>"
            elif c.language:
                inner = f"<literal xml:lang={quoteattr(c.language)}>{escape(str(c))}</literal>"
            elif c.datatype is not None:
                inner = f"<literal datatype={quoteattr(str(c.datatype))}>{escape(str(c))}</literal>"
            else:
                inner = f"<literal>{escape(str(c))}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _ttl(result: QueryResult) -> str:
    return turtle([(s, p, o, None) for s, p, o in result.triples])


def _nt(result: QueryResult) -> str:
    return "".join(sorted(f"{term_nt(s)} {term_nt(p)} {term_nt(o)} .\n" for s, p, o in result.triples))


def _jsonld(result: QueryResult) -> str:
    from .vocab import PREFIXES

    return result.graph().serialize(format="json-ld", context=PREFIXES, indent=1)


def _rdfxml(result: QueryResult) -> str:
    from rdflib import Graph

    from .vocab import PREFIXES

    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in sorted(result.triples, key=lambda t: tuple(term_nt(x) for x in t)):
        g.add(t)
    return g.serialize(format="xml")


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", "text/plain; charset=utf-8", ("select", "ask"), _table, "txt"),
        Format("csv", "text/csv; charset=utf-8", ("select", "ask"), lambda r: _delimited(r, "csv"), "csv"),
        Format("tsv", "text/tab-separated-values; charset=utf-8", ("select",), lambda r: _delimited(r, "tsv"), "tsv"),
        Format("json", "application/sparql-results+json", ("select", "ask"), _json, "json"),
        Format("xml", "application/sparql-results+xml", ("select", "ask"), _xml, "xml"),
        Format("ttl", "text/turtle; charset=utf-8", ("graph",), _ttl, "ttl"),
        Format("nt", "application/n-triples", ("graph",), _nt, "nt"),
        Format("jsonld", "application/ld+json", ("graph",), _jsonld, "jsonld"),
        Format("rdfxml", "application/rdf+xml", ("graph",), _rdfxml, "rdf"),
    )
}


def render(result: QueryResult, format_name: str) -> str:
    """``result`` written in ``format_name`` (a key of :data:`FORMATS`)."""
    from .errors import QueryError

    fmt = FORMATS.get(format_name)
    if fmt is None:
        raise QueryError(f"unknown format {format_name!r} (one of {', '.join(FORMATS)})")
    if result.kind not in fmt.kinds:
        fit = [f.name for f in FORMATS.values() if result.kind in f.kinds]
        raise QueryError(f"format {format_name!r} cannot hold a {result.kind} result; use one of {', '.join(fit)}")
    return fmt.write(result)
