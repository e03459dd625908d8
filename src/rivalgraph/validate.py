"""SHACL validation of the built graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .errors import ValidationError


@dataclass
class ShaclReport:
    conforms: bool
    violations: int
    text: str


def shacl_check(quads: Iterable[tuple], shapes_file: Path, ontology: Graph) -> ShaclReport:
    """Validate the data triples (all graphs merged) with pyshacl; RDFS inference on."""
    from pyshacl import validate  # heavy import, only when validating

    data = Graph()
    for s, p, o, _ in quads:
        data.add((s, p, o))
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, results_graph, text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", advanced=False, allow_warnings=True,
    )
    from rdflib.namespace import SH, RDF

    count = sum(1 for _ in results_graph.subjects(RDF.type, SH.ValidationResult))
    return ShaclReport(bool(conforms), count, text)


def shacl_sample(quads: list[tuple], sampled_graphs: set, every: int = 20) -> list[tuple]:
    """A subset of the graph that SHACL can check quickly and soundly.

    Every subject outside ``sampled_graphs`` (curated sources, entities,
    ontology) is kept; of the subjects found only in ``sampled_graphs`` (the
    mapped datasets) every ``every``-th in sorted order. A kept node keeps all its
    triples, and so does every node it points at, so each focus node is seen as
    the full graph has it, and the nodes that shapes require a class of (sources,
    chip families, the curated orders' parties) are all kept with their types;
    the nodes one step further get their labels, as RDFS range inference makes
    them entities too.
    ``rivalgraph validate`` checks the whole graph.
    """
    from rdflib import RDFS, URIRef

    outside = {q[0] for q in quads if q[3] not in sampled_graphs}
    inside = sorted({q[0] for q in quads if q[3] in sampled_graphs} - outside, key=str)
    keep = outside | set(inside[::every])
    keep |= {q[2] for q in quads if q[0] in keep and isinstance(q[2], URIRef)}
    kept = [q for q in quads if q[0] in keep]
    # the nodes those point at become entities by RDFS range inference: give them their labels
    frontier = {q[2] for q in kept if isinstance(q[2], URIRef)} - keep
    return kept + [q for q in quads if q[0] in frontier and q[1] == RDFS.label]


def require_conformance(report: ShaclReport) -> None:
    if not report.conforms:
        raise ValidationError(report.text, report.violations)
