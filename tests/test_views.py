"""Views and pages: view-models from the graph, safe offline HTML, the public functions and the CLI."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from rivalgraph.errors import UnknownEntity, ViewError
from rivalgraph.views import build_views, ego_view_html, query_view_html
from rivalgraph.views import graphs, pages
from rivalgraph.views.data import load_graph_data
from rivalgraph.views.render import graph_payload, script_json
from rivalgraph.views.site import PAGES, VIEWS, render_site
from rivalgraph.views.synthetic import synthetic_data

PAYLOADS = ('<img src=x onerror="window.__xss=1;alert(1)">', "</script><script>window.__xss=1;alert(1)</script>")


@pytest.fixture(scope="module")
def data(views_graph):
    return load_graph_data(views_graph)


@pytest.fixture(scope="module")
def site(data):
    return render_site(data, build_date="2024-01-01")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, text):
        if self._in_script:
            self.scripts[-1] += text


def parse(html: str) -> Tags:
    p = Tags()
    p.feed(html)
    return p


def payload_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="rg-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


# -- reading the graph ----------------------------------------------------------

def test_graph_data_reads_entities_claims_events_and_sources(data):
    assert data.entities["BuyerCo"].label_zh == "甲公司"
    assert set(data.entities["NVIDIA"].classes) == {"Organization", "ChipVendor"}
    assert data.entities["Vendor-X"].label_en == PAYLOADS[0]
    assert data.entities["Vendor-X"].label_zh == PAYLOADS[1]
    assert {c.statement for c in data.edges} >= {"a800-maker", "order-buyer", "eval-a-cmp"}
    holding = [f for f in data.facts if f.statement == "holding-q2"][0]
    assert (holding.number, holding.lower, holding.upper, holding.as_of) == (800.0, "600", "900", "2024-06-30")
    assert [e.subject for e in data.events] == ["Model-A"]
    assert data.sources["bench-db"].label == "Benchmark database"
    assert data.triples > 100


def test_orders_holdings_and_evaluations_fold_into_edges(data):
    links = {(l.source, l.kind, l.target): l for l in graphs.folded_links(data)}
    assert links[("A800", "ordered", "BuyerCo")].label == "ordered 1,000 (2023)"
    assert links[("NVIDIA", "supplies", "A800")]
    assert links[("H800", "holds", "BuyerCo")].label == "holds 800 (2024-06-30)"
    assert links[("Model-A", "evaluatedOn", "Bench-1")]
    assert not any("order-1" in k or "eval-A" in k for k in links)


def test_supply_chain_runs_vendor_chip_buyer(data):
    view = graphs.supply_chain(data)
    levels = {n.id: n.level for n in view.nodes}
    assert levels["NVIDIA"] == 0 and levels["A800"] == 1 and levels["BuyerCo"] == 2
    ordered = [e for e in view.edges if e.source == "A800" and e.target == "BuyerCo"][0]
    assert "1,000" in ordered.label and "甲公司订购了1000张A800。" in ordered.title and "2023-01-01" in ordered.title


def test_model_view_and_leaderboard(data):
    view = graphs.models(data)
    assert {"Model-A", "Model-B", "Lab", "Bench-1", "Bench-2"} <= {n.id for n in view.nodes}
    board = pages.leaderboard(data)
    assert [b for b, _ in board.benchmarks] == ["Bench-2", "Bench-1"]  # GSM8K, MMLU
    row_a = [r for r in board.rows if r.model == "Model-A"][0]
    mmlu = row_a.cells[1][0]
    assert (mmlu.text, mmlu.best, mmlu.source) == ("71.5 percent", True, "Benchmark database")


def test_compute_over_time_per_organization(data):
    metrics = {m.title: m for m in pages.compute_over_time(data)}
    gpus = metrics["GPU count"].series[0]
    assert gpus.label == "Deep Lab / 深度实验室"
    assert [(p.date, p.value) for p in gpus.points] == [("2023-01-31", 1000.0), ("2023-12-31", 2000.0)]
    held = metrics["chips held"].series[0]
    assert [p.value for p in held.points] == [500.0, 800.0]


def test_ego_by_zh_label_and_hops(views_graph):
    one = payload_of(ego_view_html(views_graph, "甲公司", hops=1))
    assert one["focus"] == "BuyerCo"
    assert {n["id"] for n in one["nodes"]} == {"BuyerCo", "A800", "H800"}
    two = payload_of(ego_view_html(views_graph, "Buyer Co", hops=2))
    assert {"NVIDIA", "China", "Vendor-X"} <= {n["id"] for n in two["nodes"]}


def test_ego_of_an_order_shows_its_parts(views_graph):
    order = payload_of(ego_view_html(views_graph, "order-1", hops=1))
    assert {n["id"] for n in order["nodes"]} == {"order-1", "BuyerCo", "NVIDIA", "A800"}
    assert {e["label"] for e in order["edges"]} == {"buyer", "supplier", "ordered chip", "manufacturer"}


def test_ego_of_unknown_entity_is_an_error(views_graph):
    with pytest.raises(UnknownEntity):
        ego_view_html(views_graph, "No Such Company")


def test_query_view_construct_and_select(views_graph):
    construct = payload_of(query_view_html(
        views_graph, "CONSTRUCT { ?m rg:developer ?o } WHERE { ?m rg:developer ?o }"))
    assert {(e["from"], e["to"]) for e in construct["edges"]} == {("Model-A", "Lab"), ("Model-B", "Vendor-X")}
    select = payload_of(query_view_html(
        views_graph, "SELECT ?chip ?buyer WHERE { ?o rg:orderedChip ?chip ; rg:buyer ?buyer }"))
    assert [(e["from"], e["to"]) for e in select["edges"]] == [("A800", "BuyerCo")]
    named = payload_of(query_view_html(views_graph, "chip-orders", {"chip": "A800"}))
    assert named["edges"]


@pytest.mark.parametrize("query", ["ASK { ?s ?p ?o }", "SELECT ?m WHERE { ?m a rg:Model }"])
def test_query_view_without_a_graph_shape_is_an_error(views_graph, query):
    with pytest.raises(ViewError):
        query_view_html(views_graph, query)


# -- safe, offline, deterministic HTML -------------------------------------------

def test_script_json_cannot_close_the_script():
    text = str(script_json({"a": "</script><script>x</script>", "b": "a\u2028b&c"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>x</script>", "b": "a\u2028b&c"}


def test_every_file_is_offline_and_payloads_stay_text(site):
    assert {f for f, _, _ in VIEWS + PAGES} | {"index.html"} <= set(site)
    for name, html in site.items():
        for payload in PAYLOADS:
            assert payload not in html, name
        doc = parse(html)
        tags = [t for t, _ in doc.tags]
        assert "img" not in tags and "svg" not in [t for t, a in doc.tags if "onload" in a], name
        assert "link" not in tags and "iframe" not in tags, name
        for tag, attrs in doc.tags:
            assert "src" not in attrs, (name, tag)
            assert not any(k.startswith("on") for k in attrs), (name, tag, attrs)
            if "href" in attrs:
                assert re.fullmatch(r"[A-Za-z0-9._-]+\.html", attrs["href"]), (name, attrs["href"])
        assert not re.search(r"@import|url\((?!\"?data:)", html), name
        assert len(doc.scripts) == (3 if 'id="rg-data"' in html else 0), name  # data, vis-network, ours


def test_hostile_values_are_present_as_escaped_text(site):
    index = site["index.html"]
    assert "Hostile &lt;img src=x onerror=&#34;window.__xss=1;alert(1)&#34;&gt; note" in index
    assert "&lt;b onmouseover=" in index
    overview = payload_of(site["overview.html"])
    vendor = [n for n in overview["nodes"] if n["id"] == "Vendor-X"][0]
    assert vendor["label"] == PAYLOADS[0] + "\n" + PAYLOADS[1]  # canvas text, shown as is


def test_nodes_link_to_their_ego_pages(site):
    nodes = {n["id"]: n for n in payload_of(site["overview.html"])["nodes"]}
    assert nodes["BuyerCo"]["href"] == "ego-BuyerCo.html" and "ego-BuyerCo.html" in site
    assert "href" not in {n["id"]: n for n in payload_of(site["ego-BuyerCo.html"])["nodes"]}["BuyerCo"]


def test_index_links_every_file(site):
    hrefs = {a["href"] for t, a in parse(site["index.html"]).tags if t == "a"}
    assert set(site) == hrefs


def test_render_is_deterministic(data, site):
    assert render_site(data, build_date="2024-01-01") == site


def test_build_views_writes_files(views_graph, tmp_path):
    files = build_views(views_graph, tmp_path / "views")
    assert {p.name for p in files} >= {"index.html", "overview.html", "supply-chain.html", "models.html",
                                       "leaderboard.html", "compute.html", "timeline.html"}
    assert all(p.read_text(encoding="utf-8").startswith("<!doctype html>") for p in files)


# -- large graphs -----------------------------------------------------------------

def test_large_overview_is_capped_and_laid_out_in_python():
    data = synthetic_data(3000)
    view = graphs.overview(data, limit=2000)
    assert len(view.nodes) == 2000 and "2,000 best-connected of 3,000" in view.note
    payload = graph_payload(view)
    assert payload["physics"] is False and all("x" in n for n in payload["nodes"])


def test_leaderboard_is_capped_when_large(data):
    board = pages.leaderboard(data, max_benchmarks=1, max_models=1)
    assert len(board.benchmarks) == 1 and len(board.rows) == 1
    assert board.note == "Showing the 1 most used of 2 benchmarks and the first 1 of 2 models."


def test_an_empty_view_still_renders(data):
    empty = graphs.make_view(data, "empty", "Empty", "Nothing.", [], [])
    payload = graph_payload(empty)
    assert payload["nodes"] == [] and payload["physics"] is False


def test_small_graph_settles_in_the_browser():
    payload = graph_payload(graphs.overview(synthetic_data(200)))
    assert payload["physics"] is True and not any("x" in n for n in payload["nodes"])


# -- the command line -------------------------------------------------------------

def test_cli_build_and_view(tmp_path, monkeypatch):
    from .conftest import FIXTURES, copy_project

    from rivalgraph.cli import main

    project = copy_project(tmp_path / "p", FIXTURES / "views" / "data")
    monkeypatch.setenv("RIVALGRAPH_STORE", str(tmp_path / "store"))
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--no-shacl", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert (project.exports_dir / "views" / "index.html").is_file()
    out = tmp_path / "out"
    result = runner.invoke(main, ["view", "甲公司", "--hops", "1", "--out", str(out), "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert (out / "ego-BuyerCo-1.html").is_file()
    result = runner.invoke(main, ["view", "--query", "chip-orders", "-p", "chip=A800", "--out", str(out),
                                  "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert (out / "query-chip-orders.html").is_file()
    rq = tmp_path / "developers.rq"
    rq.write_text("# title: developers\nPREFIX rg: <https://rivalgraph.dev/ontology#>\n"
                  "CONSTRUCT { ?m rg:developer ?o } WHERE { ?m rg:developer ?o }\n", encoding="utf-8")
    result = runner.invoke(main, ["view", "--query", str(rq), "--out", str(out), "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert len(payload_of((out / "query-developers.html").read_text(encoding="utf-8"))["edges"]) == 2
    result = runner.invoke(main, ["view", "Nobody", "--project", str(project.root)])
    assert result.exit_code != 0 and "Nobody" in result.output


# -- the real graph -----------------------------------------------------------------

def test_views_of_the_real_graph(real_view_data):
    data = real_view_data
    supply = graphs.supply_chain(data)
    ordered = {(e.source, e.target): e for e in supply.edges}
    assert ordered[("A800", "Baidu")].label == "ordered 100,000 in all (2023)"
    assert ordered[("NVIDIA", "A800")]
    gpus = {m.title: m for m in pages.compute_over_time(data)}["GPU count"].series
    sensetime = [s for s in gpus if s.key == "SenseTime"][0]
    assert [(p.date, p.value) for p in sensetime.points] == [("2023-03-31", 27000.0), ("2023-06-30", 30000.0)]
    board = pages.leaderboard(data)
    assert [r.model for r in board.rows] == ["InternLM-123B"] and board.rows[0].rank[0].text == "#2"
    assert {i.subject for i in pages.timeline(data)} >= {"SenseChat 1.0 / 商量1.0", "InternLM / 书生·浦语"}
    models = {n.id for n in graphs.models(data).nodes}
    assert {"InternLM-123B", "GPT-3.5-turbo", "MMLU", "SenseTime"} <= models


# -- golden pages (regenerate: RIVALGRAPH_REGOLD=1 pytest tests/test_views.py -k golden) ---------

GOLDEN = Path(__file__).resolve().parent / "golden" / "views"
ACTUAL = Path(__file__).resolve().parent / "out" / "views"


@pytest.mark.parametrize("name", ["index.html", "leaderboard.html", "compute.html", "timeline.html"])
def test_golden_pages(site, name):
    actual = site[name]
    if os.environ.get("RIVALGRAPH_REGOLD"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        (GOLDEN / name).write_text(actual, encoding="utf-8")
    expected_text = (GOLDEN / name).read_text(encoding="utf-8")
    if actual != expected_text:
        ACTUAL.mkdir(parents=True, exist_ok=True)
        (ACTUAL / name).write_text(actual, encoding="utf-8")
    assert actual == expected_text, f"{name} differs from tests/golden/views/{name}; see tests/out/views/{name}"
