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


def build_to_trig(project: Project, target: Path, *, shacl: bool) -> Path:
    """Build ``project`` and write its TriG to ``target``."""
    from rivalgraph.pipeline import build_graph
    from rivalgraph.rdfio import trig

    built = build_graph(project, shacl=shacl)
    target.write_text(trig(built.quads), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def real_trig(tmp_path_factory) -> Path:
    """The real graph (built from data/) as a TriG file."""
    return build_to_trig(Project(REPO), tmp_path_factory.mktemp("real") / "real.trig", shacl=False)


@pytest.fixture(scope="session")
def real_graph(real_trig):
    """The real graph in a temporary on-disk store, opened once per session."""
    from rivalgraph.api import RivalGraph
    from rivalgraph.store import EmbeddedStore

    store = EmbeddedStore.create(real_trig.parent / "store", trig_file=real_trig)
    graph = RivalGraph(store)
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def query_trig(tmp_path_factory) -> Path:
    """The hand-made graph of tests/fixtures/queries (two datasets), built and written as TriG."""
    folder = tmp_path_factory.mktemp("queries")
    project = copy_project(folder / "project", FIXTURES / "queries" / "data")
    return build_to_trig(project, folder / "queries.trig", shacl=True)  # the fixture must stay valid


@pytest.fixture(scope="session")
def query_graph(query_trig):
    """The hand-made graph of tests/fixtures/queries in an on-disk store, opened once per session."""
    from rivalgraph.api import RivalGraph
    from rivalgraph.store import EmbeddedStore

    store = EmbeddedStore.create(query_trig.parent / "store", trig_file=query_trig)
    graph = RivalGraph(store)
    yield graph
    graph.close()
