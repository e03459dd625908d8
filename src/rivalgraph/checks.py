"""Row checks across all inputs: ids, references, types, values, sources and quotes.

Runs after every source is read and before any RDF is made, so a bad row is
reported with its file, row, column and value instead of turning into a
strange node. Values are parsed here against the range the ontology gives the
statement's property.
"""

from __future__ import annotations

from collections import Counter

from .errors import InputError, InputProblem
from .ontology import STATEMENT_PROPERTIES, Schema
from .records import Records, Statement, parse_date, parse_number
from .vocab import is_valid_id


def _problem(rec, column: str | None, message: str, value: str | None = None) -> InputProblem:
    origin = rec.origin
    return InputProblem(origin.file if origin else "<input>", origin.row if origin else None, column, value, message)


def check_records(records: Records, schema: Schema) -> None:
    """Check and normalise ``records`` in place; raise :class:`InputError` listing every problem."""
    problems: list[InputProblem] = []

    for kind, items in (("source", records.sources), ("entity", records.entities), ("statement", records.statements)):
        counts = Counter(item.id for item in items)
        for item in items:
            if item.id and not is_valid_id(item.id):
                problems.append(_problem(item, "id", "id may only hold letters, digits, '.', '_' and '-'", item.id))
            elif counts[item.id] > 1:
                first = next(i for i in items if i.id == item.id)
                if first is not item:
                    where = f"{first.origin.file} row {first.origin.row}" if first.origin else "another row"
                    problems.append(_problem(item, "id", f"duplicate {kind} id (first used at {where})", item.id))

    sources = {s.id: s for s in records.sources}
    entities = {e.id: e for e in records.entities}
    known_ids = set(entities)
    entity_classes = set(schema.entity_classes)

    for src in records.sources:
        if src.type not in ("Source", "Document", "Dataset"):
            problems.append(_problem(src, "type", "source type must be Document or Dataset", src.type))
        if src.publisher and src.publisher not in entities:
            problems.append(_problem(src, "publisher", "unknown entity id", src.publisher))

    for ent in list(entities.values()):
        unknown = [t for t in ent.types if t not in entity_classes]
        for t in unknown:
            problems.append(_problem(ent, "type", f"unknown entity type (known: {', '.join(sorted(entity_classes))})", t))
        if unknown:
            del entities[ent.id]  # reported once, here: no follow-on "wrong type" errors
    for ent in records.entities:
        if not ent.label_en:
            problems.append(_problem(ent, "label_en", "English label is missing", ""))
        if not ent.label_zh:
            problems.append(_problem(ent, "label_zh", "Chinese label is missing", ""))

    for st in records.statements:
        problems.extend(_check_statement(st, schema, entities, sources, known_ids))

    if problems:
        raise InputError(problems)


def _check_statement(st: Statement, schema: Schema, entities, sources, known_ids) -> list[InputProblem]:
    out: list[InputProblem] = []
    subject = entities.get(st.subject)
    if st.subject and subject is None and st.subject not in known_ids:
        out.append(_problem(st, "subject", "unknown entity id", st.subject))
    prop = schema.properties.get(st.predicate)
    if st.predicate and (prop is None or st.predicate in STATEMENT_PROPERTIES):
        out.append(_problem(st, "predicate", "unknown property (see ontology/rivalgraph.ttl)", st.predicate))
        prop = None
    if prop is not None and subject is not None and prop.domain and not schema.is_a(subject.types, prop.domain):
        out.append(_problem(st, "subject", f"wrong entity type: {st.predicate} needs a {prop.domain}, this is a {'/'.join(subject.types)}", st.subject))
    if prop is not None:
        if prop.kind == "entity":
            if not st.object:
                out.append(_problem(st, "object", f"{st.predicate} needs an entity id in 'object'", ""))
            elif st.object not in entities:
                if st.object not in known_ids:
                    out.append(_problem(st, "object", "unknown entity id", st.object))
            elif not schema.is_a(entities[st.object].types, prop.range):
                out.append(_problem(st, "object", f"wrong entity type: {st.predicate} needs a {prop.range}, this is a {'/'.join(entities[st.object].types)}", st.object))
            if st.value not in (None, ""):
                out.append(_problem(st, "value", f"{st.predicate} takes an entity in 'object', not a value", str(st.value)))
        else:
            if st.object:
                out.append(_problem(st, "object", f"{st.predicate} takes a value, not an entity", st.object))
            raw = st.value
            if isinstance(raw, str) and raw:
                try:
                    if prop.kind == "number":
                        st.value = parse_number(raw)
                    elif prop.kind == "date":
                        st.value = parse_date(raw)
                except ValueError as exc:
                    out.append(_problem(st, "value", str(exc), raw))
            elif raw in (None, "") and st.lower is None and st.upper is None:
                out.append(_problem(st, "value", f"{st.predicate} needs a value (or lower/upper bounds)", ""))
    if st.unit and st.unit not in schema.units:
        out.append(_problem(st, "unit", f"unknown unit (known: {', '.join(sorted(schema.units))})", st.unit))
    for q in st.qualifiers:
        if q not in schema.qualifiers:
            out.append(_problem(st, "qualifier", f"unknown qualifier (known: {', '.join(sorted(schema.qualifiers))})", q))
    if st.lower is not None and st.upper is not None and st.lower > st.upper:
        out.append(_problem(st, "lower", "lower bound is above upper bound", str(st.lower)))
    if st.start and st.end and st.start.date > st.end.date:
        out.append(_problem(st, "start", "start is after end", str(st.start)))
    if not st.source:
        out.append(_problem(st, "source", "statement has no source", ""))
    elif st.source not in sources:
        out.append(_problem(st, "source", "unknown source id", st.source))
    else:
        src = sources[st.source]
        if src.type != "Dataset" and not st.quote:
            out.append(_problem(st, "quote", "statement from a document needs the quote that states it", ""))
        if src.text is not None and st.quote:
            at = src.text.find(st.quote)
            if at < 0:
                out.append(_problem(st, "quote", f"quote not found in the text of source {src.id}", st.quote))
            elif not st.locator:
                st.locator = f"line {src.text.count(chr(10), 0, at) + 1}"
    if st.according_to and st.according_to not in sources:
        out.append(_problem(st, "according_to", "unknown source id", st.according_to))
    return out
