"""A small pool of query worker processes, so a slow query never holds up other clients.

:class:`~rivalgraph.store.EmbeddedStore` runs time-limited queries in ONE
worker process behind a lock: right for a command line, wrong for a server,
where one expensive query would make every other client wait. A
:class:`WorkerPool` keeps ``size`` worker processes, each with the on-disk
store opened read-only (several processes may read one store at once). A
query borrows an idle worker; when the query passes its time limit the worker
is killed (the query really stops, whatever the engine was doing) and a fresh
one takes its place, while the other workers go on answering.

SPARQL Update, when the server allows it, goes to one separate writer process
that opens the store writable. Readers see the store as it was when they
opened it, so after each update the pool replaces its readers as they come
back idle.

A :class:`WorkerPool` is a :class:`~rivalgraph.store.Store`, so
:class:`~rivalgraph.api.RivalGraph` runs named queries on it unchanged.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from .. import terms
from .._worker import to_plain
from ..errors import ProjectError, QueryError, QueryTimeout, RivalgraphError
from ..sparqltext import substitute
from ..store import DEFAULT_TIMEOUT, QueryResult, Store, run_oxigraph, syntax_error, to_result


STARTUP_LIMIT = 60.0  # seconds a worker may take to start and open the store


class PoolBusy(RivalgraphError):
    """Every worker stayed busy for as long as a query may wait; the query was not started."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"the server is busy: no query worker was free within {seconds:g} s; try again")


class UpdateNotAllowed(RivalgraphError):
    """The pool was opened read-only and was asked to change the store."""


class WorkerCrashed(RivalgraphError):
    """A worker process died during a query (out of memory, or killed from outside)."""


