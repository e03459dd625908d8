"""What the views read from the graph: entities, claims, events and sources.

:func:`load_graph_data` runs the view queries (``queries/views/*.rq``) through
:meth:`RivalGraph.query` and groups their rows into plain dataclasses. Every
view and page is built from one :class:`GraphData`, so a build asks the graph
each question once. :class:`FocusedData` asks the same queries about a few
entities at a time, for a view of one part of the graph (an ego view).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rdflib import Literal

from ..errors import QueryTimeout
from ..queries import NamedQuery, parse_front_matter
from ..sparqltext import with_values
from ..vocab import ID, local_id


@dataclass
class Claim:
    """One statement of one source: an edge between two entities or a value of one."""

    statement: str
    subject: str
    property: str
    object: str | None = None  # entity id, for edges
    value: str | None = None  # lexical value, for facts
    number: float | None = None
    unit: str | None = None
    lower: str | None = None
    upper: str | None = None
    qualifiers: tuple[str, ...] = ()
    rank: str = "normal"
    source: str = ""
    according_to: str | None = None
    quote: str | None = None
    as_of: str | None = None
    start: str | None = None
    end: str | None = None
    note: str | None = None

    @property
    def date(self) -> str | None:
        """The date the claim is true at: as of, else the end, else the start of its period."""
        return self.as_of or self.end or self.start

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, self.according_to) if self.according_to else (self.source,)

    def period(self) -> str:
        if self.as_of:
            return f"as of {self.as_of}"
        if self.start and self.end:
            return f"{self.start} to {self.end}"
        if self.start:
            return f"from {self.start}"
        if self.end:
            return f"until {self.end}"
        return ""


@dataclass
class Entity:
    id: str
    classes: tuple[str, ...] = ()
    label_en: str = ""
    label_zh: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def label(self) -> str:
        return self.label_en or self.label_zh or self.id

    def names(self) -> list[str]:
        """Every name the entity goes by: id, labels and aliases, without repeats."""
        out: list[str] = []
        for n in (self.label_en, self.label_zh, *self.aliases, self.id):
            if n and n not in out:
                out.append(n)
        return out

    def display(self) -> str:
        """``English / 中文`` (or one of them when both are the same)."""
        if self.label_zh and self.label_en and self.label_zh != self.label_en:
            return f"{self.label_en} / {self.label_zh}"
        return self.label


@dataclass
class Event:
    id: str
    kind: str  # ReleaseEvent, TrainingCompletedEvent, LaunchEvent
    subject: str
    date: str
    precision: str = ""
    label_en: str = ""
    label_zh: str = ""
    participants: tuple[str, ...] = ()
    statement: str = ""
    source: str = ""
    quote: str | None = None


@dataclass
class Source:
    id: str
    kind: str = "Document"
    label: str = ""
    title: str = ""
    date: str = ""
    publisher: str | None = None
    locator: str | None = None
    licence: str | None = None
    statements: int = 0


@dataclass
class GraphData:
    """Everything the views draw, read from the graph once."""

    entities: dict[str, Entity] = field(default_factory=dict)
    edges: list[Claim] = field(default_factory=list)
    facts: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    property_labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (en, zh)
    triples: int = 0

    def property_label(self, prop: str, lang: str = "en") -> str:
        en, zh = self.property_labels.get(prop, (prop, prop))
        return zh if lang == "zh" else en

    def source_label(self, source: str) -> str:
        s = self.sources.get(source)
        return (s.label or s.title or source) if s else source

    def facts_by_subject(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = defaultdict(list)
        for f in self.facts:
            out[f.subject].append(f)
        return out

    def edges_by_subject(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = defaultdict(list)
        for e in self.edges:
            out[e.subject].append(e)
        return out


# -- reading --------------------------------------------------------------

@lru_cache(maxsize=None)
def view_query(name: str) -> NamedQuery:
    """A query of ``queries/views/`` by name."""
    text = resources.files("rivalgraph.queries").joinpath("views", name + ".rq").read_text(encoding="utf-8")
    return parse_front_matter(name, text)


def _s(term) -> str | None:
    return None if term is None else str(term)


def _id(term) -> str | None:
    return None if term is None else local_id(str(term))


def _number(term) -> float | None:
    if isinstance(term, Literal):
        try:
            return float(str(term))
        except ValueError:
            return None
    return None


def _run(graph, name: str):
    return graph.query(view_query(name).text)


#: How many entities one focused query binds: the engine joins from a short
#: VALUES list fast; with thousands in one list the full view queries slowed
#: down more than linearly.
CHUNK = 250


class _Rows:
    """The rows of several results of one query, as one result."""

    def __init__(self, variables, rows):
        self.variables, self.rows = variables, rows


def load_graph_data(graph) -> GraphData:
    """Ask ``graph`` (a :class:`~rivalgraph.api.RivalGraph`) the view queries."""
    data = GraphData()
    _read_entities(data, _run(graph, "entities"))
    data.edges = _claims(_run(graph, "edges"), edge=True)
    data.facts = _claims(_run(graph, "facts"), edge=False)
    _read_events(data, _run(graph, "events"))
    _read_sources(data, _run(graph, "sources"))
    for src, statements in _run(graph, "source-counts").rows:
        if _id(src) in data.sources:
            data.sources[_id(src)].statements = int(str(statements))
    _read_property_labels(data, _run(graph, "properties"))
    rows = _run(graph, "triple-count").rows
    data.triples = int(str(rows[0][0])) if rows else 0
    return data


class FocusedData:
    """A :class:`GraphData` filled a few entities at a time, for views of part of the graph.

    An ego view or a query's drawing needs the entities near a handful of
    nodes, not the whole graph: each method asks the view queries only about
    the entities it is given (a ``VALUES`` list, in chunks) and remembers what
    it has asked, so no entity is asked about twice. :attr:`data` grows as it
    goes; the sources and property labels (a few hundred rows) come whole.

    With ``timeout`` (seconds) every query shares that one budget, and the
    first past it raises :class:`~rivalgraph.errors.QueryTimeout`: a view made
    of many small queries is limited as a whole, like a single query.
    """

    def __init__(self, graph, timeout: float | None = None):
        self.graph = graph
        self.timeout = timeout
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self.data = GraphData()
        self._asked: dict[str, set[str]] = defaultdict(set)
        self._edges: dict[str, Claim] = {}
        self._facts: dict[str, Claim] = {}
        _read_sources(self.data, self._query(view_query("sources").text))
        _read_property_labels(self.data, self._query(view_query("properties").text))

    def _query(self, text: str):
        if self._deadline is None:
            return self.graph.query(text)
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout(self.timeout)
        try:
            return self.graph.query(text, timeout=left)
        except QueryTimeout:
            raise QueryTimeout(self.timeout) from None

    def _ask(self, kind: str, name: str, variable: str, ids) -> _Rows:
        """Rows of view query ``name`` about the ``ids`` not yet asked about as ``kind``, in chunks."""
        todo = sorted(set(ids) - self._asked[kind])
        self._asked[kind].update(todo)
        text = view_query(name).text
        variables, rows = [], []
        for start in range(0, len(todo), CHUNK):
            result = self._query(with_values(text, variable, [ID[i] for i in todo[start:start + CHUNK]]))
            variables = result.variables
            rows.extend(result.rows)
        return _Rows(variables, rows)

    def entities(self, ids) -> None:
        """Load the classes, labels and aliases of ``ids``."""
        rows = self._ask("entities", "entities", "entity", ids)
        if rows.rows:
            _read_entities(self.data, rows)
            self.data.entities = dict(sorted(self.data.entities.items()))  # the order a whole read has

    def edges_from(self, ids) -> list[Claim]:
        """Load the links whose subject is one of ``ids`` (not asked before); returns them."""
        return self._add_edges(self._ask("from", "edges", "subject", ids))

    def edges_to(self, ids) -> list[Claim]:
        """Load the links whose object is one of ``ids`` (not asked before); returns them."""
        return self._add_edges(self._ask("to", "edges", "object", ids))

    def parts_of(self, ids) -> list[str]:
        """The orders, holdings and evaluations that name one of ``ids`` (not asked before)."""
        return [_id(row[0]) for row in self._ask("parts", "parts-of", "object", ids).rows]

    def facts(self, ids) -> None:
        """Load the values (numbers, dates, text) of ``ids``."""
        rows = self._ask("facts", "facts", "subject", ids)
        if rows.rows:
            for c in _claims(rows, edge=False):
                self._facts.setdefault(c.statement, c)
            self.data.facts = [self._facts[k] for k in sorted(self._facts)]

    def _add_edges(self, rows: _Rows) -> list[Claim]:
        claims = _claims(rows, edge=True) if rows.rows else []
        new = [c for c in claims if c.statement not in self._edges]
        if new:
            self._edges.update((c.statement, c) for c in new)
            self.data.edges = [self._edges[k] for k in sorted(self._edges)]
        return claims


def _read_property_labels(data: GraphData, result) -> None:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for prop, label, lang in result.rows:
        labels[_id(prop)][str(lang)] = str(label)
    data.property_labels = {p: (v.get("en", p), v.get("zh", v.get("en", p))) for p, v in labels.items()}


def _read_entities(data: GraphData, result) -> None:
    parts: dict[str, dict] = defaultdict(lambda: {"classes": set(), "en": [], "zh": [], "aliases": set(), "description": ""})
    for entity, kind, value, lang in result.rows:
        p = parts[_id(entity)]
        kind, value, lang = str(kind), str(value), str(lang)
        if kind == "class":
            p["classes"].add(value)
        elif kind == "label":
            p["zh" if lang.startswith("zh") else "en"].append(value)
        elif kind == "alias":
            p["aliases"].add(value)
        elif kind == "description" and (lang == "en" or not p["description"]):
            p["description"] = value
    for eid in sorted(parts):
        p = parts[eid]
        en = sorted(p["en"])[0] if p["en"] else ""
        zh = sorted(p["zh"])[0] if p["zh"] else ""
        aliases = tuple(sorted(a for a in p["aliases"] if a not in (en, zh)))
        data.entities[eid] = Entity(eid, tuple(sorted(p["classes"])), en, zh, aliases, p["description"])


#: Details of a statement (rg: properties) -> the Claim field each fills.
_DETAILS = {"accordingTo": "according_to", "quote": "quote", "asOf": "as_of", "startTime": "start",
            "endTime": "end", "qualifierNote": "note", "lowerBound": "lower", "upperBound": "upper", "unit": "unit"}


def _claims(result, *, edge: bool) -> list[Claim]:
    """Claims from rows of ``edges.rq`` or ``facts.rq``: one row per statement and detail."""
    cols = {v: i for i, v in enumerate(result.variables)}
    out: dict[str, Claim] = {}
    for row in result.rows:
        def get(name):
            i = cols.get(name)
            return None if i is None else row[i]

        sid = _id(get("statement"))
        c = out.get(sid)
        if c is None:
            rank = _s(get("rank")) or ""
            c = out[sid] = Claim(statement=sid, subject=_id(get("subject")), property=_id(get("property")),
                                 rank="preferred" if rank.endswith("PreferredRank") else "normal",
                                 source=_id(get("source")) or "")
            if edge:
                c.object = _id(get("object"))
            else:
                c.value = _s(get("value"))
                c.number = _number(get("value"))
        detail = get("detail")
        if detail is None:
            continue
        name = str(detail).rpartition("#")[2]
        if name == "qualifier":
            label = _s(get("detail_label"))
            if label and label not in c.qualifiers:
                c.qualifiers = tuple(sorted((*c.qualifiers, label)))
            continue
        value = get("detail_value")
        value = _s(get("detail_label")) if name == "unit" else _id(value) if name == "accordingTo" else _s(value)
        field_name = _DETAILS[name]
        current = getattr(c, field_name)
        if value is not None and (current is None or value < current):  # the same one whatever the row order
            setattr(c, field_name, value)
    return [out[k] for k in sorted(out)]


def _read_events(data: GraphData, result) -> None:
    events: dict[str, Event] = {}
    for ev, kind, subject, date, precision, participant, label_en, label_zh, statement, source, quote in result.rows:
        eid = _id(ev)
        if eid not in events:
            events[eid] = Event(eid, str(kind), _id(subject), str(date), _s(precision) or "", _s(label_en) or "",
                                _s(label_zh) or "", (), _id(statement) or "", _id(source) or "", _s(quote))
        e = events[eid]
        pid = _id(participant)
        if pid and pid not in e.participants:
            e.participants = tuple(sorted((*e.participants, pid)))
    data.events = sorted(events.values(), key=lambda e: (e.date, e.id))


def _read_sources(data: GraphData, result) -> None:
    for src, kind, label, title, date, publisher, locator, licence in result.rows:
        sid = _id(src)
        data.sources[sid] = Source(sid, local_id(str(kind)), _s(label) or "", _s(title) or "", (_s(date) or "")[:10],
                                   _id(publisher), _s(locator), _s(licence))
