"""Named questions: ``*.rq`` files shipped in this folder, and how to run them.

Each file starts with comment front matter::

    # title: Who ordered A800s from NVIDIA, how many, for how much
    # description: Orders of a chip, with buyers, quantity, value, period and source.
    # param: chip entity = A800 -- the chip family ordered
    # param: lang string = en -- language of the labels (en or zh)

and carries its own ``PREFIX`` lines, so it pastes into any SPARQL endpoint.
The file name is the query's name; its variables (snake_case) are the columns.
Parameters are bound by the store (substitutions, or a VALUES block for a
remote endpoint), never formatted into the text. An ``entity`` parameter takes
an id or any zh/en label or alias; a name the graph does not know is an
:class:`~rivalgraph.errors.UnknownEntity` error, not an empty table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rdflib import XSD, Literal, URIRef

from ..errors import ParameterError, UnknownQuery
from ..records import parse_date, parse_number

PARAM_TYPES = ("entity", "property", "class", "string", "date", "number", "iri")
_PARAM = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.*?))?\s*(?:--\s*(?P<doc>.*))?$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def parse_front_matter(name: str, text: str) -> NamedQuery:
    meta: dict[str, list[str]] = {"title": [], "description": []}
    params: list[Parameter] = []
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:].strip()
        m = re.match(r"^(title|description|param):\s*(.*)$", body)
        if m:
            key, value = m.groups()
            if key == "param":
                pm = _PARAM.match(value)
                if not pm or pm.group("type") not in PARAM_TYPES:
                    raise ValueError(f"{name}.rq: bad param line {value!r}")
                params.append(Parameter(pm.group("name"), pm.group("type"), pm.group("default"), pm.group("doc") or ""))
                last = None
            else:
                meta[key].append(value)
                last = key
        elif last and body:
            meta[last].append(body)
    if not meta["title"]:
        raise ValueError(f"{name}.rq: front matter has no title")
    return NamedQuery(name, " ".join(meta["title"]), " ".join(meta["description"]), text, tuple(params))


@lru_cache(maxsize=1)
def _all() -> dict[str, NamedQuery]:
    out = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_front_matter(name, entry.read_text(encoding="utf-8"))
    return out


def named_queries() -> list[NamedQuery]:
    """Every named query shipped with rivalgraph, by name."""
    return list(_all().values())


def get(name: str) -> NamedQuery:
    try:
        return _all()[name]
    except KeyError:
        close = [n for n in _all() if name.lower() in n]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (`rivalgraph queries` lists them)"
        raise UnknownQuery(f"no named query {name!r}{hint}") from None


def internal(name: str) -> str:
    """Text of a helper query the library itself runs (``lookup/NAME.rq``)."""
    return resources.files(__package__).joinpath("lookup", name + ".rq").read_text(encoding="utf-8")


def expand_iri(raw: str, default_prefix: str = "rg") -> URIRef:
    """``rg:gpuCount``, ``gpuCount`` (in ``default_prefix``) or a full IRI -> the IRI."""
    from ..vocab import PREFIXES

    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    prefix, sep, local = raw.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    if not sep and re.match(r"^[A-Za-z_][A-Za-z0-9_.-]*$", raw):
        return URIRef(PREFIXES[default_prefix] + raw)
    if re.match(r"^https?://[^<>\"{}|^`\\\s]+$", raw):
        return URIRef(raw)
    raise ParameterError(f"{raw!r} is not an IRI, a prefixed name (rg:gpuCount) or a name of the ontology")


def convert_value(param: Parameter, raw: str, resolve_entity, resolve_term=None) -> object:
    """A parameter's text -> an RDF term, checked against its declared type.

    ``resolve_entity(raw, name)`` turns an entity name into its IRI;
    ``resolve_term(iri, name, type)`` checks that a property or class exists.
    """
    if param.type == "entity":
        return resolve_entity(raw, param.name)
    if param.type in ("property", "class"):
        try:
            iri = expand_iri(raw)
        except ParameterError as exc:
            raise ParameterError(f"parameter {param.name!r}: {exc}") from None
        return resolve_term(iri, param.name, param.type) if resolve_term else iri
    if param.type == "iri":
        try:
            return expand_iri(raw)
        except ParameterError as exc:
            raise ParameterError(f"parameter {param.name!r}: {exc}") from None
    if param.type == "date":
        try:
            return Literal(parse_date(raw).date.isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise ParameterError(f"parameter {param.name!r}: {raw!r} is {exc}") from None
    if param.type == "number":
        try:
            return Literal(str(parse_number(raw)), datatype=XSD.decimal)
        except ValueError as exc:
            raise ParameterError(f"parameter {param.name!r}: {raw!r} is {exc}") from None
    return Literal(raw)


def bind(query: NamedQuery, values: dict[str, str], resolve_entity, resolve_term=None) -> dict[str, object]:
    """Check ``values`` against the query's parameters and turn them into terms."""
    for key in values:
        query.parameter(key)
    out = {}
    for p in query.parameters:
        raw = values.get(p.name, p.default)
        if raw is None:
            raise ParameterError(f"query {query.name!r} needs parameter {p.name!r} ({p.type}): {p.description}")
        out[p.name] = convert_value(p, raw, resolve_entity, resolve_term)
    return out


__all__ = [
    "NamedQuery", "Parameter", "named_queries", "get", "internal", "bind",
]
