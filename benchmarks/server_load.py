"""Load on ``rivalgraph serve``: N concurrent clients on loopback, one expensive query timing out beside them.

    python benchmarks/server_load.py                      # 50 clients, 30 s, cache on, then off
    python benchmarks/server_load.py --clients 20 --duration 10 --no-write
    python benchmarks/server_load.py --url http://127.0.0.1:8000   # a server you started

Starts ``rivalgraph serve`` on the project's built store (run ``rivalgraph
build`` first) on a free port, unless ``--url`` is given. Each client keeps
one HTTP/1.1 connection and loops over a mix of requests, with no pause:

- entity pages (HTML and ``.json``) of every entity of the graph,
- named queries with their default parameters, in JSON and CSV,
- ad hoc SELECTs, each made unique by a comment so no cache can answer it,

while one more client sends a query far past the time limit, again and again
(its 503 answers are expected, and counted apart). Reports throughput, p50
and p99 latency and errors per kind, and writes them to
``benchmarks/SERVER_RESULTS.md`` (``--no-write`` to only print).

This is a script, not a test: numbers depend on the machine and on whatever
else runs on it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "SERVER_RESULTS.md"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
AD_HOC = [
    "SELECT ?model ?label WHERE {{ ?model a rg:Model ; rdfs:label ?label }} ORDER BY ?model LIMIT {n}",
    "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 20 OFFSET {n}",
    "SELECT ?chip ?vendor WHERE {{ ?chip rg:manufacturer ?vendor }} LIMIT {n}",
    "SELECT ?st ?quote WHERE {{ ?st a rg:Statement ; rg:quote ?quote }} LIMIT {n}",
    "SELECT (COUNT(*) AS ?statements) WHERE {{ ?st a rg:Statement ; rg:support ?support }}",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, cache_size: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    command = [sys.executable, "-m", "rivalgraph.cli", "serve", "--project", str(REPO), "--port", str(port),
               "--timeout", str(args.timeout), "--workers", str(args.workers), "--cache-size", str(cache_size)]
    out = log.open("w", encoding="utf-8")
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            sys.exit(f"rivalgraph serve exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(base + "/sparql", timeout=2):
                return process, base
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                sys.exit(f"rivalgraph serve did not answer within 30 s; see {log}")
            time.sleep(0.1)


def stop_server(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(5)


def plan(base: str) -> dict[str, list[str]]:
    """The request paths of each kind, read from the running server."""
    query = "SELECT ?e WHERE { ?e a ?t FILTER(STRSTARTS(STR(?e), \"https://rivalgraph.dev/id/\")) }"
    with urllib.request.urlopen(f"{base}/sparql?format=json&query={urllib.parse.quote(query)}", timeout=30) as r:
        ids = sorted({b["e"]["value"].rsplit("/", 1)[1] for b in json.load(r)["results"]["bindings"]})
    with urllib.request.urlopen(f"{base}/queries", timeout=30) as r:
        names = [q["name"] for q in json.load(r) if all(not p["required"] for p in q["parameters"])]
    entity = [f"/entity/{urllib.parse.quote(i)}" + suffix for i in ids for suffix in ("", ".json")]
    named = [f"/queries/{n}" + suffix for n in names for suffix in ("", ".csv")]
    named += [f"/queries/entity-facts?entity={urllib.parse.quote(i)}" for i in ids[:20]]
    return {"entity page": entity, "named query": named}


class Client(threading.Thread):
    def __init__(self, base: str, paths: dict[str, list[str]], stop_at: float, seed: int, results):
        super().__init__(daemon=True)
        self.host = urllib.parse.urlparse(base).netloc
        self.paths, self.stop_at, self.rng, self.results = paths, stop_at, random.Random(seed), results

    def request(self, conn, path: str, accept: str):
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        response.read()
        return response.status

    def run(self):
        conn = http.client.HTTPConnection(self.host, timeout=60)
        n = 0
        while time.monotonic() < self.stop_at:
            n += 1
            pick = self.rng.random()
            if pick < 0.45:
                kind, path, accept = "entity page", self.rng.choice(self.paths["entity page"]), "text/html"
            elif pick < 0.80:
                kind, path, accept = "named query", self.rng.choice(self.paths["named query"]), "application/sparql-results+json"
            else:
                text = f"# client {id(self)} request {n}\n" + self.rng.choice(AD_HOC).format(n=self.rng.randint(1, 200))
                kind, path, accept = "ad hoc SELECT", "/sparql?query=" + urllib.parse.quote(text), "application/sparql-results+json"
            started = time.perf_counter()
            try:
                status = self.request(conn, path, accept)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(self.host, timeout=60)
            self.results[kind].append((time.perf_counter() - started, status))
        conn.close()


class Expensive(threading.Thread):
    def __init__(self, base: str, stop_at: float, results):
        super().__init__(daemon=True)
        self.url = f"{base}/sparql?query={urllib.parse.quote(EXPENSIVE)}"
        self.stop_at, self.results = stop_at, results

    def run(self):
        while time.monotonic() < self.stop_at:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=60) as r:
                    status = r.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError as exc:
                status = type(exc).__name__
            self.results["expensive (must time out)"].append((time.perf_counter() - started, status))


READING = """## Reading the numbers

