"""Where the graph lives: the embedded Oxigraph store on disk, or a remote SPARQL endpoint.

Both answer :meth:`Store.query` the same way, with rdflib terms in a
:class:`QueryResult`, so every named query runs unchanged on either. Bound
parameters are substituted into the query's variable tokens the same way for
both (:func:`rivalgraph.sparqltext.substitute`), so both engines run the very
same query.

Time limits: a query on an on-disk store with a time limit runs in a worker
process that opens the store read-only; past the limit the worker is killed
(the query really stops) and a fresh one is started for the next query. An
in-memory store runs limited queries on a thread and abandons them. A remote
query is limited by the HTTP client's timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from . import terms
from .errors import EndpointError, ProjectError, QueryError, QueryTimeout
from .sparqltext import error_position, query_form, substitute

DEFAULT_TIMEOUT = 30.0


@dataclass
class QueryResult:
    """What a query returned: rows of a SELECT, the answer of an ASK, or triples."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def graph(self) -> Graph:
        g = Graph()
        for t in self.triples:
            g.add(t)
        return g


class Store(ABC):
    """A place that answers SPARQL queries over the rivalgraph graph."""

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
              timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
        """Run ``sparql`` with ``bindings`` (variable name -> term) bound.

        Raises :class:`QueryError` (with line and column) for a syntax error,
        :class:`QueryTimeout` past ``timeout`` seconds, :class:`EndpointError`
        when a remote endpoint fails.
        """

    def close(self) -> None:
        """Release files, processes and connections."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def syntax_error(exc: Exception) -> QueryError:
    """The engine's syntax error as a :class:`QueryError` with line and column."""
    message = str(exc)
    line, column = error_position(message)
    return QueryError(f"SPARQL syntax error: {message}", line=line, column=column)


def run_oxigraph(store: ox.Store, sparql: str, convert, *, max_rows: int | None = None,
                 prefixes: Mapping[str, str] | None = None, default_graphs: Iterable[str] = (),
                 named_graphs: Iterable[str] = ()):
    """Run a query on a pyoxigraph store; ``convert`` maps each result term.

    ``max_rows`` stops reading solutions (or triples) after that many;
    ``prefixes`` are declared for the query without changing its text (so
    syntax errors keep their line and column). The default graph is the
    union of all graphs, unless ``default_graphs`` (IRIs) name the graphs to
    merge instead; ``named_graphs`` limit what ``GRAPH`` sees.
    """
    convert = _memo(convert)  # each distinct term once, as in to_result
    options: dict = {"prefixes": dict(prefixes) if prefixes else None}
    default_graphs, named_graphs = list(default_graphs), list(named_graphs)
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(sparql, **options)
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(convert(sol[i]) for i in range(len(names))) for sol in islice(result, max_rows)]
        return ("select", names, rows)
    if isinstance(result, ox.QueryBoolean):
        return ("ask", bool(result))
    return ("graph", [(convert(t.subject), convert(t.predicate), convert(t.object)) for t in islice(result, max_rows)])


def to_result(raw, convert=None) -> QueryResult:
    """A :func:`run_oxigraph` answer as a :class:`QueryResult` (``convert`` maps plain terms back).

    Each distinct term is converted once: results repeat their IRIs (sources,
    ranks, properties) row after row, and rdflib terms are immutable.
    """
    if convert is not None:
        convert = _memo(convert)
    if raw[0] == "select":
        rows = raw[2] if convert is None else [tuple(convert(c) for c in row) for row in raw[2]]
        return QueryResult("select", variables=list(raw[1]), rows=rows)
    if raw[0] == "ask":
        return QueryResult("ask", boolean=raw[1])
    triples = raw[1] if convert is None else [tuple(convert(c) for c in t) for t in raw[1]]
    return QueryResult("graph", triples=triples)


def _memo(convert):
    seen: dict = {}

    def once(term):
        try:
            return seen[term]
        except KeyError:
            out = seen[term] = convert(term)
            return out

    return once


_WORKER_CODE = "import sys; from rivalgraph._worker import main; main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])"


