"""``rivalgraph serve`` as SPARQL clients no one here wrote see it: SPARQLWrapper, rdflib, plain HTTP.

One real server (a subprocess on a free port, stopped with SIGTERM) serves a
fixture store for the whole module; see ``tests/server_support.py``.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from rivalgraph.vocab import ID, PREFIXES, RG
from tests.server_support import as_json, fetch, fetch_no_redirect, running_server

MODELS = ("PREFIX rg: <https://rivalgraph.dev/ontology#>\nPREFIX id: <https://rivalgraph.dev/id/>\n"
          "SELECT DISTINCT ?m WHERE { VALUES ?dev { id:SenseTime id:XSS-Lab } ?m a rg:Model ; rg:developer ?dev } ORDER BY ?m")
#: Four copies of every triple joined with each other: far more work than any time limit allows.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(served, query: str, fmt) -> SPARQLWrapper:
    client = SPARQLWrapper(served.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setTimeout(15)
    return client


def q(query: str) -> str:
    return urllib.parse.quote(query)


# -- SPARQLWrapper -----------------------------------------------------------------
def test_sparqlwrapper_select_json(served):
    data = wrapper(served, MODELS, JSON).queryAndConvert()
    models = [b["m"]["value"] for b in data["results"]["bindings"]]
    assert str(ID["InternLM-123B"]) in models and str(ID["XSS-Model"]) in models
    assert data["head"]["vars"] == ["m"]


def test_sparqlwrapper_select_xml(served):
    doc = wrapper(served, MODELS, XML).queryAndConvert()  # an xml.dom document
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]
    assert str(ID["InternLM-123B"]) in uris


def test_sparqlwrapper_select_csv(served):
    text = wrapper(served, MODELS, CSV).queryAndConvert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["m"] and [str(ID["InternLM-123B"])] in rows


def test_sparqlwrapper_ask(served):
    yes = "PREFIX id: <https://rivalgraph.dev/id/>\nASK { id:A800 ?p ?o }"
    no = "PREFIX id: <https://rivalgraph.dev/id/>\nASK { id:NoSuchChip ?p ?o }"
    assert wrapper(served, yes, JSON).queryAndConvert()["boolean"] is True
    assert wrapper(served, no, JSON).queryAndConvert()["boolean"] is False


@pytest.mark.parametrize("fmt", [TURTLE, XML])  # XML: RDF/XML, what SPARQLWrapper asks for by default
def test_sparqlwrapper_construct(served, fmt):
    query = ("PREFIX rg: <https://rivalgraph.dev/ontology#>\nPREFIX id: <https://rivalgraph.dev/id/>\n"
             "CONSTRUCT { id:A800 rg:manufacturer ?v } WHERE { id:A800 rg:manufacturer ?v }")
    result = wrapper(served, query, fmt).queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    assert (ID.A800, RG.manufacturer, ID.NVIDIA) in graph


def test_sparqlwrapper_bad_query(served):
    with pytest.raises(QueryBadFormed) as caught:
        wrapper(served, "SELECT ?x WHERE { ?x ?y }", JSON).queryAndConvert()
    assert "1:" in str(caught.value)


# -- rdflib's SPARQLStore ------------------------------------------------------------
def test_rdflib_sparqlstore(served):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    def use_it():
        graph = Graph(store=SPARQLStore(served.endpoint, returnFormat="json"))
        rows = list(graph.query(MODELS))
        chips = set(graph.objects(ID.A800, RG.manufacturer))
        return rows, chips

    # rdflib's SPARQLStore has no time limit of its own: bound it from outside
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        rows, chips = pool.submit(use_it).result(timeout=30)
    assert (ID["InternLM-123B"],) in [tuple(r) for r in rows]
    assert chips == {ID.NVIDIA}


# -- rivalgraph's own client ---------------------------------------------------------------
def test_rivalgraph_remote_store(served):
    from rivalgraph.api import RivalGraph

    remote = RivalGraph.open(endpoint=served.endpoint, timeout=15)
    rows = remote.query("chip-orders", chip="A800", supplier="英伟达").rows
    assert len(rows) == 1 and rows[0][0] == ID["order-2023-china-A800"]
    assert remote.resolve("商汤") == ID.SenseTime


# -- the protocol over plain HTTP ---------------------------------------------------------
@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("image/png", "application/sparql-results+json"),  # nothing we write: the default, as most servers do
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_select_negotiation(served, accept, media):
    status, headers, body = fetch(f"{served.endpoint}?query={q(MODELS)}", headers={"Accept": accept})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "InternLM-123B" in body.decode("utf-8")


@pytest.mark.parametrize("accept, media, check", [
    ("text/turtle", "text/turtle", lambda b: Graph().parse(data=b, format="turtle")),
    ("application/n-triples", "application/n-triples", lambda b: Graph().parse(data=b, format="nt")),
    ("application/ld+json", "application/ld+json", lambda b: Graph().parse(data=b, format="json-ld")),
    ("application/rdf+xml", "application/rdf+xml", lambda b: Graph().parse(data=b, format="xml")),
])
def test_construct_negotiation(served, accept, media, check):
    query = "PREFIX id: <https://rivalgraph.dev/id/>\nCONSTRUCT { id:A800 ?p ?o } WHERE { id:A800 ?p ?o }"
    status, headers, body = fetch(f"{served.endpoint}?query={q(query)}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert (ID.A800, RG.manufacturer, ID.NVIDIA) in check(body.decode("utf-8"))


def test_format_parameter_overrides_accept(served):
    status, headers, body = fetch(f"{served.endpoint}?query={q(MODELS)}&format=csv",
                                  headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    status, _, body = fetch(f"{served.endpoint}?query={q(MODELS)}&format=ttl")
    assert status == 400 and b"cannot hold a select result" in body


def test_post_form_and_post_query(served):
    form = urllib.parse.urlencode({"query": MODELS}).encode()
    status, _, body = fetch(served.endpoint, data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    assert status == 200 and "InternLM-123B" in body.decode()
    status, _, body = fetch(served.endpoint, data=MODELS.encode(), headers={
        "Content-Type": "application/sparql-query; charset=utf-8", "Accept": "text/csv"})
    assert status == 200 and "InternLM-123B" in body.decode()
    status, _, body = fetch(served.endpoint, data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_dataset_parameters(served):
    quoted = "SELECT DISTINCT ?st WHERE { ?st rg:quote ?quote }"
    graph = "https://rivalgraph.dev/graph/xss-note"
    status, _, body = fetch(f"{served.endpoint}?query={q(quoted)}&default-graph-uri={q(graph)}")
    assert status == 200
    found = [b["st"]["value"] for b in as_json(body)["results"]["bindings"]]
    assert found == ["https://rivalgraph.dev/statement/xss-developer"]
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = fetch(f"{served.endpoint}?query={q(graphs)}&named-graph-uri={q(graph)}")
    assert [b["g"]["value"] for b in as_json(body)["results"]["bindings"]] == [graph]


def test_prefixes_are_predeclared(served):
    status, _, body = fetch(f"{served.endpoint}?query={q('SELECT ?m WHERE { ?m a rg:Model ; rg:developer id:SenseTime }')}")
    assert status == 200 and "InternLM-123B" in body.decode()


def test_bad_query_is_400_with_line_and_column(served):
    query = "SELECT ?x\nWHERE {\n  ?x ?y\n}"
    status, headers, body = fetch(f"{served.endpoint}?query={q(query)}", headers={"Accept": "text/plain"})
    text = body.decode()
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert "SPARQL syntax error" in text and "line 4" in text and "Traceback" not in text
    status, headers, body = fetch(f"{served.endpoint}?query={q(query)}", headers={"Accept": "application/json"})
    assert status == 400 and "line 4" in as_json(body)["error"]


def test_service_description(served):
    status, headers, body = fetch(served.endpoint, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(served.endpoint)
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in graph
    assert (service, URIRef(sd + "resultFormat"), URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph


def test_browser_asking_sparql_goes_to_the_query_page(served):
    status, headers, _ = fetch_no_redirect(f"{served.endpoint}?query={q(MODELS)}",
                                           headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert status == 303 and headers["Location"].startswith("/query?query=")


def test_cors_preflight(served):
    status, headers, _ = fetch(served.endpoint, method="OPTIONS", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_update_refused_on_a_read_only_server(served):
    update = "INSERT DATA { <https://rivalgraph.dev/id/X> <https://rivalgraph.dev/ontology#p> 1 }"
    for data, ctype in ((update.encode(), "application/sparql-update"),
                        (urllib.parse.urlencode({"update": update}).encode(), "application/x-www-form-urlencoded")):
        status, _, body = fetch(served.endpoint, data=data,
                                headers={"Content-Type": ctype, "Authorization": "Bearer anything"})
        assert status == 403 and b"read-only" in body
    status, _, _ = fetch(f"{served.endpoint}?update={q(update)}")
    assert status == 405


def test_row_cap_cuts_and_says_so(served):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    status, headers, body = fetch(f"{served.endpoint}?query={q(everything)}", headers={"Accept": "text/csv"})
    assert status == 200
    assert "50 rows" in headers["X-Rivalgraph-Truncated"]
    assert len(body.decode().strip().splitlines()) == 51  # the header and 50 rows
    status, headers, body = fetch(f"{served.endpoint}?query={q(MODELS)}")
    assert "X-Rivalgraph-Truncated" not in headers


def test_time_limit_stops_one_query_and_not_the_others(served):
    def expensive():
        started = time.monotonic()
        status, _, body = fetch(f"{served.endpoint}?query={q(EXPENSIVE)}", headers={"Accept": "text/plain"})
        return status, body.decode(), time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        slow = pool.submit(expensive)
        time.sleep(0.2)
        latencies = []
        while not slow.done():
            started = time.monotonic()
            status, _, body = fetch(f"{served.endpoint}?query={q(MODELS + ' LIMIT ' + str(len(latencies) + 1))}")
            latencies.append(time.monotonic() - started)
            assert status == 200, body
        status, text, seconds = slow.result()
    assert status == 503 and "time limit of 1.5 s" in text
    assert seconds < 6
    assert latencies and max(latencies) < 1.0, latencies
    # the killed worker was replaced: the server still answers
    assert fetch(f"{served.endpoint}?query={q(MODELS)}")[0] == 200


def test_named_query_over_http(served):
    status, headers, body = fetch(f"{served.base}/queries/chip-orders?chip=A800&supplier={q('英伟达')}",
                                  headers={"Accept": "application/sparql-results+json"})
    assert status == 200
    rows = as_json(body)["results"]["bindings"]
    assert rows and rows[0]["order"]["value"] == str(ID["order-2023-china-A800"])
    status, headers, body = fetch(f"{served.base}/queries/chip-orders.csv?chip=A800")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    status, _, body = fetch(f"{served.base}/queries/chip-orders?chip=NoSuchChip", headers={"Accept": "text/plain"})
    assert status == 400 and b"NoSuchChip" in body
    assert fetch(f"{served.base}/queries/no-such-query")[0] == 404
    listing = as_json(fetch(f"{served.base}/queries")[2])
    orders = next(x for x in listing if x["name"] == "chip-orders")
    assert [p["name"] for p in orders["parameters"]][:2] == ["chip", "supplier"]


def test_entity_representations(served):
    status, headers, body = fetch(f"{served.base}/entity/SenseTime.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = as_json(body)
    assert data["labels"] == {"en": "SenseTime", "zh": "商汤"}
    assert {"value": "商汤科技", "lang": "zh"} in data["aliases"]
    assert any(f["quote"] and f["source"] for f in data["facts"])
    assert data["links"]["ego_view"] == "/views/ego/SenseTime"
    # the same by Accept
    status, headers, body = fetch(f"{served.base}/entity/SenseTime", headers={"Accept": "application/json"})
    assert status == 200 and as_json(body)["id"] == "SenseTime"
    status, headers, body = fetch(f"{served.base}/entity/SenseTime", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=body.decode(), format="turtle")
    assert (ID.SenseTime, URIRef(PREFIXES["rdfs"] + "label"), Literal("商汤", lang="zh")) in graph
    status, headers, body = fetch(f"{served.base}/entity/SenseTime.ttl")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, body = fetch(f"{served.base}/entity/SenseTime")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src" not in headers["Content-Security-Policy"] and "default-src 'none'" in headers["Content-Security-Policy"]


def test_entity_by_label_redirects_and_unknown_is_404(served):
    status, headers, _ = fetch_no_redirect(f"{served.base}/entity/{q('商汤')}.json")
    assert status == 302 and headers["Location"] == "/entity/SenseTime.json"
    status, _, body = fetch(f"{served.base}/entity/NoSuchThing", headers={"Accept": "text/plain"})
    assert status == 404 and b"/search?q=NoSuchThing" in body


def test_search_in_either_language(served):
    hits = as_json(fetch(f"{served.base}/search.json?q={q('商汤')}")[2])["hits"]
    assert hits[0]["entity"] == str(ID.SenseTime)
    hits = as_json(fetch(f"{served.base}/search.json?q=sensetime")[2])["hits"]
    assert hits[0]["entity"] == str(ID.SenseTime)


def test_ego_view_of_an_entity(served):
    status, headers, body = fetch(f"{served.base}/views/ego/SenseTime?hops=1")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"SenseTime" in body and b"https://" not in body.split(b"<script")[0]
    assert fetch(f"{served.base}/views/ego/%E5%95%86%E6%B1%A4")[0] in (200, 301, 302, 303, 307, 308)  # 商汤
    assert fetch(f"{served.base}/views/ego/SenseTime?hops=9")[0] == 400


def test_generated_views_are_served_and_nothing_else(served):
    status, headers, body = fetch(f"{served.base}/views/index.html")
    assert status == 200 and b"generated views" in body
    assert fetch(f"{served.base}/views/../data/entities.csv")[0] == 404
    assert fetch(f"{served.base}/views/%2e%2e/%2e%2e/ontology/rivalgraph.ttl")[0] == 404


def test_one_log_line_per_request(served):
    marker = "log-marker-4242"
    fetch(f"{served.base}/search?q={marker}")
    deadline = time.monotonic() + 5  # the line is written just after the response is sent
    while time.monotonic() < deadline and marker not in served.log_text():
        time.sleep(0.05)
    lines = [line for line in served.log_text().splitlines() if marker in line]
    assert len(lines) == 1 and '"GET /search?q=log-marker-4242" 200' in lines[0]


# -- SPARQL Update, on a second server that allows it ------------------------------------
def answer(url: str):
    status, _, body = fetch(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body.decode("utf-8", "replace")
    return as_json(body)


def test_update_with_token(server_project, tmp_path):
    import shutil

    root, store = server_project
    own = tmp_path / "store"
    shutil.copytree(store, own)
    insert = ('PREFIX id: <https://rivalgraph.dev/id/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n'
              'INSERT DATA { GRAPH <https://rivalgraph.dev/graph/notes> { id:SenseTime rdfs:comment "added"@en } }')
    ask = 'PREFIX id: <https://rivalgraph.dev/id/>\nASK { id:SenseTime ?p "added"@en }'
    with running_server(root, own, "--allow-update", "--token", "s3cret", log=tmp_path / "serve.log") as server:
        headers = {"Content-Type": "application/sparql-update"}
        assert fetch(server.endpoint, data=insert.encode(), headers=headers)[0] == 401
        wrong = {**headers, "Authorization": "Bearer nope"}
        assert fetch(server.endpoint, data=insert.encode(), headers=wrong)[0] == 403
        assert answer(f"{server.endpoint}?query={q(ask)}")["boolean"] is False
        right = {**headers, "Authorization": "Bearer s3cret"}
        status, _, body = fetch(server.endpoint, data=insert.encode(), headers=right)
        assert status == 200, body
        assert answer(f"{server.endpoint}?query={q(ask)}")["boolean"] is True
        bad = {**right}
        assert fetch(server.endpoint, data=b"INSERT DATA { oops", headers=bad)[0] == 400
        description = fetch(server.endpoint, headers={"Accept": "text/turtle"})[2].decode()
        assert "SPARQL11Update" in description


def test_missing_store_is_a_clear_error(server_project, tmp_path):
    import os
    import subprocess
    import sys

    from tests.server_support import REPO

    root, _ = server_project
    env = {**os.environ, "RIVALGRAPH_STORE": str(tmp_path / "nothing-here"),
           "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-m", "rivalgraph.cli", "serve", "--project", str(root), "--port", "0"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1 and "run `rivalgraph build` first" in done.stderr


def test_select_xml_is_well_formed(served):
    status, _, body = fetch(f"{served.endpoint}?query={q(MODELS)}&format=xml")
    root = ET.fromstring(body)
    assert root.tag.endswith("sparql")


def test_query_page_notes_the_row_cap(served):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    status, headers, body = fetch(f"{served.base}/query?query={q(everything)}")
    assert status == 200 and "50 rows" in headers["X-Rivalgraph-Truncated"]
    page = body.decode()
    assert "Results cut at 50 rows" in page and page.count("<tr>") == 51  # the header row and 50 rows


def test_head_and_conditional_get(served):
    status, headers, body = fetch(f"{served.base}/entity/A800", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    etag = headers["ETag"]
    status, _, body = fetch(f"{served.base}/entity/A800", headers={"If-None-Match": etag})
    assert status == 304 and body == b""


def test_errors_for_browsers_are_escaped_pages(served):
    status, headers, body = fetch(f"{served.base}/entity/{q('<script>x</script>')}", headers={"Accept": "text/html"})
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert b"<script>x" not in body and b"&lt;script&gt;x" in body


def test_query_page_as_json(served):
    status, headers, body = fetch(f"{served.base}/query.json?name=chip-orders&chip=A800")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert as_json(body)["results"]["bindings"][0]["order"]["value"] == str(ID["order-2023-china-A800"])
    status, _, body = fetch(f"{served.base}/query?query={q(MODELS)}", headers={"Accept": "application/json"})
    assert status == 200 and "InternLM-123B" in body.decode()
    assert any(x["name"] == "chip-orders" for x in as_json(fetch(f"{served.base}/query.json")[2]))
