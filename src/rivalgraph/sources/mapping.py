"""Declarative mappings: a spreadsheet source becomes records by a YAML file, not by code.

A mapping (``data/mappings/<source>.yaml``, documented in ``data/mappings/README.md``)
names the source (a ``Dataset`` row of ``data/sources.csv``, whose ``file`` is the
CSV read), which entity each row is (or which existing entity it speaks about),
and which columns give which statements: values with units, bounds (5th/95th
percentiles), dates (ISO or US-style), periods, multi-valued cells and links to
other entities, resolved by :mod:`rivalgraph.resolve`.

Every row either becomes part of the graph or is rejected with file, row and
reason; a cell that cannot be read (a bad number, an unknown name) is dropped
with its reason and the rest of the row is kept. A malformed file (wrong
columns, bad encoding, truncated) or a malformed mapping stops the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from ..errors import InputError, InputProblem
from ..ontology import STATEMENT_PROPERTIES, Schema
from ..records import Entity, Origin, Records, Source, Statement, parse_date, parse_number
from ..resolve import KINDS, Resolver
from .tabular import Row, read_rows

#: ``{Column}`` in a template is the row's cell; ``{Column?text}`` is ``text`` when the cell is not empty.
_FIELD = re.compile(r"\{([^{}?]+)(?:\?([^{}]*))?\}")
STATEMENT_KEYS = {"id", "predicate", "column", "split", "resolve", "create", "ignore", "unit", "lower", "upper",
                  "qualifier", "as_of", "start", "end", "strip", "quote", "note", "rank"}
ENTITY_KEYS = {"type", "name", "resolve", "id", "label_zh", "description", "aliases"}
SUBJECT_KEYS = {"column", "resolve", "create"}
TOP_KEYS = {"source", "require", "skip", "entity", "subject", "statements"}


@dataclass(frozen=True)
class Reject:
    """A row left out of the graph (``column`` None), or one cell of a row dropped."""

    file: str
    row: int
    column: str | None
    value: str | None
    reason: str


@dataclass
class StatementSpec:
    id: str
    predicate: str
    column: str
    split: str = ""
    resolve: str = ""
    create: str = ""
    ignore: tuple[str, ...] = ()
    unit: str = ""
    lower: str = ""
    upper: str = ""
    qualifier: tuple[str, ...] = ()
    as_of: str = ""
    start: str = ""
    end: str = ""
    strip: str = ""
    quote: str = ""  # a column whose text is the quote; "cell" for the value's own cell
    note: str = ""  # a template: "{Column}" is replaced by the row's cell
    rank: str = "normal"


@dataclass
class Mapping:
    file: str  # the mapping file, as shown in messages
    source: str
    csv: str = ""  # the data file, from the source's row of data/sources.csv
    require: tuple[str, ...] = ()
    skip: list[dict] = field(default_factory=list)
    entity: dict | None = None
    subject: dict | None = None
    statements: list[StatementSpec] = field(default_factory=list)

    def columns(self) -> list[str]:
        """Every column of the data file that the mapping reads."""
        cols = set(self.require)
        cols |= {s["column"] for s in self.skip}
        if self.entity:
            cols.add(self.entity["name"])
            cols |= set(self.entity.get("aliases", []))
            for key in ("label_zh", "description", "id"):
                cols |= {c for c, _ in _FIELD.findall(self.entity.get(key, ""))}
        if self.subject:
            cols.add(self.subject["column"])
        for st in self.statements:
            cols |= {c for c in (st.column, st.lower, st.upper, st.as_of, st.start, st.end) if c}
            if st.quote and st.quote != "cell":
                cols.add(st.quote)
            cols |= {c for c, _ in _FIELD.findall(st.note)}
        return sorted(cols)


def load_mapping(path: Path, display: str, schema: Schema) -> Mapping:
    """Read and check one mapping file; every mistake is an :class:`InputError` naming the key."""
    problems: list[InputProblem] = []

    def bad(key: str, message: str, value=None) -> None:
        problems.append(InputProblem(display, None, key, None if value is None else str(value), message))

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([InputProblem(display, None, None, None, f"not a readable YAML file: {exc}")]) from None
    if not isinstance(data, dict):
        raise InputError([InputProblem(display, None, None, None, "a mapping file is a YAML dictionary")])
    for key in sorted(set(data) - TOP_KEYS):
        bad(key, f"unknown key (known: {', '.join(sorted(TOP_KEYS))})")
    m = Mapping(file=display, source=str(data.get("source", "")))
    if not m.source:
        bad("source", "is required: the id of a Dataset row of data/sources.csv")
    m.require = tuple(data.get("require") or ())
    m.skip = list(data.get("skip") or [])
    for i, rule in enumerate(m.skip):
        if not isinstance(rule, dict) or not {"column", "values", "reason"} <= set(rule):
            bad(f"skip[{i}]", "needs column, values and reason")
            m.skip = []
    if ("entity" in data) == ("subject" in data):
        bad("entity", "give exactly one of 'entity' (each row is an entity) or 'subject' (rows speak about one)")
    if "entity" in data:
        ent = data["entity"] or {}
        for key in sorted(set(ent) - ENTITY_KEYS):
            bad(f"entity.{key}", "unknown key")
        if ent.get("type") not in schema.classes:
            bad("entity.type", "unknown class", ent.get("type"))
        if not ent.get("name"):
            bad("entity.name", "is required: the column with the entity's name")
        if ent.get("resolve") and ent["resolve"] not in KINDS:
            bad("entity.resolve", f"unknown kind (known: {', '.join(KINDS)})", ent["resolve"])
        ent.setdefault("aliases", [])
        m.entity = ent
    if "subject" in data:
        sub = data["subject"] or {}
        for key in sorted(set(sub) - SUBJECT_KEYS):
            bad(f"subject.{key}", "unknown key")
        if not sub.get("column") or sub.get("resolve") not in KINDS:
            bad("subject", f"needs column and resolve (one of {', '.join(KINDS)})")
        m.subject = sub
    seen: set[str] = set()
    for i, raw in enumerate(data.get("statements") or []):
        where = f"statements[{i}]"
        if not isinstance(raw, dict):
            bad(where, "each statement is a dictionary")
            continue
        for key in sorted(set(raw) - STATEMENT_KEYS):
            bad(f"{where}.{key}", f"unknown key (known: {', '.join(sorted(STATEMENT_KEYS))})")
        pred = raw.get("predicate", "")
        prop = schema.properties.get(pred)
        if prop is None or pred in STATEMENT_PROPERTIES:
            bad(f"{where}.predicate", "unknown property (see ontology/rivalgraph.ttl)", pred)
        if not raw.get("column"):
            bad(f"{where}.column", "is required")
        quals = raw.get("qualifier") or ()
        quals = (quals,) if isinstance(quals, str) else tuple(quals)
        spec = StatementSpec(
            id=str(raw.get("id") or pred), predicate=pred, column=str(raw.get("column", "")),
            split=str(raw.get("split", "")), resolve=str(raw.get("resolve", "")), create=str(raw.get("create", "")),
            ignore=tuple(str(v) for v in raw.get("ignore") or ()), unit=str(raw.get("unit", "")),
            lower=str(raw.get("lower", "")), upper=str(raw.get("upper", "")), qualifier=quals,
            as_of=str(raw.get("as_of", "")), start=str(raw.get("start", "")), end=str(raw.get("end", "")),
            strip=str(raw.get("strip", "")), quote=str(raw.get("quote", "")), note=str(raw.get("note", "")),
            rank=str(raw.get("rank", "normal")),
        )
        if prop is not None and prop.kind == "entity" and spec.resolve not in KINDS:
            bad(f"{where}.resolve", f"{pred} links to entities: give resolve (one of {', '.join(KINDS)})", spec.resolve)
        if spec.create and spec.create not in schema.classes:
            bad(f"{where}.create", "unknown class", spec.create)
        if spec.unit and spec.unit not in schema.units:
            bad(f"{where}.unit", "unknown unit", spec.unit)
        for q in spec.qualifier:
            if q not in schema.qualifiers:
                bad(f"{where}.qualifier", "unknown qualifier", q)
        if spec.id in seen:
            bad(f"{where}.id", "two statements of one mapping share this id: give each an 'id'", spec.id)
        seen.add(spec.id)
        m.statements.append(spec)
    if problems:
        raise InputError(problems)
    return m


@dataclass
class MappedSource:
    """One mapping applied to its file: its rows, then what became of each."""

    mapping: Mapping
    rows: list[Row]
    entity_of_row: dict[int, str] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    statements: int = 0

    @property
    def rows_rejected(self) -> int:
        return len({r.row for r in self.rejects if r.column is None})


def read_mapped_rows(mapping: Mapping, root: Path) -> list[Row]:
    """The rows of the mapping's data file, read strictly (every mapped column must exist)."""
    return list(read_rows(root / mapping.csv, mapping.csv, mapping.columns(), optional=None))


