"""Benchmark: every named query on graphs shaped like the real one, three engines side by side.

    PYTHONPATH=src python3 benchmarks/query_benchmark.py                 # 10k, 100k, 1M -> benchmarks/RESULTS.md
    PYTHONPATH=src python3 benchmarks/query_benchmark.py --sizes 10000   # a quick look

For each size it generates (or reuses, in benchmarks/out/) a deterministic graph
(``shaped_graph.py``) and measures, each engine in a fresh subprocess:

(a) rivalgraph: ``EmbeddedStore.create`` (on disk) and ``RivalGraph.query(name, params)``,
    exactly what a user runs, with the default time limit (so through the worker process);
(b) rdflib: a ``Dataset`` parsed from the same N-Quads, ``Dataset.query`` on the same
    ``.rq`` text with the same bound parameters; a query running past the cap is stopped
    (the subprocess is killed) and reported as "> cap";
(c) raw pyoxigraph: ``Store.bulk_load`` on disk (and ``optimize``, as rivalgraph does), the store
    opened read-only as rivalgraph's worker opens it, ``Store.query``, every term of every solution read.

Load time is reading the file into the engine (for rivalgraph: building the
persistent store, which happens once per build). Peak memory is the
subprocess's maximum resident set size (with its query worker, for rivalgraph).
Query time is the median of ``--repeat`` runs after one warm-up run (a query whose
warm-up run takes a second or more is timed by that one run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ENGINES = ("rivalgraph", "rdflib", "pyoxigraph")


# -- one engine, in its own process -------------------------------------------------------
def _bound_texts(params_by_query: dict) -> dict[str, str]:
    """Each named query's text with its parameters bound exactly as rivalgraph binds them (ids, not names)."""
    from rivalgraph import queries
    from rivalgraph.sparqltext import substitute
    from rivalgraph.vocab import ID

    out = {}
    for q in queries.named_queries():
        bindings = queries.bind(q, params_by_query.get(q.name, {}), lambda raw, _name: ID[raw])
        out[q.name] = substitute(q.text, bindings)
    return out


