"""The Python vocabulary and ontology/rivalgraph.ttl stay in step; every term is labelled."""

import pytest
from rdflib import OWL, RDF, RDFS, Graph

from rivalgraph.vocab import RG, UNIT, slug

from .conftest import REPO


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(REPO / "ontology" / "rivalgraph.ttl")


def test_namespace_matches_ontology(ontology):
    ns = str(RG._NS)
    in_ttl = {str(s)[len(ns):] for s in ontology.subjects() if str(s).startswith(ns)}
    in_python = set(RG.__annotations__)
    assert in_ttl == in_python


def test_misspelt_term_is_an_error():
    with pytest.raises(AttributeError):
        RG.develper  # noqa: B018


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_class_and_property_has_zh_en_labels_and_a_comment(ontology, kind):
    terms = list(ontology.subjects(RDF.type, kind))
    assert terms
    for term in terms:
        langs = {lit.language for lit in ontology.objects(term, RDFS.label)}
        assert {"en", "zh"} <= langs, term
        assert list(ontology.objects(term, RDFS.comment)), term


def test_units_are_labelled(ontology):
    units = [u for u in ontology.subjects() if str(u).startswith(str(UNIT))]
    assert units
    for u in units:
        assert {lit.language for lit in ontology.objects(u, RDFS.label)} >= {"en", "zh"}


def test_slug():
    assert slug("Llama 2-70B") == "Llama-2-70B"
    assert slug("  NVIDIA A100 SXM4 80 GB ") == "NVIDIA-A100-SXM4-80-GB"
