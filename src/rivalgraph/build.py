"""Records -> RDF quads: entities, sources, statement nodes, direct edges, events.

The model (see ``ontology/README.md``): every claim is a statement node
(``rdf:subject``/``rdf:predicate``/``rdf:object``, time, qualifiers, source,
quote) in the named graph of its source, and the claims of best rank are also
written as direct edges (Wikidata's "truthy" triples) for easy browsing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .ontology import Schema
from .records import DateValue, Records, Statement, decimal_lexical
from .vocab import (
    ENTITIES_GRAPH, EVENT, ONTOLOGY_GRAPH, PROV, RG, UNIT, WIKIBASE,
    entity_iri, graph_iri, source_iri, statement_iri,
)

Quad = tuple[URIRef, URIRef, object, URIRef]

RANK_IRI = {"preferred": WIKIBASE.PreferredRank, "normal": WIKIBASE.NormalRank, "deprecated": WIKIBASE.DeprecatedRank}
PRECISION_IRI = {"year": RG.YearPrecision, "month": RG.MonthPrecision, "day": RG.DayPrecision}
#: Roles an organization takes on by appearing as the object of these properties.
ROLE_BY_PROPERTY = {"supplier": "ChipVendor", "manufacturer": "ChipVendor", "buyer": "ChipBuyer", "developer": "ModelDeveloper"}
#: Event classes derived from date-valued statements, with their zh/en label patterns.
EVENT_BY_PROPERTY = {
    "releaseDate": ("ReleaseEvent", "release of {en}", "{zh}发布"),
    "trainingCompleted": ("TrainingCompletedEvent", "{en} finished training", "{zh}完成训练"),
    "launchDate": ("LaunchEvent", "launch of {en}", "{zh}启用"),
}
#: Relative difference under which two sources' numbers count as the same value.
AGREEMENT_TOLERANCE = Decimal("0.05")


def date_literal(value: DateValue) -> Literal:
    return Literal(value.date.isoformat(), datatype=XSD.date)


def value_literal(value, language: str = "en") -> Literal:
    if isinstance(value, Decimal):
        return Literal(decimal_lexical(value), datatype=XSD.decimal)
    if isinstance(value, DateValue):
        return date_literal(value)
    return Literal(str(value), lang=language)


def ontology_quads(schema: Schema) -> Iterable[Quad]:
    for s, p, o in schema.graph:
        yield (s, p, o, ONTOLOGY_GRAPH)


def build_quads(records: Records, schema: Schema) -> list[Quad]:
    """All quads of the graph (ontology included), in no particular order."""
    quads: list[Quad] = list(ontology_quads(schema))
    entities = {e.id: e for e in records.entities}
    g = ENTITIES_GRAPH

    for src in records.sources:
        s = source_iri(src.id)
        sg = graph_iri(src.id)
        quads += [(s, RDF.type, RG[src.type], g), (s, RDF.type, PROV.Entity, g)]
        quads.append((s, DCTERMS.title, Literal(src.title, lang=src.language or None), g))
        if src.title_en:
            quads.append((s, DCTERMS.title, Literal(src.title_en, lang="en"), g))
        label = src.title_en or src.title
        quads.append((s, RDFS.label, Literal(label, lang="en" if src.title_en else (src.language or None)), g))
        if src.publisher:
            quads.append((s, DCTERMS.publisher, entity_iri(src.publisher), g))
        if src.date:
            quads.append((s, DCTERMS.date, date_literal(src.date), g))
        if src.language:
            quads.append((s, DCTERMS.language, Literal(src.language), g))
        if src.locator:
            quads.append((s, DCTERMS.source, Literal(src.locator), g))
        if src.file:
            quads.append((s, RG.sourceFile, Literal(src.file), g))
        if src.licence:
            quads.append((s, RG.licence, Literal(src.licence), g))
        quads.append((sg, PROV.wasDerivedFrom, s, g))

    for ent in records.entities:
        e = entity_iri(ent.id)
        eg = graph_iri(ent.source) if ent.source else g
        for t in ent.types:
            quads.append((e, RDF.type, RG[t], eg))
        for text, lang in ((ent.label_en, "en"), (ent.label_zh, "zh")):
            quads.append((e, RDFS.label, Literal(text, lang=lang), eg))
            quads.append((e, SKOS.prefLabel, Literal(text, lang=lang), eg))
        for text in ent.aliases_en:
            quads.append((e, SKOS.altLabel, Literal(text, lang="en"), eg))
        for text in ent.aliases_zh:
            quads.append((e, SKOS.altLabel, Literal(text, lang="zh"), eg))
        if ent.description_en:
            quads.append((e, RDFS.comment, Literal(ent.description_en, lang="en"), eg))

    sources = {s.id: s for s in records.sources}
    support = compute_support(records.statements, schema)
    for st in records.statements:
        quads += statement_quads(st, schema, sources[st.source].language or "en", support[st.id])
    quads += truthy_quads(records.statements, schema)
    quads += role_quads(records.statements, entities)
    quads += event_quads(records.statements, entities)
    return quads


def statement_quads(st: Statement, schema: Schema, language: str, support: URIRef) -> list[Quad]:
    n = statement_iri(st.id)
    g = graph_iri(st.source)
    prop = schema.properties[st.predicate]
    out: list[Quad] = [
        (n, RDF.type, RG.Statement, g),
        (n, RDF.subject, entity_iri(st.subject), g),
        (n, RDF.predicate, prop.iri, g),
        (n, WIKIBASE.rank, RANK_IRI[st.rank], g),
        (n, PROV.wasDerivedFrom, source_iri(st.source), g),
        (n, RG.support, support, g),
    ]
    if st.object:
        out.append((n, RDF.object, entity_iri(st.object), g))
    elif st.value is not None:
        out.append((n, RDF.object, value_literal(st.value), g))
    if st.unit:
        out.append((n, RG.unit, UNIT[st.unit], g))
    if st.lower is not None:
        out.append((n, RG.lowerBound, value_literal(st.lower), g))
    if st.upper is not None:
        out.append((n, RG.upperBound, value_literal(st.upper), g))
    for q in st.qualifiers:
        out.append((n, RG.qualifier, RG[q], g))
    dates = [d for d in (st.value if isinstance(st.value, DateValue) else None, st.as_of, st.start, st.end) if d]
    if st.as_of:
        out.append((n, RG.asOf, date_literal(st.as_of), g))
    if st.start:
        out.append((n, RG.startTime, date_literal(st.start), g))
    if st.end:
        out.append((n, RG.endTime, date_literal(st.end), g))
    if dates:
        out.append((n, RG.timePrecision, PRECISION_IRI[dates[0].precision], g))
    if st.according_to:
        out.append((n, RG.accordingTo, source_iri(st.according_to), g))
    if st.quote:
        out.append((n, RG.quote, Literal(st.quote, lang=language), g))
    if st.locator:
        out.append((n, RG.locator, Literal(st.locator), g))
    if st.note:
        out.append((n, RG.qualifierNote, Literal(st.note, lang="en"), g))
    return out


def truthy_quads(statements: list[Statement], schema: Schema) -> list[Quad]:
    """Direct edges for the best-ranked claims of each subject and property.

    As in Wikidata: where any claim of a subject and property is preferred,
    only preferred claims become edges; otherwise every normal claim does.
    Deprecated claims never do. Each edge lives in its claim's source graph.
    """
    groups: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for st in statements:
        if st.rank != "deprecated" and (st.object or st.value is not None):
            groups[(st.subject, st.predicate)].append(st)
    out: list[Quad] = []
    for (subject, predicate), claims in groups.items():
        if any(c.rank == "preferred" for c in claims):
            claims = [c for c in claims if c.rank == "preferred"]
        prop = schema.properties[predicate].iri
        for c in claims:
            obj = entity_iri(c.object) if c.object else value_literal(c.value)
            out.append((entity_iri(subject), prop, obj, graph_iri(c.source)))
    return out


def role_quads(statements: list[Statement], entities) -> list[Quad]:
    """Role classes (chip vendor, chip buyer, model developer) implied by the claims."""
    out: list[Quad] = []
    for st in statements:
        role = ROLE_BY_PROPERTY.get(st.predicate)
        if role and st.object and role not in entities[st.object].types:
            out.append((entity_iri(st.object), RDF.type, RG[role], graph_iri(st.source)))
    return out


def event_quads(statements: list[Statement], entities) -> list[Quad]:
    """An event node for each dated release, finished training or launch claim."""
    developers: dict[str, list[str]] = defaultdict(list)
    for st in statements:
        if st.predicate == "developer" and st.object and st.object not in developers[st.subject]:
            developers[st.subject].append(st.object)
    out: list[Quad] = []
    for st in statements:
        spec = EVENT_BY_PROPERTY.get(st.predicate)
        if not spec or not isinstance(st.value, DateValue) or st.rank == "deprecated":
            continue
        cls, en, zh = spec
        ent = entities[st.subject]
        ev, g = EVENT[st.id], graph_iri(st.source)
        out += [
            (ev, RDF.type, RG[cls], g),
            (ev, RG.eventSubject, entity_iri(st.subject), g),
            (ev, RG.eventDate, date_literal(st.value), g),
            (ev, RG.timePrecision, PRECISION_IRI[st.value.precision], g),
            (ev, RDFS.label, Literal(en.format(en=ent.label_en), lang="en"), g),
            (ev, RDFS.label, Literal(zh.format(zh=ent.label_zh), lang="zh"), g),
            (ev, PROV.wasDerivedFrom, statement_iri(st.id), g),
        ]
        for dev in developers.get(st.subject, ()):
            out.append((ev, RG.participant, entity_iri(dev), g))
    return out


def _interval(st: Statement):
    if st.as_of:
        return st.as_of.date, st.as_of.date
    if st.start or st.end:
        return (st.start.date if st.start else None), (st.end.date if st.end else None)
    return None, None


def _times_overlap(a: Statement, b: Statement) -> bool:
    a0, a1 = _interval(a)
    b0, b1 = _interval(b)
    if a0 is None and a1 is None or b0 is None and b1 is None:
        return True
    return (a0 is None or b1 is None or a0 <= b1) and (b0 is None or a1 is None or b0 <= a1)


def _range(st: Statement):
    if isinstance(st.value, Decimal):
        lo = st.lower if st.lower is not None else st.value
        hi = st.upper if st.upper is not None else st.value
        return lo, hi
    if st.lower is not None or st.upper is not None:
        return st.lower, st.upper
    return None


def _agree(a: Statement, b: Statement, broader: dict[str, set[str]]) -> bool:
    if a.object or b.object:
        # a chip SKU agrees with its family: A100 SXM4 40 GB is an A100
        return a.object == b.object or a.object in broader.get(b.object, ()) or b.object in broader.get(a.object, ())
    ra, rb = _range(a), _range(b)
    if ra is not None and rb is not None:
        lo_a, hi_a = ra
        lo_b, hi_b = rb
        lo_a = lo_a if lo_a is not None else hi_a
        hi_a = hi_a if hi_a is not None else lo_a
        lo_b = lo_b if lo_b is not None else hi_b
        hi_b = hi_b if hi_b is not None else lo_b
        slack = AGREEMENT_TOLERANCE * max(abs(hi_a), abs(hi_b), Decimal(1))
        return lo_a - slack <= hi_b and lo_b - slack <= hi_a
    return str(a.value) == str(b.value)


def compute_support(statements: list[Statement], schema: Schema) -> dict[str, URIRef]:
    """Single source, corroborated or conflicting, for every statement.

    Claims of two different sources about the same subject and property (in the
    same unit), at overlapping times, corroborate each other when their values agree (same
    entity, or a chip SKU and its family; numbers or ranges within 5 %) and
    conflict otherwise. Properties
    whose values are entities can hold several values at once, so for them a
    different value is no conflict.
    """
    groups: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    broader: dict[str, set[str]] = defaultdict(set)
    for st in statements:
        if st.rank != "deprecated":
            # a price per hour and a purchase price are not two claims of one value
            groups[(st.subject, st.predicate, st.unit)].append(st)
            if st.predicate == "variantOf" and st.object:
                broader[st.subject].add(st.object)
    result = {st.id: RG.SingleSource for st in statements}
    for (_, predicate, _), claims in groups.items():
        if len({c.source for c in claims}) < 2:
            continue
        multi_valued = schema.properties[predicate].kind in ("entity", "text")
        for a in claims:
            others = [b for b in claims if b.source != a.source and _times_overlap(a, b)]
            if any(_agree(a, b, broader) for b in others):
                result[a.id] = RG.Corroborated
            elif others and not multi_valued:
                result[a.id] = RG.Conflicting
    return result
