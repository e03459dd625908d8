"""The named query pack: every question answered on a tiny hand-made graph, against golden rows.

The graph is ``tests/fixtures/queries/data`` (two made-up datasets: models, chips,
holdings, evaluations, an order, one conflict), built by the real pipeline. Each
case's rows are compared, as CSV, with ``tests/fixtures/queries/expected/<case>.csv``;
the actual output is written to ``tests/out/queries/`` for a look. After a deliberate
change, regenerate the golden files (and read the diff) with::

    RIVALGRAPH_REGEN_GOLDEN=1 python3 -m pytest tests/test_queries.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rivalgraph import queries
from rivalgraph.errors import ParameterError, UnknownEntity, UnknownQuery
from rivalgraph.formats import render

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "fixtures" / "queries" / "expected"
ACTUAL = HERE / "out" / "queries"

#: case name -> (query, parameters). Every named query has at least one case.
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "leaderboard-mmlu": ("leaderboard", {"benchmark": "MMLU"}),
    "compare-claims-x800": ("compare-claims", {"about": "X800"}),
    "compare-claims-a1": ("compare-claims", {"about": "A-1"}),
    "leaderboard-gsm8k-zh": ("leaderboard", {"benchmark": "GSM8K", "lang": "zh"}),
    "models-over-time": ("models-over-time", {}),
    "models-over-time-2024": ("models-over-time", {"from": "2024-01-01", "to": "2024-12-31"}),
    "first-to-market-models": ("first-to-market", {}),
    "first-to-market-chips": ("first-to-market", {"kind": "rg:ChipFamily"}),
    "chips-by-vendor": ("chips-by-vendor", {"vendor": "芯片公司"}),
    "chip-buyers": ("chip-buyers", {"supplier": "ChipCo"}),
    "chip-buyers-2024": ("chip-buyers", {"supplier": "ChipCo", "from": "2024-01-01"}),
    "compute-holdings": ("compute-holdings", {}),
    "compute-holdings-2023": ("compute-holdings", {"as_of": "2023-09-30"}),
    "compute-growth": ("compute-growth", {"from": "2023-06-30", "to": "2024-06-30"}),
    "compute-growth-no-start": ("compute-growth", {"from": "2022-12-31", "to": "2023-12-31"}),
    "latest-value-quantity": ("latest-value", {"entity": "hold-alpha-x100", "property": "quantity", "as_of": "2023-12-31"}),
    "latest-value-skips-deprecated": ("latest-value", {"entity": "hold-beta-x800", "property": "rg:quantity"}),
    "latest-value-gpus": ("latest-value", {"entity": "Gamma cluster", "property": "gpuCount"}),
    "conflicting-claims": ("conflicting-claims", {}),
    "single-source-facts": ("single-source-facts", {"entity": "A-1"}),
    "org-profile-alpha": ("org-profile", {"org": "Alpha"}),
    "org-profile-gamma-zh": ("org-profile", {"org": "伽马云", "lang": "zh"}),
    "compare-orgs": ("compare-orgs", {"org": "Alpha", "rival": "Beta AI"}),
    "connecting-paths": ("connecting-paths", {"entity": "Beta", "other": "X800"}),
    "connecting-paths-3-hops": ("connecting-paths", {"entity": "Alpha", "other": "ChipCo"}),
    "connecting-paths-none": ("connecting-paths", {"entity": "Alpha", "other": "Gamma"}),
    # the seed questions, on this graph too
    "china-export-chips": ("china-export-chips", {"vendor": "ChipCo", "replaced": "X100"}),
    "chip-orders": ("chip-orders", {"chip": "X800", "supplier": "ChipCo"}),
    "cluster-compute-history": ("cluster-compute-history", {"cluster": "GammaCluster"}),
    "model-releases": ("model-releases", {"org": "Beta"}),
    "benchmark-wins": ("benchmark-wins", {"model": "A-2"}),
    "products": ("products", {"org": "Alpha"}),
    "entity-facts": ("entity-facts", {"entity": "X800"}),
    "gpus-per-model-line": ("gpus-per-model-line", {"org": "Alpha"}),
}


def answer(graph, case: str) -> str:
    name, params = CASES[case]
    return render(graph.query(name, params), "csv").replace("\r\n", "\n")


def test_every_named_query_has_a_case():
    covered = {name for name, _ in CASES.values()}
    assert {q.name for q in queries.named_queries()} <= covered
    assert len(queries.named_queries()) >= 20


@pytest.mark.parametrize("case", sorted(CASES))
def test_named_query_rows(query_graph, case):
    got = answer(query_graph, case)
    ACTUAL.mkdir(parents=True, exist_ok=True)
    (ACTUAL / f"{case}.csv").write_text(got, encoding="utf-8")
    gold = EXPECTED / f"{case}.csv"
    if os.environ.get("RIVALGRAPH_REGEN_GOLDEN"):
        gold.write_text(got, encoding="utf-8")
    assert gold.is_file(), f"no golden file for {case}: run with RIVALGRAPH_REGEN_GOLDEN=1 and read the result"
    assert got == gold.read_text(encoding="utf-8")


def real_params(q) -> dict[str, str]:
    return {"entity": "SenseTime"} if q.name == "entity-facts" else {}


@pytest.mark.parametrize("name", [q.name for q in queries.named_queries()])
def test_named_query_runs_on_the_real_graph(real_graph, name):
    result = real_graph.query(name, real_params(queries.get(name)))
    assert result.kind == "select"
    assert all("_" not in v or v == v.lower() for v in result.variables)


def test_real_graph_answers(real_graph):
    paths = real_graph.frame("connecting-paths")
    assert "SenseTime <-developer- InternLM-123B -outperforms-> Llama 2-70B -developer-> Meta" in list(paths["path"])
    latest = real_graph.frame("latest-value", entity="大装置", property="gpuCount", as_of="2023-05-01")
    assert [int(v) for v in latest["value"]] == [27000]
    vendor = real_graph.frame("chips-by-vendor", vendor="英伟达")
    assert {"A800", "H100", "H800"} <= set(vendor["chip"].str.rsplit("/", n=1).str[-1])


def test_every_file_pastes_into_any_endpoint():
    for q in queries.named_queries():
        assert q.title and q.description, q.name
        for prefix in ("rg", "rdf", "rdfs"):
            if f"{prefix}:" in q.text.split("\nSELECT", 1)[-1]:
                assert f"PREFIX {prefix}: <" in q.text, (q.name, prefix)
        for p in q.parameters:
            assert f"?{p.name}" in q.text, (q.name, p.name)
            assert f"?{p.name} " not in q.text.split("WHERE", 1)[0].split("SELECT", 1)[-1], "parameters are never projected"


def test_unknown_names_are_errors(query_graph):
    with pytest.raises(UnknownEntity, match="'benchmark': no entity has the id, label or alias 'MMLUU'"):
        query_graph.query("leaderboard", {"benchmark": "MMLUU"})
    with pytest.raises(UnknownEntity, match="the graph has no property 'https://rivalgraph.dev/ontology#gpuCountt'"):
        query_graph.query("latest-value", {"entity": "GammaCluster", "property": "gpuCountt"})
    with pytest.raises(UnknownEntity, match="no class"):
        query_graph.query("first-to-market", {"kind": "rg:Modell"})
    with pytest.raises(ParameterError, match="'as_of': '2023-13-01' is not a real date"):
        query_graph.query("compute-holdings", {"as_of": "2023-13-01"})
    with pytest.raises(ParameterError, match="has no parameter 'org'"):
        query_graph.query("leaderboard", {"org": "Alpha"})
    with pytest.raises(ParameterError, match="needs parameter 'entity'"):
        query_graph.query("entity-facts")
    with pytest.raises(UnknownQuery, match="did you mean leaderboard"):
        query_graph.query("leader")


def test_parameters_are_bound_not_formatted(query_graph):
    # a label full of SPARQL is a name to look up, never query text
    with pytest.raises(UnknownEntity):
        query_graph.query("org-profile", {"org": 'Alpha" } UNION { ?s ?p ?o } #'})
    result = query_graph.query("SELECT ?x WHERE { BIND(?name AS ?x) }", {"name": '"} ?s ?p ?o {'})
    assert str(result.rows[0][0]) == '"} ?s ?p ?o {'


def test_expand_iri():
    from rivalgraph.queries import expand_iri

    assert str(expand_iri("gpuCount")) == "https://rivalgraph.dev/ontology#gpuCount"
    assert str(expand_iri("rdfs:label")) == "http://www.w3.org/2000/01/rdf-schema#label"
    assert str(expand_iri("<https://example.org/x>")) == "https://example.org/x"
    with pytest.raises(ParameterError):
        expand_iri("not an iri")


def test_readme_lists_every_named_query():
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    for q in queries.named_queries():
        assert f"| `{q.name}` | {q.title} |" in readme, q.name
