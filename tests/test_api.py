"""The Python API a notebook uses: DataFrames, labels, rdflib graphs, time limits, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from rdflib import Dataset, URIRef

import rivalgraph
from rivalgraph.api import RivalGraph
from rivalgraph.errors import QueryError, QueryTimeout
from rivalgraph.store import EmbeddedStore
from rivalgraph.vocab import ID

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_frame_has_python_values(query_graph):
    df = query_graph.frame("leaderboard", benchmark="MMLU")
    assert list(df.columns) == ["model", "model_label", "developers", "score", "unit", "date", "source"]
    assert list(df["model_label"]) == ["Beta-2", "Alpha-2", "Beta-1", "Alpha-1"]
    assert df["score"][0] == Decimal(85)
    assert df["date"][0] == dt.date(2024, 1, 20)
    assert df["model"][0] == str(ID["B-2"])


def test_frame_labels_in_a_language(query_graph):
    df = query_graph.frame("chip-buyers", {"supplier": "ChipCo"}, labels="zh")
    assert list(df["buyer_label"]) == ["贝塔智能", "伽马云"]  # the query's own column, in Chinese
    assert list(df["order_label"]) == ["2023年X800订单"] * 2  # added beside the other entity columns
    assert "buyer_label_label" not in df
    zh = query_graph.frame("compute-holdings", lang="zh")
    assert list(zh["owner_label"]) == ["阿尔法实验室", "贝塔智能"]


def test_ad_hoc_query_gets_the_common_prefixes(query_graph):
    df = query_graph.frame("SELECT ?chip WHERE { ?chip rg:exportMarket id:China }")
    assert list(df["chip"]) == [str(ID.X800)]
    ask = query_graph.frame("ASK { id:X800 rg:exportSubstituteFor id:X100 }")
    assert bool(ask["boolean"][0]) is True
    triples = query_graph.frame("CONSTRUCT { id:X800 ?p ?o } WHERE { id:X800 ?p ?o FILTER(?p = rg:manufacturer) }")
    assert list(triples["object"]) == [str(ID.ChipCo)]


def test_rdflib_graph(query_graph):
    ds = query_graph.rdflib_graph()
    assert isinstance(ds, Dataset)
    assert (ID.X800, URIRef("https://rivalgraph.dev/ontology#exportMarket"), ID.China) in ds
    assert len(ds) > 1000


def test_resolve_names(query_graph):
    assert query_graph.resolve("芯片公司") == ID.ChipCo
    assert query_graph.resolve("chip co") == ID.ChipCo  # an alias, any case
    assert query_graph.resolve(str(ID["A-1"])) == ID["A-1"]


def test_syntax_error_names_line_and_column_of_the_users_text(query_graph):
    with pytest.raises(QueryError) as info:
        query_graph.query("SELECT ?x WHERE {\n  ?x a rg:Model .\n  FILTER(?x = )\n}")
    assert info.value.line == 4  # counted without the PREFIX lines added to the text
    assert "at line 4, column" in str(info.value)
    with pytest.raises(QueryError, match="prefix that is not declared"):
        query_graph.query("SELECT ?x WHERE { ?x a nope:Model }")


def test_time_limit_stops_the_query_and_the_graph_stays_usable(query_graph):
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
        query_graph.query(CROSS_PRODUCT, timeout=0.5)
    assert len(query_graph.query("leaderboard", {"benchmark": "MMLU"}).rows) == 4


def test_default_time_limit_from_the_environment(monkeypatch):
    monkeypatch.setenv("RIVALGRAPH_QUERY_TIMEOUT", "2.5")
    assert RivalGraph(EmbeddedStore()).timeout == 2.5


def test_open_a_store_folder(query_trig):
    with rivalgraph.open(store=query_trig.parent / "store", timeout=10) as graph:
        assert graph.frame("compare-orgs", org="Alpha", rival="Beta")["measure"][0] == "models released"


def test_a_plain_script_can_use_time_limits(query_trig, tmp_path):
    # the time-limit worker is a fresh interpreter: it must not re-run the user's script
    import subprocess
    import sys

    script = tmp_path / "notebook_export.py"
    script.write_text(
        "import rivalgraph\n"
        f"rg = rivalgraph.open(store={str(query_trig.parent / 'store')!r}, timeout=20)\n"
        "print(len(rg.frame('leaderboard', benchmark='MMLU')))\n"
        "print('done')\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "done"]
