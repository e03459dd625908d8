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


def build_to_trig(project: Project, target: Path, *, shacl: bool) -> Path:
    """Build ``project`` and write its TriG to ``target``."""
    from rivalgraph.pipeline import build_graph
    from rivalgraph.rdfio import trig

    built = build_graph(project, shacl=shacl)
    target.write_text(trig(built.quads), encoding="utf-8")
    return target


def open_graph(trig_file: Path):
    """A RivalGraph over a fresh on-disk store loaded from ``trig_file``, closed after use."""
    from rivalgraph.api import RivalGraph
    from rivalgraph.store import EmbeddedStore

    graph = RivalGraph(EmbeddedStore.create(trig_file.parent / "store", trig_file=trig_file))
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def real_trig(tmp_path_factory, repo_built) -> Path:
    """The real graph (built from data/) as a TriG file."""
    from rivalgraph.rdfio import trig

    target = tmp_path_factory.mktemp("real") / "real.trig"
    target.write_text(trig(repo_built.quads), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def real_graph(real_trig):
    """The real graph in a temporary on-disk store, opened once per session."""
    yield from open_graph(real_trig)


@pytest.fixture(scope="session")
def real_view_data(real_graph):
    """What the views read from the real graph, read once per session (seconds)."""
    from rivalgraph.views.data import load_graph_data

    return load_graph_data(real_graph)


@pytest.fixture(scope="session")
def query_trig(tmp_path_factory) -> Path:
    """The hand-made graph of tests/fixtures/queries (two datasets), built and written as TriG."""
    folder = tmp_path_factory.mktemp("queries")
    project = copy_project(folder / "project", FIXTURES / "queries" / "data")
    return build_to_trig(project, folder / "queries.trig", shacl=True)  # the fixture must stay valid


@pytest.fixture(scope="session")
def query_graph(query_trig):
    """The hand-made graph of tests/fixtures/queries in an on-disk store, opened once per session."""
    yield from open_graph(query_trig)


# -- views: a tiny project whose labels, quotes and notes are hostile HTML ---------

@pytest.fixture(scope="session")
def views_project(tmp_path_factory) -> Project:
    """tests/fixtures/views (XSS payloads in labels, aliases, quotes, notes, titles), copied."""
    return copy_project(tmp_path_factory.mktemp("views") / "project", FIXTURES / "views" / "data")


@pytest.fixture(scope="session")
def views_graph(views_project, tmp_path_factory):
    """The views fixture built (without SHACL: its dataset rows carry no locators) into a store."""
    folder = tmp_path_factory.mktemp("views-store")
    yield from open_graph(build_to_trig(views_project, folder / "views.trig", shacl=False))


# -- rivalgraph serve (tests/test_server*.py): the real server on a fixture store ----------
@pytest.fixture(scope="session")
def server_project(tmp_path_factory):
    """(project root, store): the real data plus entities with script in their labels."""
    from tests.server_support import build_store, make_project

    folder = tmp_path_factory.mktemp("server")
    root = make_project(folder)
    return root, build_store(root, folder / "store")


@pytest.fixture(scope="session")
def served(server_project, tmp_path_factory):
    """`rivalgraph serve --max-rows 50 --timeout 1.5` on a free port, stopped with SIGTERM."""
    from tests.server_support import running_server

    root, store = server_project
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with running_server(root, store, "--max-rows", "50", log=log) as server:
        yield server