def worker_main(conn, path: str, writable: bool, prefixes: dict[str, str] | None) -> None:
    """The loop of one worker process: receive a request, answer it, repeat."""
    store = ox.Store(path) if writable else ox.Store.read_only(path)
    conn.send(("ready", None))
    while True:
        try:
            kind, text, max_rows, dataset = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if kind == "update":
                try:
                    store.update(text, prefixes=prefixes)
                except SyntaxError as exc:
                    raise syntax_error(exc) from None
                conn.send(("ok", None))
            else:
                defaults, named = dataset or ((), ())
                conn.send(("ok", run_oxigraph(store, text, to_plain, max_rows=max_rows, prefixes=prefixes,
                                              default_graphs=defaults, named_graphs=named)))
        except QueryError as exc:
            conn.send(("query-error", (str(exc), exc.line, exc.column)))
        except Exception as exc:  # a bug or an I/O error: passed on as itself, the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, path: Path, *, writable: bool, prefixes: dict[str, str] | None, generation: int):
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker_main, args=(child, str(path), writable, prefixes),
                                   daemon=True, name="rivalgraph-query-worker")
        self.process.start()
        child.close()
        self.generation = generation

    def wait_ready(self, timeout: float = STARTUP_LIMIT) -> None:
        """Wait until the worker has opened the store, so its start-up never counts against a query."""
        if not self.conn.poll(timeout):
            self.stop()
            raise WorkerCrashed(f"a query worker did not open the store within {timeout:g} s")
        try:
            status, _ = self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise WorkerCrashed("a query worker stopped while opening the store") from None
        if status != "ready":
            self.stop()
            raise WorkerCrashed(f"a query worker answered {status!r} instead of starting")

    def ask(self, request: tuple, timeout: float | None):
        """Send one request; the reply, or ``None`` when ``timeout`` passed first."""
        self.conn.send(request)
        if timeout is not None and not self.conn.poll(timeout):
            return None
        return self.conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool(Store):
    """``size`` read-only worker processes over the on-disk store at ``path``.

    ``max_rows`` caps how many rows (or triples) a worker reads from any
    result; the server asks for one more than it shows, to know when it cut.
    ``prefixes`` are declared for every query and update (a query's own
    PREFIX lines win). ``writable=True`` allows :meth:`update`.
    """

    def __init__(self, path: Path | str, *, size: int = 4, max_rows: int | None = None,
                 prefixes: Mapping[str, str] | None = None, writable: bool = False, queue_wait: float = 30.0):
        self.path = Path(path)
        if not self.path.is_dir():
            raise ProjectError(f"no store at {self.path}: run `rivalgraph build` first")
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.size = size
        self.max_rows = max_rows
        self.prefixes = dict(prefixes) if prefixes else None
        self.writable = writable
        self.queue_wait = queue_wait
        self._generation = 0
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._writer: _Worker | None = None
        self._writer_lock = threading.Lock()
        self._closed = False
        workers = [self._spawn() for _ in range(size)]
        for worker in workers:
            worker.wait_ready()
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.path, writable=False, prefixes=self.prefixes, generation=self._generation)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self) -> None:
        """Start a worker in the background; it joins the idle ones once it has opened the store."""
        def start():
            worker = self._spawn()
            try:
                worker.wait_ready()
            except WorkerCrashed:
                with self._lock:
                    self._all.discard(worker)
                raise
            if self._closed:
                self._retire(worker)
            else:
                self._idle.put(worker)

        threading.Thread(target=start, daemon=True, name="rivalgraph-worker-start").start()

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def _give_back(self, worker: _Worker) -> None:
        if self._closed:
            self._retire(worker)
        elif worker.generation != self._generation:  # the store changed since it opened it
            self._retire(worker)
            self._replace()
        else:
            self._idle.put(worker)

    # -- reading -------------------------------------------------------
    def query(self, sparql, *, bindings=None, timeout=DEFAULT_TIMEOUT, max_rows: int | None = None,
              dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> QueryResult:
        """Run a query on a free worker; :class:`QueryTimeout` (worker replaced) past ``timeout``.

        The time limit is the query's running time. Waiting for a free worker
        is limited apart (``queue_wait`` seconds, at least ``timeout``): a
        burst of clients queues rather than fails; when no worker frees up in
        that time, :class:`PoolBusy` is raised and the query never starts.
        ``dataset`` is (default graph IRIs, named graph IRIs) of the SPARQL
        protocol; without it the default graph is the union of all graphs.
        """
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        text = substitute(sparql, bindings) if bindings else sparql
        limit = self.max_rows if max_rows is None else max_rows
        wait = None if timeout is None else max(self.queue_wait, timeout)
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise PoolBusy(wait) from None
        try:
            reply = worker.ask(("query", text, limit, dataset), timeout)
        except (EOFError, OSError):
            self._retire(worker)
            self._replace()
            raise WorkerCrashed("a query worker stopped during the query (out of memory?)") from None
        except BaseException:
            self._retire(worker)
            self._replace()
            raise
        if reply is None:
            self._retire(worker)  # kill: the query really stops
            self._replace()
            raise QueryTimeout(timeout)
        self._give_back(worker)
        return _answer(reply, convert=True)

    # -- writing -------------------------------------------------------
    def update(self, sparql: str, *, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        """Run a SPARQL Update in the writer process (one at a time); readers then reopen."""
        if not self.writable:
            raise UpdateNotAllowed("this store is served read-only")
        with self._writer_lock:
            if self._writer is None or not self._writer.process.is_alive():
                self._writer = _Worker(self.path, writable=True, prefixes=self.prefixes, generation=-1)
                try:
                    self._writer.wait_ready()
                except WorkerCrashed:
                    self._writer = None
                    raise
            try:
                reply = self._writer.ask(("update", sparql, None, None), timeout)
            except (EOFError, OSError):
                self._writer.stop()
                self._writer = None
                raise WorkerCrashed("the update worker stopped during the update") from None
            if reply is None:
                self._writer.stop()  # the transaction is abandoned: nothing is written
                self._writer = None
                raise QueryTimeout(timeout)
            _answer(reply, convert=False)
            self._generation += 1
        # idle readers still see the old store: replace them now, busy ones when they come back
        stale = []
        while True:
            try:
                stale.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in stale:
            self._give_back(worker)

    @property
    def generation(self) -> int:
        """How many updates this pool has applied (caches key on it)."""
        return self._generation

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        if self._writer is not None:
            self._writer.stop()
            self._writer = None


def _answer(reply, *, convert: bool):
    status, payload = reply
    if status == "ok":
        return to_result(payload, terms.from_plain) if convert and payload is not None else payload
    if status == "query-error":
        message, line, column = payload
        raise QueryError(message, line=line, column=column)
    raise RuntimeError(f"query worker failed: {payload}")