def _fill(template: str, row: Row) -> str:
    def cell(m: re.Match) -> str:
        value = row.cells.get(m.group(1), "")
        return (m.group(2) if value else "") if m.group(2) is not None else value
    return " ".join(_FIELD.sub(cell, template).split())


class Mapper:
    """Applies mappings in two passes: first every row's own entity, then the statements."""

    def __init__(self, schema: Schema, resolver: Resolver, sources: dict[str, Source]):
        self.schema = schema
        self.resolver = resolver
        self.sources = sources
        self.records = Records()

    # -- new entities ------------------------------------------------------
    def _create(self, name: str, kind: str, cls: str, ms: MappedSource, row: Row, *,
                label_zh: str = "", description: str = "", aliases: tuple[str, ...] = (), entity_id: str = "") -> str:
        src = ms.mapping.source
        eid = entity_id or self.resolver.mint(name, kind)
        types = (cls,)
        families = self.resolver.families_of(name) if kind == "chip" else []
        if families:
            types = ("ChipVariant",)
        ent = Entity(id=eid, types=types, label_en=name, label_zh=label_zh or name, aliases_en=aliases,
                     description_en=description, source=src, origin=Origin(row.file, row.number))
        self.records.entities.append(ent)
        self.resolver.add(ent)
        for i, family in enumerate(families):
            self.records.statements.append(Statement(
                id=f"{src}.r{row.number}.{eid}.variantOf" + (f".{i + 1}" if i else ""), subject=eid,
                predicate="variantOf", object=family, source=src, locator=f"{row.file} row {row.number}",
                origin=Origin(row.file, row.number), note="chip family by a rule of data/chip_families.csv"))
        return eid

    # -- pass 1 ----------------------------------------------------------------
    def entities(self, ms: MappedSource) -> None:
        m = ms.mapping
        first_row: dict[str, int] = {}
        for row in ms.rows:
            skip = next((s for s in m.skip if row.cells.get(s["column"], "") in [str(v) for v in s["values"]]), None)
            if skip is not None:
                ms.rejects.append(Reject(row.file, row.number, None, row.cells[skip["column"]], f"skipped: {skip['reason']}"))
                continue
            empty = [c for c in m.require if not row.cells.get(c)]
            if empty:
                ms.rejects.append(Reject(row.file, row.number, None, "", f"required cell {empty[0]!r} is empty"))
                continue
            if m.subject is not None:
                ms.entity_of_row[row.number] = ""  # resolved in pass 2, once every source's entities exist
                continue
            ent = m.entity
            name = row.cells[ent["name"]]
            if not name:
                ms.rejects.append(Reject(row.file, row.number, None, "", f"no name in column {ent['name']!r}"))
                continue
            kind = ent.get("resolve", "")
            eid, how, candidates = (self.resolver.lookup(name, kind) if kind else (None, "", []))
            if eid is not None and eid in first_row:
                if self.resolver.names.get(eid) == name:
                    ms.rejects.append(Reject(row.file, row.number, None, name,
                                             f"duplicate: the same {kind or 'entity'} as row {first_row[eid]}"))
                    continue
                # the source itself spells two names alike (CaLM, CALM): keep both, report it
                eid, how, candidates = None, f"like row {first_row[eid]} of the same source", [eid]
            if eid is not None:
                self.resolver.record(name, kind, m.source, f"{row.file} row {row.number}", "merged", eid, how)
            else:
                id_template = ent.get("id", "")
                eid = self._create(
                    name, kind or "organization", ent["type"], ms, row,
                    label_zh=_fill(ent.get("label_zh", ""), row), description=_fill(ent.get("description", ""), row),
                    aliases=tuple(a for a in (row.cells[c] for c in ent["aliases"]) if a and a != name),
                    entity_id=self.resolver.mint(_fill(id_template, row), kind or "organization") if id_template else "",
                )
                outcome = "ambiguous" if candidates else "created"
                if kind:
                    self.resolver.record(name, kind, m.source, f"{row.file} row {row.number}", outcome, eid, how, candidates)
            first_row[eid] = row.number
            ms.entity_of_row[row.number] = eid

    # -- pass 2 ----------------------------------------------------------------
    def _link(self, name: str, kind: str, create: str, ms: MappedSource, row: Row, column: str) -> str | None:
        src, where = ms.mapping.source, f"{row.file} row {row.number}"
        eid, how, candidates = self.resolver.lookup(name, kind)
        if eid is not None:
            self.resolver.record(name, kind, src, where, "merged", eid, how)
            return eid
        if candidates:
            self.resolver.record(name, kind, src, where, "ambiguous", "", how, candidates)
            ms.rejects.append(Reject(row.file, row.number, column, name, f"ambiguous {kind}: {', '.join(candidates)}"))
            return None
        if create:
            eid = self._create(name, kind, create, ms, row)
            self.resolver.record(name, kind, src, where, "created", eid)
            return eid
        self.resolver.record(name, kind, src, where, "unmatched")
        ms.rejects.append(Reject(row.file, row.number, column, name, f"unknown {kind} (add it to data/aliases.csv?)"))
        return None

    def statements(self, ms: MappedSource) -> None:
        m = ms.mapping
        for row in ms.rows:
            if row.number not in ms.entity_of_row:
                continue
            subject = ms.entity_of_row[row.number]
            if m.subject is not None:
                name = row.cells[m.subject["column"]]
                subject = self._link(name, m.subject["resolve"], m.subject.get("create", ""), ms, row, m.subject["column"]) if name else None
                if subject is None:
                    ms.rejects.append(Reject(row.file, row.number, None, name, f"no entity for {m.subject['column']!r}"))
                    continue
            made = 0
            for spec in m.statements:
                made += self._statements_of(spec, subject, ms, row)
            if m.subject is not None and made == 0:
                ms.rejects.append(Reject(row.file, row.number, None, "", "no statement: every mapped cell is empty"))
            ms.statements += made

    def _statements_of(self, spec: StatementSpec, subject: str, ms: MappedSource, row: Row) -> int:
        text = row.cells[spec.column]
        if not text:
            return 0
        parts = [p.strip() for p in text.split(spec.split)] if spec.split else [text]
        parts = [p for p in parts if p and p not in spec.ignore]
        # a multi-valued cell may repeat a value ("United States,United States"): once is enough
        parts = list(dict.fromkeys(parts))
        prop = self.schema.properties[spec.predicate]
        src = ms.mapping.source
        origin = Origin(row.file, row.number)
        common = self._qualifiers(spec, ms, row)
        if common is None:
            return 0
        made = 0
        for i, part in enumerate(parts):
            st = Statement(id=f"{src}.r{row.number}.{spec.id}" + (f".{i + 1}" if len(parts) > 1 else ""),
                           subject=subject, predicate=spec.predicate, source=src, origin=origin,
                           locator=f"{row.file} row {row.number}", unit=spec.unit, qualifiers=spec.qualifier,
                           rank=spec.rank, **common)
            if spec.quote:
                st.quote = part if spec.quote == "cell" else row.cells[spec.quote]
            if prop.kind == "entity":
                target = self._link(part, spec.resolve, spec.create, ms, row, spec.column)
                if target is None:
                    continue
                st.object = target
            else:
                try:
                    st.value = self._value(prop.kind, part, spec.strip)
                except ValueError as exc:
                    ms.rejects.append(Reject(row.file, row.number, spec.column, part, str(exc)))
                    continue
            self.records.statements.append(st)
            made += 1
        return made

    @staticmethod
    def _value(kind: str, text: str, strip: str):
        if kind == "number":
            return parse_number(text.replace(strip, "") if strip else text)
        if kind == "date":
            return parse_date(text)
        return text

    def _qualifiers(self, spec: StatementSpec, ms: MappedSource, row: Row) -> dict | None:
        """Bounds, time and note of a statement; None (and a dropped cell) if one cannot be read."""
        out: dict = {}
        try:
            for key, column in (("lower", spec.lower), ("upper", spec.upper)):
                if column and row.cells[column]:
                    out[key] = parse_number(row.cells[column].replace(spec.strip, "") if spec.strip else row.cells[column])
            for key, column in (("as_of", spec.as_of), ("start", spec.start), ("end", spec.end)):
                if column and row.cells[column]:
                    out[key] = parse_date(row.cells[column], end=(key == "end"))
        except ValueError as exc:
            ms.rejects.append(Reject(row.file, row.number, column, row.cells[column], str(exc)))
            return None
        lo, hi = out.get("lower"), out.get("upper")
        if isinstance(lo, Decimal) and isinstance(hi, Decimal) and lo > hi:
            ms.rejects.append(Reject(row.file, row.number, spec.lower, str(lo), f"lower bound above upper bound {hi}: bounds dropped"))
            out.pop("lower")
            out.pop("upper")
        if "start" in out and "end" in out and out["start"].date > out["end"].date:
            ms.rejects.append(Reject(row.file, row.number, spec.start, str(out["start"]), "start after end"))
            return None
        if spec.note:
            out["note"] = _fill(spec.note, row)
        return out


