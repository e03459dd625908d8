"""What the server's pages show, as plain data: filled from query results, rendered by templates.

Each ``*_page`` function asks the graph and returns a dataclass; the Jinja2
templates in ``templates/`` only render it (with autoescaping, so a label
holding ``<script>`` shows as text), and ``as_json`` turns the same data into
the page's JSON twin.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .. import queries
from ..api import RivalGraph
from ..formats import FORMATS
from ..rdfio import iri_short
from ..store import QueryResult
from ..vocab import ID, PREFIXES, local_id

LANGS = ("en", "zh")


@dataclass(frozen=True)
class Cell:
    """One value as a page shows it: text, a link for entities, a language tag, the full form."""

    text: str
    href: str | None = None
    lang: str | None = None
    title: str | None = None  # shown on hover: the full IRI, or a literal's datatype
    value: str | None = None  # the full value, for JSON: the IRI, or the literal's text

    @property
    def json(self) -> str | None:
        return self.value


EMPTY = Cell("")


def entity_href(iri: str) -> str:
    return "/entity/" + urllib.parse.quote(iri[len(str(ID)):], safe="")


def cell(term) -> Cell:
    """A term of a result as a cell: entities link to their page, other IRIs are shortened."""
    if term is None:
        return EMPTY
    if isinstance(term, URIRef):
        text = str(term)
        if text.startswith(str(ID)):
            return Cell(text[len(str(ID)):], href=entity_href(text), title=text, value=text)
        return Cell(iri_short(text).strip("<>"), title=text, value=text)
    if isinstance(term, BNode):
        return Cell("_:" + str(term), value="_:" + str(term))
    if isinstance(term, Literal):
        dt = iri_short(str(term.datatype)).strip("<>") if term.datatype is not None else None
        return Cell(str(term), lang=term.language, title=dt, value=str(term))
    return Cell(str(term), value=str(term))


@dataclass
class Table:
    """A result as rows of cells, with how many rows there were and whether they were cut."""

    kind: str
    columns: list[str]
    rows: list[list[Cell]]
    boolean: bool | None = None
    cut_at: int | None = None  # the row cap, when the result had more rows than it


def table(result: QueryResult, cap: int | None) -> Table:
    if result.kind == "ask":
        return Table("ask", [], [], boolean=result.boolean)
    if result.kind == "graph":
        rows = [[cell(s), cell(p), cell(o)] for s, p, o in result.triples]
        columns = ["subject", "predicate", "object"]
    else:
        rows = [[cell(c) for c in row] for row in result.rows]
        columns = list(result.variables)
    cut = cap is not None and len(rows) > cap
    return Table(result.kind, columns, rows[:cap] if cut else rows, cut_at=cap if cut else None)


def cut(result: QueryResult, cap: int | None) -> tuple[QueryResult, bool]:
    """``result`` with at most ``cap`` rows (or triples), and whether rows were cut."""
    if cap is None or len(result) <= cap:
        return result, False
    if result.kind == "select":
        return QueryResult("select", variables=result.variables, rows=result.rows[:cap]), True
    return QueryResult("graph", triples=result.triples[:cap]), True


# -- the query page --------------------------------------------------------
@dataclass
class ParamField:
    name: str
    type: str
    default: str | None
    value: str
    description: str


@dataclass
class NamedForm:
    name: str
    title: str
    description: str
    params: list[ParamField]
    selected: bool = False


@dataclass
class Download:
    format: str
    href: str


@dataclass
class QueryPage:
    text: str  # what the editor holds
    named: list[NamedForm]
    selected: str | None = None  # the named query shown, if any
    result: Table | None = None
    error: str | None = None
    error_where: str | None = None
    downloads: list[Download] = field(default_factory=list)
    share: str = "/query"
    elapsed_ms: float | None = None
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))


def prefix_block() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


EXAMPLE = prefix_block() + "\nSELECT ?model ?label WHERE {\n  ?model a rg:Model ; rdfs:label ?label .\n  FILTER(LANG(?label) = \"en\")\n}\nORDER BY ?model\n"


def named_forms(selected: str | None, values: dict[str, str]) -> list[NamedForm]:
    out = []
    for q in queries.named_queries():
        chosen = q.name == selected
        params = [ParamField(p.name, p.type, p.default, values.get(p.name, p.default or "") if chosen else (p.default or ""),
                             p.description) for p in q.parameters]
        out.append(NamedForm(q.name, q.title, q.description, params, chosen))
    return out


def downloads(kind: str, base: str, params: list[tuple[str, str]]) -> list[Download]:
    out = []
    for name, fmt in FORMATS.items():
        if kind in fmt.kinds:
            query = urllib.parse.urlencode(params + [("format", name)])
            out.append(Download(name, f"{base}?{query}"))
    return out


# -- entity pages ----------------------------------------------------------
@dataclass
class Link:
    subject: Cell
    subject_label: str | None
    property: Cell
    property_label: str | None


@dataclass
class EntityPage:
    id: str
    iri: str
    lang: str
    labels: dict[str, str]
    aliases: list[Cell]
    descriptions: list[Cell]
    types: list[Cell]
    facts: Table
    incoming: list[Link]


def entity_page(graph: RivalGraph, iri: URIRef, lang: str) -> EntityPage:
    """Everything an entity's page shows: names, types, every statement, incoming edges."""
    card = graph.store.query(queries.internal("entity-card"), bindings={"entity": iri, "lang": Literal(lang)},
                             timeout=graph.timeout)
    labels: dict[str, str] = {}
    aliases, descriptions, types = [], [], []
    for prop, value, value_label in card.rows:
        if prop == RDFS.label and isinstance(value, Literal):
            labels.setdefault(value.language or "", str(value))
        elif prop == SKOS.altLabel:
            aliases.append(cell(value))
        elif prop == RDFS.comment:
            descriptions.append(cell(value))
        elif prop == RDF.type:
            types.append(Cell(str(value_label) if value_label is not None else cell(value).text, title=str(value),
                              value=str(value)))
    facts = graph.query("entity-facts", {"entity": str(iri), "lang": lang})
    links = graph.store.query(queries.internal("incoming-links"), bindings={"entity": iri, "lang": Literal(lang)},
                              timeout=graph.timeout)
    incoming = [Link(cell(s), str(sl) if sl is not None else None, cell(p), str(pl) if pl is not None else None)
                for s, sl, p, pl in links.rows]
    return EntityPage(local_id(str(iri)), str(iri), lang, labels, aliases, descriptions, types,
                      table(facts, None), incoming)


@dataclass
class Hit:
    entity: Cell
    label_en: str | None
    label_zh: str | None
    matched: list[str]


def search(graph: RivalGraph, text: str) -> list[Hit]:
    """Entities whose zh or en label or alias contains ``text``; exact and prefix matches first."""
    text = text.strip()
    if not text:
        return []
    res = graph.store.query(queries.internal("search-labels"), bindings={"text": Literal(text)}, timeout=graph.timeout)
    hits: dict[str, Hit] = {}
    for entity, matched, en, zh in res.rows:
        hit = hits.get(str(entity))
        if hit is None:
            hit = hits[str(entity)] = Hit(cell(entity), str(en) if en is not None else None,
                                          str(zh) if zh is not None else None, [])
        if str(matched) not in hit.matched:
            hit.matched.append(str(matched))
    needle = text.casefold()

    def rank(hit: Hit):
        names = [m.casefold() for m in hit.matched]
        return (needle not in names, not any(n.startswith(needle) for n in names), hit.entity.text)

    return sorted(hits.values(), key=rank)


def as_json(value):
    """A page's data as JSON-ready values (cells become their full text)."""
    if isinstance(value, Cell):
        return value.json
    if dataclasses.is_dataclass(value):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value