With the cache (the default) entity pages and named queries are answered from
memory once first asked, since the store does not change while it is served;
the 99th percentile is then the time a request waits for a thread on a
machine whose other core runs the expensive query. Ad hoc SELECTs are never
cached here and queue for the query workers. Without the cache, an entity
page costs four or five worker round trips (resolve, names, statements,
incoming links) and about 2.5 ms of the server's CPU plus the workers' time,
and 50 clients that never pause saturate what is left of the two cores: no
errors, but a p99 near a second. What keeps the server up in both runs: the
expensive query is stopped at its time limit every time (503), its worker is
replaced, and no other request fails.
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_load(base: str, clients: int, duration: float) -> tuple[dict, float]:
    paths = plan(base)
    results: dict[str, list] = defaultdict(list)
    stop_at = time.monotonic() + duration
    threads = [Client(base, paths, stop_at, seed, results) for seed in range(clients)]
    threads.append(Expensive(base, stop_at, results))
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 90)
    return results, time.monotonic() - started


def summarize(results: dict, seconds: float) -> list[dict]:
    rows = []
    for kind in ("entity page", "named query", "ad hoc SELECT", "expensive (must time out)"):
        samples = results.get(kind, [])
        if not samples:
            continue
        latencies = [s for s, _ in samples]
        expected = 503 if kind.startswith("expensive") else 200
        errors = sum(1 for _, status in samples if status != expected)
        rows.append({"kind": kind, "requests": len(samples), "per_second": len(samples) / seconds,
                     "p50_ms": statistics.median(latencies) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
                     "max_ms": max(latencies) * 1000, "errors": errors})
    return rows


def table(rows: list[dict], seconds: float) -> str:
    lines = ["| requests of kind | count | per s | p50 ms | p99 ms | max ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['requests']} | {r['per_second']:.0f} | {r['p50_ms']:.1f} | "
                     f"{r['p99_ms']:.1f} | {r['max_ms']:.0f} | {r['errors']} |")
    total = sum(r["requests"] for r in rows if not r["kind"].startswith("expensive"))
    fast = [r for r in rows if r["kind"] in ("entity page", "named query")]
    errors = sum(r["errors"] for r in rows)
    met = errors == 0 and all(r["p99_ms"] < 200 for r in fast)
    lines.append(f"\nTarget (zero errors; p99 under 200 ms for entity pages and named queries): "
                 f"**{'met' if met else 'not met'}** ({errors} errors; p99 "
                 + ", ".join(f"{r['kind']} {r['p99_ms']:.0f} ms" for r in fast) + ").")
    lines.append(f"\nThroughput (all but the expensive query): {total / seconds:.0f} requests/s over {seconds:.1f} s.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's query time limit")
    parser.add_argument("--workers", type=int, default=4, help="the server's query workers")
    parser.add_argument("--url", help="load a running server instead of starting one (one run)")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}")
    args = parser.parse_args()

    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    runs = []
    if args.url:
        results, seconds = run_load(args.url.rstrip("/"), args.clients, args.duration)
        runs.append(("the server at --url", summarize(results, seconds), seconds))
    else:
        for label, cache in (("response cache on (the default)", 2048), ("response cache off (--cache-size 0)", 0)):
            process, base = start_server(args, cache, out / f"serve-cache-{cache}.log")
            try:
                results, seconds = run_load(base, args.clients, args.duration)
            finally:
                code = stop_server(process)
            runs.append((f"{label}; server exit code on SIGTERM: {code}", summarize(results, seconds), seconds))
    report = [f"# rivalgraph serve under load\n",
              f"Written by `python benchmarks/server_load.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
              f"{args.clients} concurrent clients for {args.duration:g} s per run on loopback, no pause between "
              f"requests (each client waits for its answer, then asks again), plus one client sending a query far "
              f"past the {args.timeout:g} s time limit over and over; {args.workers} query workers; the real graph "
              f"(`rivalgraph build`). Machine: {os.cpu_count()} cores ({platform.machine()}, Python "
              f"{platform.python_version()}), **shared with other people's test runs while measuring**, and the "
              f"clients run on the same cores as the server.\n",
              "Mix: 45% entity pages (HTML and JSON, every entity), 35% named queries (defaults, JSON and CSV; "
              "entity-facts of 20 entities), 20% ad hoc SELECTs, each unique, so never answered from the cache. "
              "Errors are answers other than 200 (503 for the expensive query) and failed connections.\n"]
    for label, rows, seconds in runs:
        report.append(f"## {label}\n\n{table(rows, seconds)}\n")
    report.append(READING)
    text = "\n".join(report)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
