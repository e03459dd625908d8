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


def require_conformance(report: ShaclReport) -> None:
    if not report.conforms:
        raise ValidationError(report.text, report.violations)