def mapping_files(data_dir: Path) -> list[Path]:
    folder = data_dir / "mappings"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def read_mapped(project_root: Path, data_dir: Path, schema: Schema, sources: dict[str, Source],
                resolver: Resolver, progress=lambda _: None) -> tuple[Records, list[MappedSource]]:
    """Read every mapping of ``data/mappings`` and apply them; return the records and per-file results."""
    mapped: list[MappedSource] = []
    problems: list[InputProblem] = []
    for path in mapping_files(data_dir):
        display = str(path.relative_to(project_root)) if path.is_relative_to(project_root) else str(path)
        m = load_mapping(path, display, schema)
        src = sources.get(m.source)
        if src is None or src.type != "Dataset" or not src.file:
            problems.append(InputProblem(display, None, "source", m.source, "not a Dataset of data/sources.csv with a file"))
            continue
        m.csv = src.file
        mapped.append(MappedSource(m, []))
    if problems:
        raise InputError(problems)
    for ms in mapped:  # read every file before anything is resolved: a bad file stops the build early
        ms.rows = read_mapped_rows(ms.mapping, project_root)
        progress(f"read {ms.mapping.csv}: {len(ms.rows)} rows")
    mapper = Mapper(schema, resolver, sources)
    for ms in mapped:
        mapper.entities(ms)
    for ms in mapped:
        mapper.statements(ms)
        kept = len(ms.rows) - ms.rows_rejected
        progress(f"mapped {ms.mapping.csv}: {len(ms.rows)} rows = {kept} in the graph + {ms.rows_rejected} rejected; "
                 f"{ms.statements} statements")
    return mapper.records, mapped