def _high_water_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def engine_main(engine: str, nq: str, work: str, params_json: str, names: list[str], repeat: int, cap: float) -> None:
    params = json.loads(params_json)
    emit = lambda **kw: print(json.dumps(kw), flush=True)  # noqa: E731
    t0 = time.perf_counter()
    if engine == "rivalgraph":
        from rivalgraph.api import RivalGraph
        from rivalgraph.store import EmbeddedStore

        store = EmbeddedStore.create(Path(work) / "rivalgraph-store", nquads_file=Path(nq))
        graph = RivalGraph(store, timeout=cap)
        load_seconds = time.perf_counter() - t0
        load_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        import pyoxigraph as ox

        raw = ox.Store.read_only(str(Path(work) / "rivalgraph-store"))  # the same store, for paired timings
        texts = _bound_texts(params)

        def run(name):
            return len(graph.query(name, params.get(name, {})).rows)

        def run_raw(name):
            solutions = raw.query(texts[name], use_default_graph_as_union=True)
            width = len(solutions.variables)
            return len([tuple(s[i] for i in range(width)) for s in solutions])
    elif engine == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store(str(Path(work) / "raw-store"))
        store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()  # as rivalgraph's store is, so both read the same on-disk layout
        del store
        store = ox.Store.read_only(str(Path(work) / "raw-store"))  # and open it as rivalgraph's worker does
        texts = _bound_texts(params)

        def run(name):
            solutions = store.query(texts[name], use_default_graph_as_union=True)
            width = len(solutions.variables)
            return len([tuple(s[i] for i in range(width)) for s in solutions])
    else:
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        texts = _bound_texts(params)

        def run(name):
            return len(list(ds.query(texts[name])))
    if engine == "rivalgraph":
        emit(load=load_seconds)
    else:
        emit(load=time.perf_counter() - t0)
    for name in names:
        emit(start=name)
        t = time.perf_counter()
        rows = run(name)  # warm-up (and the only run when slow)
        first = time.perf_counter() - t
        times, paired = [first], []
        if first < 1:
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                run(name)
                times.append(time.perf_counter() - t)
                if engine == "rivalgraph":  # raw pyoxigraph right after, on the same store, under the same load
                    t = time.perf_counter()
                    run_raw(name)
                    paired.append(time.perf_counter() - t)
        emit(query=name, median=statistics.median(times), rows=rows, runs=len(times),
             raw_median=statistics.median(paired) if paired else None)
    if engine == "rivalgraph":
        # the load (building the store) and the queries (the worker process) peak apart; the worker's
        # own high-water mark, read before it stops (a child's ru_maxrss would include the parent's at fork)
        worker = graph.store._worker
        query_peak_kb = _high_water_kb(worker.process.pid) if worker is not None else 0
        graph.close()
        emit(peak_mb=load_peak / 1024, query_peak_mb=query_peak_kb / 1024)
    else:
        emit(peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


# -- the parent: run engines with a cap per query ------------------------------------------
def measure(engine: str, nq: Path, work: Path, params: dict, names: list[str], repeat: int, cap: float,
            load_cap: float) -> dict:
    """Run ``engine`` on the graph, restarting it after a query that passes ``cap`` seconds."""
    result = {"load": None, "peak_mb": 0.0, "queries": {}}
    todo = list(names)
    while True:
        cmd = [sys.executable, __file__, "_engine", engine, str(nq), str(work), json.dumps(params),
               ",".join(todo), str(repeat), str(cap)]
        with (work.parent / f"engine-{engine}.log").open("a") as log:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True, env=os.environ.copy())
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout] + [lines.put(None)], daemon=True).start()
        current, deadline = None, time.monotonic() + load_cap
        finished = False
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                proc.kill()
                proc.wait()
                if current is None:
                    result["load"] = f"> {load_cap:g} s"
                    return result
                result["queries"][current] = {"median": None, "rows": None, "over": cap}
                todo = todo[todo.index(current) + 1:]
                break
            if line is None:
                proc.wait()
                finished = True
                break
            msg = json.loads(line)
            if "load" in msg:
                result["load"] = result["load"] or msg["load"]
                deadline = time.monotonic() + cap * (repeat + 1)
            elif "start" in msg:
                current = msg["start"]
                deadline = time.monotonic() + cap
            elif "query" in msg:
                result["queries"][msg["query"]] = msg
                current = None
                deadline = time.monotonic() + cap
            elif "peak_mb" in msg:
                result["peak_mb"] = max(result["peak_mb"], msg["peak_mb"])
                if "query_peak_mb" in msg:
                    result["query_peak_mb"] = msg["query_peak_mb"]
        if finished and proc.returncode != 0:
            raise RuntimeError(f"{engine} engine failed (exit {proc.returncode})")
        if finished or not todo:
            return result


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cap", type=float, default=60.0, help="per-query cap in seconds (rdflib)")
    ap.add_argument("--rdflib-max", type=int, default=100_000, help="largest size rdflib is run on")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    ap.add_argument("--engines", default=",".join(ENGINES), help="engines to measure now")
    ap.add_argument("--resume", action="store_true",
                    help="keep benchmarks/out/raw-results.json and measure only what it lacks for --engines")
    ap.add_argument("--report-only", action="store_true", help="rewrite the table from benchmarks/out/raw-results.json")
    args = ap.parse_args(argv)

    from rivalgraph import queries
    from shaped_graph import generate

    names = [q.name for q in queries.named_queries()]
    out_dir = HERE / "out"
    sizes = [int(s) for s in args.sizes.split(",")]
    raw_file = out_dir / "raw-results.json"
    runs = {}
    machine_file = out_dir / "machine.json"
    if args.report_only:
        runs = {int(k): v for k, v in json.loads(raw_file.read_text()).items() if int(k) in sizes}
        Path(args.out).write_text(report(runs, names, args, json.loads(machine_file.read_text())), encoding="utf-8")
        return
    if args.resume and raw_file.is_file():
        runs = {int(k): v for k, v in json.loads(raw_file.read_text()).items()}
    for size in sizes:
        nq, params, quads = generate(size, out_dir)
        runs.setdefault(size, {})["quads"] = quads
        for engine in args.engines.split(","):
            if engine == "rdflib" and size > args.rdflib_max:
                runs[size][engine] = None
                continue
            before = runs[size].get(engine) if args.resume else None
            todo = [n for n in names if not before or n not in before["queries"]]
            if not todo:
                continue
            work = out_dir / f"work-{size}-{engine}"
            subprocess.run(["rm", "-rf", str(work)], check=True)
            work.mkdir(parents=True)
            print(f"{size} triples, {engine}: {len(todo)} queries ...", file=sys.stderr, flush=True)
            got = measure(engine, nq, work, params, todo, args.repeat, args.cap, load_cap=900)
            if before:
                before["queries"].update(got["queries"])
                before["peak_mb"] = max(before["peak_mb"], got["peak_mb"])
                got = before
            runs[size][engine] = got
            subprocess.run(["rm", "-rf", str(work)], check=True)
            raw_file.write_text(json.dumps(runs, indent=1, default=str))
    runs = {s: r for s, r in runs.items() if s in sizes}
    facts = machine()
    machine_file.write_text(json.dumps(facts))
    Path(args.out).write_text(report(runs, names, args, facts), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


def report(runs: dict, names: list[str], args, facts: dict) -> str:
    from report import render

    return render(runs, names, args, facts)


def machine() -> dict:
    import pyoxigraph
    import rdflib

    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        mem = next(l.split(":", 1)[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
            "load": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_engine":
        _, _, engine, nq, work, params, names, repeat, cap = sys.argv
        engine_main(engine, nq, work, params, names.split(","), int(repeat), float(cap))
    else:
        main()
