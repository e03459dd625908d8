"""Namespaces, prefixes and IRI minting for rivalgraph.

The ontology terms are a :class:`rdflib.namespace.DefinedNamespace` with
``_fail = True``: a misspelt term raises ``AttributeError`` instead of quietly
minting a new IRI. ``tests/test_vocab.py`` keeps this list and
``ontology/rivalgraph.ttl`` in step.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://rivalgraph.dev/"


class RG(DefinedNamespace):
    """The rivalgraph ontology (``ontology/rivalgraph.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Organization: URIRef
    ChipVendor: URIRef
    ModelDeveloper: URIRef
    ChipBuyer: URIRef
    ResearchLab: URIRef
    Publisher: URIRef
    Region: URIRef
    Chip: URIRef
    ChipFamily: URIRef
    ChipVariant: URIRef
    ModelFamily: URIRef
    Model: URIRef
    Product: URIRef
    Service: URIRef
    ApplicationDomain: URIRef
    Benchmark: URIRef
    Evaluation: URIRef
    ComputeCluster: URIRef
    DataCenter: URIRef
    ChipOrder: URIRef
    ChipHolding: URIRef
    BusinessLine: URIRef
    Event: URIRef
    ReleaseEvent: URIRef
    TrainingCompletedEvent: URIRef
    LaunchEvent: URIRef
    Source: URIRef
    Document: URIRef
    Dataset: URIRef
    Unit: URIRef
    Statement: URIRef
    Qualifier: URIRef
    TimePrecision: URIRef
    Support: URIRef

    # individuals
    Approximately: URIRef
    AtLeast: URIRef
    OrderOfMagnitude: URIRef
    EstimateRange: URIRef
    Estimate: URIRef
    Forecast: URIRef
    MediaReport: URIRef
    Average: URIRef
    YearPrecision: URIRef
    MonthPrecision: URIRef
    DayPrecision: URIRef
    SingleSource: URIRef
    Corroborated: URIRef
    Conflicting: URIRef

    # statement qualifiers and provenance
    unit: URIRef
    lowerBound: URIRef
    upperBound: URIRef
    qualifier: URIRef
    qualifierNote: URIRef
    asOf: URIRef
    startTime: URIRef
    endTime: URIRef
    timePrecision: URIRef
    quote: URIRef
    locator: URIRef
    accordingTo: URIRef
    support: URIRef
    sourceFile: URIRef
    licence: URIRef

    # facts
    businessLine: URIRef
    offers: URIRef
    headquarteredIn: URIRef
    revenueGrowthYoY: URIRef
    shareOfRevenue: URIRef
    revenuePerCustomerGrowthYoY: URIRef
    dataProducedPerMonth: URIRef
    dataReserve: URIRef
    characterization: URIRef
    manufacturer: URIRef
    variantOf: URIRef
    exportSubstituteFor: URIRef
    exportMarket: URIRef
    releaseDate: URIRef
    buyer: URIRef
    supplier: URIRef
    orderedChip: URIRef
    quantity: URIRef
    quantityPerBuyer: URIRef
    orderValue: URIRef
    expectedDelivery: URIRef
    owner: URIRef
    heldChip: URIRef
    computeH100e: URIRef
    priceUSD: URIRef
    peakFlops: URIRef
    memoryBytes: URIRef
    memoryBandwidth: URIRef
    interconnectBandwidth: URIRef
    tdpWatts: URIRef
    operator: URIRef
    hostedIn: URIRef
    location: URIRef
    launchDate: URIRef
    gpuCount: URIRef
    computeCapacity: URIRef
    computeGrowth: URIRef
    parallelTrainingScale: URIRef
    gpuBasedCount: URIRef
    developer: URIRef
    partOfFamily: URIRef
    baseModel: URIRef
    successor: URIRef
    parameterCount: URIRef
    trainingCompute: URIRef
    trainingHardware: URIRef
    trainingChipCount: URIRef
    gpusDevoted: URIRef
    trainingCompleted: URIRef
    applicationDomain: URIRef
    evaluatedModel: URIRef
    benchmark: URIRef
    comparedWith: URIRef
    overallRank: URIRef
    score: URIRef
    benchmarkCount: URIRef
    questionCount: URIRef
    outperforms: URIRef
    eventSubject: URIRef
    participant: URIRef
    eventDate: URIRef


ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
STATEMENT = Namespace(BASE + "statement/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")
UNIT = Namespace(BASE + "unit/")
EVENT = Namespace(BASE + "event/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")

#: The graph that holds the ontology, and the one that holds entity labels.
ONTOLOGY_GRAPH = GRAPH["ontology"]
ENTITIES_GRAPH = GRAPH["entities"]

#: Prefixes used by exports, the query page and every named query.
PREFIXES: dict[str, str] = {
    "rg": str(RG._NS),
    "id": str(ID),
    "st": str(STATEMENT),
    "src": str(SOURCE),
    "unit": str(UNIT),
    "event": str(EVENT),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": str(PROV),
    "dcterms": "http://purl.org/dc/terms/",
    "schema": str(SCHEMA),
    "org": str(ORG),
    "wikibase": str(WIKIBASE),
}

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SLUG_DROP = re.compile(r"[^A-Za-z0-9._-]+")


def is_valid_id(value: str) -> bool:
    """True when ``value`` can be used as a stable id (letters, digits, ``. _ -``)."""
    return bool(_ID_RE.match(value))


def slug(text: str) -> str:
    """Turn a free-text name into an id: ``"Llama 2-70B"`` -> ``"Llama-2-70B"``."""
    out = _SLUG_DROP.sub("-", text.strip()).strip("-.")
    return re.sub(r"-{2,}", "-", out)


def entity_iri(entity_id: str) -> URIRef:
    return ID[entity_id]


def statement_iri(statement_id: str) -> URIRef:
    return STATEMENT[statement_id]


def source_iri(source_id: str) -> URIRef:
    return SOURCE[source_id]


def graph_iri(source_id: str) -> URIRef:
    """The named graph that holds everything one source states."""
    return GRAPH[source_id]


def local_id(iri: str) -> str:
    """The id part of a rivalgraph IRI (``.../id/SenseTime`` -> ``SenseTime``)."""
    for ns in (ID, STATEMENT, SOURCE, GRAPH, UNIT, EVENT):
        if iri.startswith(str(ns)):
            return iri[len(str(ns)):]
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
