"""The `rivalgraph` command, driven through click's CliRunner on the hand-made query graph."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rivalgraph import queries
from rivalgraph.cli import main


@pytest.fixture
def run(query_trig, query_graph, monkeypatch):
    """Run `rivalgraph ARGS` on the query fixture project and its built store."""
    monkeypatch.setenv("RIVALGRAPH_STORE", str(query_trig.parent / "store"))
    project = str(query_trig.parent / "project")

    def invoke(*args, input=None):
        return CliRunner().invoke(main, [*args, "--project", project] if args[0] == "query" else list(args), input=input)

    return invoke


def test_queries_lists_every_named_query_with_its_parameters(run):
    result = run("queries")
    assert result.exit_code == 0
    for q in queries.named_queries():
        assert f"{q.name}\n    {q.title}" in result.output
    assert "--param as_of=<date> = 2100-12-31  the date the holdings are wanted for" in result.output
    assert "--param entity=<entity> (required)" in result.output


def test_query_table(run):
    result = run("query", "leaderboard", "-p", "benchmark=MMLU")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["model", "model_label", "developers", "score", "unit", "date", "source"]
    assert lines[2].split()[:4] == ["B-2", "Beta-2", "Beta", "AI"]
    assert lines[-1] == "(4 rows)"


def test_query_csv_to_a_file(run, tmp_path):
    out = tmp_path / "growth.csv"
    result = run("query", "compute-growth", "--param", "from=2023-06-30", "--param", "to=2024-06-30",
                 "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("owner,owner_label,chip,chip_label,date_from,quantity_from")
    assert rows[1].endswith(",10000,100")


def test_query_json(run):
    result = run("query", "compare-orgs", "-p", "org=Alpha", "-p", "rival=贝塔智能", "-f", "json")
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["measure", "org_value", "rival_value"]
    assert data["results"]["bindings"][0]["org_value"]["value"] == "2"


def test_query_ttl_for_construct(run):
    result = run("query", "CONSTRUCT { ?c rg:exportMarket ?m } WHERE { ?c rg:exportMarket ?m }")
    assert result.exit_code == 0, result.output
    assert "id:X800" in result.output and "rg:exportMarket" in result.output


def test_query_from_a_file_and_from_stdin(run, tmp_path):
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?m WHERE { ?m rg:developer id:Beta } ORDER BY ?m\n", encoding="utf-8")
    assert run("query", str(rq), "-f", "csv").output.splitlines() == [
        "m", "https://rivalgraph.dev/id/B-1", "https://rivalgraph.dev/id/B-2"]
    assert "(2 rows)" in run("query", "-", input="SELECT ?m WHERE { ?m rg:developer id:Beta }").output
    missing = run("query", str(tmp_path / "nope.rq"))
    assert missing.exit_code == 2 and "no file" in missing.output


def test_syntax_error_shows_line_and_column(run):
    result = run("query", "SELECT ?x\nWHERE { ?x a rg:Model \nFILTER(?x = ) }")
    assert result.exit_code == 3
    assert "SPARQL syntax error at line 3, column" in result.output
    assert "FILTER(?x = ) }" in result.output


def test_user_errors_exit_with_a_message(run):
    unknown = run("query", "leaderboard", "-p", "benchmark=Nope")
    assert unknown.exit_code == 3
    assert "error: parameter 'benchmark': no entity has the id, label or alias 'Nope'" in unknown.output
    bad = run("query", "leaderboard", "-p", "benchmark")
    assert bad.exit_code == 2 and "is not KEY=VALUE" in bad.output
    wrong_format = run("query", "leaderboard", "-f", "ttl")
    assert wrong_format.exit_code == 3 and "cannot hold a select result" in wrong_format.output


def test_time_limit(run):
    result = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", "--timeout", "0.5")
    assert result.exit_code == 3
    assert "query stopped after its time limit of 0.5 s" in result.output
