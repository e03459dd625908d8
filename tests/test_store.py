"""The same questions against a real Oxigraph server over the SPARQL 1.1 protocol.

Each test module run starts `oxigraph serve` on a free 127.0.0.1 port with the
default graph as the union of the named graphs (as the embedded store answers),
loads a build into it over the Graph Store Protocol, and stops it afterwards.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from rivalgraph import queries
from rivalgraph.api import RivalGraph
from rivalgraph.cli import main
from rivalgraph.errors import EndpointError, QueryError, QueryTimeout, UnknownEntity

from .test_queries import CASES, real_params

pytestmark = pytest.mark.remote

SERVER_START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(trig: Path, folder: Path):
    """A real Oxigraph server holding ``trig``; yields its base URL."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph", "--timeout-s", "5"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    raise RuntimeError(f"oxigraph serve exited: {process.stderr.read().decode()[:500]}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not answer within {SERVER_START_SECONDS} s") from None
                time.sleep(0.1)
        load = urllib.request.Request(f"{base}/store", data=trig.read_bytes(), method="POST",
                                      headers={"Content-Type": "application/trig"})
        urllib.request.urlopen(load, timeout=60).close()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="module")
def real_endpoint(real_trig, tmp_path_factory):
    with oxigraph_server(real_trig, tmp_path_factory.mktemp("oxigraph-real")) as base:
        yield base


@pytest.fixture(scope="module")
def query_endpoint(query_trig, tmp_path_factory):
    with oxigraph_server(query_trig, tmp_path_factory.mktemp("oxigraph-queries")) as base:
        yield base


def same_answer(embedded, remote, name, params):
    here = embedded.query(name, params)
    there = remote.query(name, params)
    assert there.variables == here.variables
    assert there.rows == here.rows
    return here


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_answers_the_same_remotely(query_graph, query_endpoint, case):
    remote = RivalGraph.open(endpoint=f"{query_endpoint}/query", timeout=30)
    name, params = CASES[case]
    same_answer(query_graph, remote, name, params)


@pytest.mark.parametrize("name", [q.name for q in queries.named_queries()])
def test_every_named_query_answers_the_same_on_the_real_graph(real_graph, real_endpoint, name):
    remote = RivalGraph.open(endpoint=f"{real_endpoint}/query", timeout=30)
    same_answer(real_graph, remote, name, real_params(queries.get(name)))


def test_remote_frames_labels_and_errors(query_endpoint):
    remote = RivalGraph.open(endpoint=f"{query_endpoint}/query", timeout=30)
    df = remote.frame("compute-holdings", labels="zh")
    assert list(df["owner_label"]) == ["阿尔法实验室", "贝塔智能"]
    with pytest.raises(UnknownEntity):
        remote.query("leaderboard", {"benchmark": "Nope"})
    with pytest.raises(QueryError) as info:
        remote.query("SELECT ?x WHERE {\n ?x a rg:Model .\n FILTER(?x = ) }")
    assert info.value.line == 3
    with pytest.raises(QueryTimeout):
        remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=0.5)
    assert len(remote.query("leaderboard", {"benchmark": "MMLU"}).rows) == 4


def test_unreachable_endpoint(query_endpoint):
    port = free_port()
    with pytest.raises(EndpointError, match="cannot reach"):
        RivalGraph.open(endpoint=f"http://127.0.0.1:{port}/query").query("ASK {}")


def test_cli_endpoint(query_endpoint):
    result = CliRunner().invoke(main, ["query", "chip-buyers", "-p", "supplier=ChipCo", "-f", "csv",
                                       "--endpoint", f"{query_endpoint}/query"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("https://rivalgraph.dev/id/Beta,Beta AI,")


def test_sparqlwrapper_reads_the_same_named_query(query_graph, query_endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    from rivalgraph.sparqltext import substitute

    named = queries.get("leaderboard")
    bindings = queries.bind(named, {"benchmark": "MMLU"}, query_graph._resolver(), query_graph._check_term)
    client = SPARQLWrapper(f"{query_endpoint}/query")
    client.setQuery(substitute(named.text, bindings))
    client.setReturnFormat(JSON)
    data = client.queryAndConvert()
    scores = [b["score"]["value"] for b in data["results"]["bindings"]]
    assert scores == [str(r[3]) for r in query_graph.query("leaderboard", {"benchmark": "MMLU"}).rows]


def test_an_ego_view_reads_the_same_from_an_endpoint(real_graph, real_endpoint):
    from rivalgraph.views import graphs
    from rivalgraph.views.focus import ego_data

    remote = RivalGraph.open(endpoint=f"{real_endpoint}/query", timeout=30)
    for entity, hops in [("SenseTime", 2), ("order-2023-china-A800", 1)]:
        here = ego_data(real_graph, entity, hops)
        assert here is not None, entity
        assert graphs.ego(ego_data(remote, entity, hops), entity, hops) == graphs.ego(here, entity, hops)
