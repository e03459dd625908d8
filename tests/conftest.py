"""Shared fixtures: the repository's project, and tiny throwaway projects built from fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rivalgraph.project import Project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def copy_project(target: Path, data: Path) -> Project:
    """A project in ``target`` with the real ontology and the data folder ``data``."""
    shutil.copytree(REPO / "ontology", target / "ontology")
    shutil.copytree(data, target / "data")
    return Project(target)


@pytest.fixture
def mini_project(tmp_path, monkeypatch) -> Project:
    """The tiny hand-made project in tests/fixtures/mini, copied to a temporary folder."""
    monkeypatch.setenv("RIVALGRAPH_STORE", str(tmp_path / "store"))
    return copy_project(tmp_path / "mini", FIXTURES / "mini" / "data")


@pytest.fixture(scope="session")
def repo_project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def repo_built():
    """The real graph built from data/ (records, quads, report), once per session."""
    from rivalgraph.pipeline import build_graph

    return build_graph(Project(REPO), shacl=False)


@pytest.fixture(scope="session")
def real_graph(tmp_path_factory, repo_built):
    """The real graph (built from data/) in a temporary store, opened once per session."""
    from rivalgraph.api import RivalGraph
    from rivalgraph.rdfio import trig
    from rivalgraph.store import EmbeddedStore

    built = repo_built
    folder = tmp_path_factory.mktemp("real")
    trig_file = folder / "real.trig"
    trig_file.write_text(trig(built.quads), encoding="utf-8")
    store = EmbeddedStore.create(folder / "store", trig_file=trig_file)
    graph = RivalGraph(store)
    yield graph
    graph.close()
