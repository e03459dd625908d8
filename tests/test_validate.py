"""SHACL on a sample: every kept node is seen whole, so the sample finds real violations and no false ones."""

from __future__ import annotations

from rivalgraph.pipeline import build_graph
from rivalgraph.validate import shacl_check, shacl_sample
from rivalgraph.vocab import ID, RG, graph_iri

from .conftest import FIXTURES, copy_project


def test_sample_is_sound(tmp_path):
    project = copy_project(tmp_path / "mapped", FIXTURES / "mapped" / "data")
    built = build_graph(project, shacl=False)
    datasets = {graph_iri("chips-db"), graph_iri("owners-db")}
    for every in (1, 2, 3):
        sample = shacl_sample(built.quads, datasets, every)
        assert len(sample) < len(built.quads) or every == 1
        report = shacl_check(sample, project.shapes_file, built.schema.graph)
        assert report.conforms, report.text  # no false violation from cutting the graph
    # a variant without its family: the full check and a sample that keeps it both see it
    broken = [q for q in built.quads if not (q[0] == ID["NVIDIA-A800-SXM"] and q[1] == RG.variantOf)]
    assert shacl_check(broken, project.shapes_file, built.schema.graph).violations == 1
    sample = shacl_sample(broken, datasets, 1)
    assert shacl_check(sample, project.shapes_file, built.schema.graph).violations == 1
