"""The Python API a notebook uses: open the graph, ask it questions, get DataFrames.

    >>> import rivalgraph
    >>> rg = rivalgraph.open()                       # the project's built store
    >>> rg.frame("chip-orders", chip="A800")         # a named query -> DataFrame
    >>> rg.frame("SELECT ?s WHERE { ?s a rg:Model }")  # ad hoc SPARQL (prefixes added)
    >>> rg.resolve("商汤")                            # a name -> the entity's IRI

Everything the CLI does is a method here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from rdflib import Literal, URIRef

from . import queries
from .errors import QueryError, UnknownEntity
from .project import Project, find_project
from .store import DEFAULT_TIMEOUT, EmbeddedStore, QueryResult, RemoteStore, Store
from .vocab import ID, PREFIXES


def prefix_header(text: str) -> str:
    """PREFIX lines for the standard prefixes that ``text`` does not declare itself."""
    lowered = text.lower()
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if f"prefix {p}:" not in lowered]
    return "\n".join(lines) + "\n"


def default_timeout() -> float:
    value = os.environ.get("RIVALGRAPH_QUERY_TIMEOUT")
    return float(value) if value else DEFAULT_TIMEOUT


class RivalGraph:
    """A rivalgraph graph, wherever it lives, with its named questions."""

    def __init__(self, store: Store, *, timeout: float | None = None, project: Project | None = None):
        self.store = store
        self.timeout = default_timeout() if timeout is None else timeout
        self.project = project
        self._resolved: dict[tuple[str, str], URIRef] = {}  # names already resolved (embedded, read-only stores)

    # -- opening -------------------------------------------------------
    @classmethod
    def open(cls, project: str | Path | Project | None = None, *, endpoint: str | None = None,
             store: str | Path | None = None, timeout: float | None = None) -> "RivalGraph":
        """The graph of a project's built store, of a store folder, or of a SPARQL endpoint."""
        if endpoint:
            return cls(RemoteStore(endpoint), timeout=timeout)
        if store is not None:
            return cls(EmbeddedStore(store), timeout=timeout)
        proj = project if isinstance(project, Project) else find_project(project)
        if not proj.store_dir.is_dir():
            if not proj.trig_file.is_file():
                from .errors import ProjectError

                raise ProjectError("no built graph yet: run `rivalgraph build` first")
            from .pipeline import write_store

            write_store(proj)  # a fresh clone has the exports but not the store
        return cls(EmbeddedStore(proj.store_dir), timeout=timeout, project=proj)

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- asking --------------------------------------------------------
    def query(self, query: str, params: Mapping[str, str] | None = None, *, timeout: float | None = None,
              **kwparams: str) -> QueryResult:
        """Run a named query (by name) or SPARQL text; parameters by keyword or mapping."""
        values = {**(params or {}), **kwparams}
        limit = self.timeout if timeout is None else timeout
        if _looks_like_name(query):
            named = queries.get(query)
            bindings = queries.bind(named, {k: str(v) for k, v in values.items()}, self._resolver(), self._check_term)
            try:
                return self.store.query(named.text, bindings=bindings, timeout=limit)
            except QueryError as exc:
                raise located(exc, named.text, 0) from None
        header = prefix_header(query)
        bindings = {k: v if isinstance(v, (URIRef, Literal)) else Literal(v) for k, v in values.items()}
        try:
            return self.store.query(header + query, bindings=bindings or None, timeout=limit)
        except QueryError as exc:
            raise located(exc, query, header.count("\n")) from None

    def frame(self, query: str, params: Mapping[str, str] | None = None, *, labels: str | None = None,
              timeout: float | None = None, **kwparams: str):
        """Like :meth:`query`, as a pandas DataFrame.

        IRIs and literals become Python values (str, Decimal, date, int ...).
        With ``labels="zh"`` (or ``"en"``) a named query's own label columns
        are in that language (its ``lang`` parameter), and every other column
        of entity IRIs gets a ``<column>_label`` column beside it.
        """
        import pandas as pd

        from .terms import python_value

        values = {**(params or {}), **kwparams}
        if labels and _looks_like_name(query) and "lang" not in values:
            if any(p.name == "lang" for p in queries.get(query).parameters):
                values["lang"] = labels  # the query's own label columns in that language too
        result = self.query(query, values, timeout=timeout)
        if result.kind == "ask":
            return pd.DataFrame({"boolean": [bool(result.boolean)]})
        if result.kind == "graph":
            return pd.DataFrame([[python_value(t) for t in triple] for triple in result.triples],
                                columns=["subject", "predicate", "object"])
        df = pd.DataFrame([[python_value(c) for c in row] for row in result.rows], columns=result.variables)
        if labels:
            df = self._add_labels(df, result, labels)
        return df

    def _add_labels(self, df, result: QueryResult, lang: str):
        entity_cols = [i for i, v in enumerate(result.variables) if f"{v}_label" not in df.columns
                       and any(isinstance(r[i], URIRef) and str(r[i]).startswith(str(ID)) for r in result.rows)]
        iris = sorted({r[i] for i in entity_cols for r in result.rows if isinstance(r[i], URIRef)})
        if not iris:
            return df
        res = self._lookup("labels", {"lang": Literal(lang)})
        names = {str(r[0]): str(r[1]) for r in res.rows if r[1] is not None}
        for i in entity_cols:
            col = result.variables[i]
            name = f"{col}_label" if f"{col}_label" not in df.columns else f"{col}_label_{lang}"
            df.insert(df.columns.get_loc(col) + 1, name, df[col].map(lambda v: names.get(v)))
        return df

    def _lookup(self, name: str, bindings: dict) -> QueryResult:
        """Run one of the library's own lookups (``queries/lookup/NAME.rq``).

        They are small and bounded (one scan at most), so on the embedded store
        they run in this process, without the time-limit worker's round trip.
        """
        limit = None if isinstance(self.store, EmbeddedStore) else self.timeout
        return self.store.query(queries.internal(name), bindings=bindings, timeout=limit)

    # -- entities ------------------------------------------------------
    def resolve(self, name: str, parameter: str = "entity") -> URIRef:
        """The IRI of the entity with id, label or alias ``name`` (zh or en, any case)."""
        name = name.strip()
        if name.startswith(str(ID)):
            candidate = URIRef(name)
        else:
            candidate = ID[name] if name and " " not in name and "<" not in name and ">" not in name else None
        if candidate is not None:
            found = self._lookup("entity-by-id", {"entity": candidate})
            if found.rows:
                return candidate
        res = self._lookup("entity-by-label", {"name": Literal(name)})
        matches = [r[0] for r in res.rows]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise UnknownEntity(f"parameter {parameter!r}: no entity has the id, label or alias {name!r}")
        listed = ", ".join(f"{str(m)[len(str(ID)):]} ({r[1]})" for m, r in zip(matches, res.rows))
        raise UnknownEntity(f"parameter {parameter!r}: {name!r} names several entities: {listed}; use an id")

    def _check_term(self, iri: URIRef, parameter: str, kind: str) -> URIRef:
        """``iri`` if the graph declares or uses it as a ``kind`` (property or class), else an error."""
        found = self._lookup(kind, {"term": iri})
        if not found.boolean:
            raise UnknownEntity(f"parameter {parameter!r}: the graph has no {kind} {str(iri)!r}")
        return iri

    def _resolver(self):
        if not isinstance(self.store, EmbeddedStore) or self.store.path is None:
            return lambda raw, param: self.resolve(raw, param)

        def cached(raw, param):  # an on-disk store is opened read-only: its entities do not change
            key = (raw, param)
            if key not in self._resolved:
                self._resolved[key] = self.resolve(raw, param)
            return self._resolved[key]

        return cached

    def rdflib_graph(self):
        """The whole graph as an rdflib ``Dataset`` (one named graph per source; the default graph is their union)."""
        from rdflib import Dataset

        ds = Dataset(default_union=True)  # the default graph is the union, as in the store
        if self.project is not None and self.project.trig_file.is_file():
            ds.parse(self.project.trig_file, format="trig")
            return ds
        result = self.store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", timeout=self.timeout)
        graphs = {}
        for s, p, o, g in result.rows:
            if g not in graphs:
                graphs[g] = ds.graph(g)
            graphs[g].add((s, p, o))
        return ds


def located(exc: QueryError, text: str, added_lines: int) -> QueryError:
    """A syntax error counted in the user's own text (without the PREFIX lines added to it), with the line shown."""
    if exc.line is None or type(exc) is not QueryError:
        return exc
    line, column = exc.line - added_lines, exc.column
    detail = re.sub(r"^SPARQL syntax error: (error )?at \d+:\d+:?\s*", "", str(exc))
    if "Prefix not found" in detail:
        detail = "a prefix that is not declared (add a PREFIX line)"
    elif len(detail) > 300:
        detail = detail[:300] + " ..."
    message = f"SPARQL syntax error at line {line}, column {column}: {detail}"
    lines = text.splitlines()
    if 1 <= line <= len(lines) and column:
        message += f"\n  {lines[line - 1]}\n  {' ' * (column - 1)}^"
    return QueryError(message, line=line, column=column)


def _looks_like_name(text: str) -> bool:
    return bool(text) and "\n" not in text and " " not in text.strip() and "{" not in text


def open(project: str | Path | None = None, **kwargs) -> RivalGraph:  # noqa: A001 - the natural name
    """Open a rivalgraph graph; see :meth:`RivalGraph.open`."""
    return RivalGraph.open(project, **kwargs)
