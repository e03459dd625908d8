"""The time-limit worker: a small process that answers queries on an on-disk store, read-only.

It imports only pyoxigraph (not rdflib), so it starts fast; the parent
(:class:`rivalgraph.store.EmbeddedStore`) kills it to stop a query that passes its
time limit and starts a fresh one for the next query. Results travel as plain
tuples (:func:`to_plain`); the parent turns them into rdflib terms.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox


def to_plain(term) -> tuple | None:
    """pyoxigraph term -> a picklable tuple, for passing results between processes."""
    if term is None:
        return None
    cls = type(term)
    if cls is ox.NamedNode:
        return ("u", term.value)
    if cls is ox.Literal:
        if term.language:
            return ("l", term.value, term.language)
        return ("t", term.value, term.datatype.value)
    return ("b", term.value)


def answer(store: ox.Store, sparql: str) -> tuple:
    """``("ok", raw result)`` or ``("syntax", message)``, the raw result as in :func:`rivalgraph.store.run_oxigraph`."""
    try:
        result = store.query(sparql, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return ("ok", ("select", names, [tuple(to_plain(sol[i]) for i in range(len(names))) for sol in result]))
    if isinstance(result, ox.QueryBoolean):
        return ("ok", ("ask", bool(result)))
    return ("ok", ("graph", [(to_plain(t.subject), to_plain(t.predicate), to_plain(t.object)) for t in result]))


def main(request_fd: int, response_fd: int, path: str) -> None:
    requests = Connection(request_fd, writable=False)
    responses = Connection(response_fd, readable=False)
    store = ox.Store.read_only(path)
    while True:
        try:
            request = requests.recv()
        except EOFError:  # the parent closed its end or exited
            return
        try:
            responses.send(answer(store, request))
        except Exception as exc:  # a bug or an I/O error: the parent raises it as itself
            responses.send(("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