class _Worker:
    """A child process that answers queries on the store, read-only; killed to stop a query.

    Started as a fresh interpreter (not with multiprocessing), so it never
    re-runs the user's script the way a spawned multiprocessing child would.
    """

    def __init__(self, path: Path):
        request_r, request_w = os.pipe()
        response_r, response_w = os.pipe()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join([package_root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE, str(request_r), str(response_w), str(path)],
            pass_fds=(request_r, response_w), env=env, stdin=subprocess.DEVNULL,
        )
        os.close(request_r)
        os.close(response_w)
        self.requests = Connection(request_w, readable=False)
        self.responses = Connection(response_r, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self.requests.close()
        self.responses.close()


class EmbeddedStore(Store):
    """rivalgraph's default engine: Oxigraph, in memory or persistent on disk.

    ``EmbeddedStore(path)`` opens an existing on-disk store read-only (several
    processes may read at once); ``EmbeddedStore()`` is an empty in-memory
    store; :meth:`create` writes a new on-disk store.
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = True):
        self.path = Path(path) if path is not None else None
        if self.path is None:
            self._store = ox.Store()
        else:
            if not self.path.is_dir():
                raise ProjectError(f"no store at {self.path}: run `rivalgraph build` first")
            self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        self._worker: _Worker | None = None
        self._lock = threading.Lock()

    @classmethod
    def create(cls, path: Path | str, *, trig_file: Path | None = None, quads: Iterable | None = None,
               nquads_file: Path | None = None) -> "EmbeddedStore":
        """Write a new store at ``path`` (replacing any) from a TriG file, an N-Quads file or quads."""
        path = Path(path)
        if path.exists():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
        if trig_file is not None:
            store.bulk_load(path=str(trig_file), format=ox.RdfFormat.TRIG)
        if nquads_file is not None:
            store.bulk_load(path=str(nquads_file), format=ox.RdfFormat.N_QUADS)
        if quads is not None:
            store.bulk_extend(quads)
        store.flush()
        store.optimize()
        del store
        return cls(path)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for users who want raw access."""
        return self._store

    def load(self, data: bytes | str | None = None, *, path: Path | None = None, format: str = "trig") -> None:
        """Add RDF to an in-memory or writable store (``format``: trig, turtle, nquads, ntriples)."""
        fmt = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "nquads": ox.RdfFormat.N_QUADS,
               "ntriples": ox.RdfFormat.N_TRIPLES}[format]
        if path is not None:
            self._store.bulk_load(path=str(path), format=fmt)
        else:
            self._store.bulk_load(data.encode() if isinstance(data, str) else data, format=fmt)

    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql, *, bindings=None, timeout=DEFAULT_TIMEOUT) -> QueryResult:
        text = substitute(sparql, bindings) if bindings else sparql
        if timeout is None:
            return to_result(run_oxigraph(self._store, text, terms.from_ox))
        if self.path is not None:
            return self._query_in_worker(text, timeout)
        return self._query_on_thread(text, timeout)

    def _query_on_thread(self, sparql, timeout) -> QueryResult:
        box: dict = {}

        def work():
            try:
                box["raw"] = run_oxigraph(self._store, sparql, terms.from_ox)
            except BaseException as exc:  # handed to the caller below
                box["exc"] = exc

        thread = threading.Thread(target=work, daemon=True, name="rivalgraph-query")
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise QueryTimeout(timeout)
        if "exc" in box:
            raise box["exc"]
        return to_result(box["raw"])

    def _query_in_worker(self, sparql, timeout) -> QueryResult:
        with self._lock:
            if self._worker is None or not self._worker.alive():
                self._worker = _Worker(self.path)
            worker = self._worker
            try:
                worker.requests.send(sparql)
                if not worker.responses.poll(timeout):
                    worker.stop()
                    self._worker = None
                    raise QueryTimeout(timeout)
                status, payload = worker.responses.recv()
            except (EOFError, OSError):
                worker.stop()
                self._worker = None
                raise QueryError("the query worker stopped unexpectedly (out of memory?)") from None
        if status == "ok":
            return to_result(payload, terms.from_plain)
        if status == "syntax":
            raise syntax_error(SyntaxError(payload))
        raise RuntimeError(payload)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None


class RemoteStore(Store):
    """Any SPARQL 1.1 Protocol endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, ...).

    The endpoint should answer queries over the union of its graphs (Oxigraph:
    ``oxigraph serve --union-default-graph``), as the embedded store does.
    """

    def __init__(self, endpoint: str, *, headers: Mapping[str, str] | None = None):
        self.endpoint = endpoint
        self.headers = dict(headers or {})

    def query(self, sparql, *, bindings=None, timeout=DEFAULT_TIMEOUT) -> QueryResult:
        text = substitute(sparql, bindings) if bindings else sparql
        form = query_form(sparql)
        accept = "application/n-triples" if form in ("construct", "describe") else "application/sparql-results+json"
        request = urllib.request.Request(
            self.endpoint, data=text.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept, **self.headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            if exc.code == 400:
                line, column = error_position(detail)
                raise QueryError(f"SPARQL syntax error: {detail}", line=line, column=column) from None
            raise EndpointError(f"{self.endpoint} answered {exc.code}: {detail[:500]}") from None
        except TimeoutError:
            raise QueryTimeout(timeout) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryTimeout(timeout) from None
            raise EndpointError(f"cannot reach {self.endpoint}: {exc.reason}") from None
        if form in ("construct", "describe"):
            g = Graph()
            g.parse(data=body.decode("utf-8"), format="nt")
            return QueryResult("graph", triples=list(g))
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        names = data["head"].get("vars", [])
        rows = [tuple(terms.from_json(b.get(n)) for n in names) for b in data["results"]["bindings"]]
        return QueryResult("select", variables=names, rows=rows)
