"""The server's routes: each takes the :class:`~.app.App` and a request and returns a response.

Queries go through the project's store layer: named queries by
:meth:`rivalgraph.api.RivalGraph.query`, SPARQL text on the worker pool, and
every result is written by :func:`rivalgraph.formats.render`.
"""

from __future__ import annotations

import hmac
import mimetypes
import re
import time
import urllib.parse
from importlib import resources

from rdflib import URIRef

from .. import queries
from ..errors import QueryError, QueryTimeout, UnknownEntity
from ..formats import FORMATS, render
from ..sparqltext import substitute
from ..store import QueryResult
from ..vocab import ID
from . import pages
from .app import VIEW_CSP, App, Request, Response, redirect, text_response
from .pool import PoolBusy
from .protocol import HttpError, accepted, negotiate, read_request, service_description, wants_html

GET = frozenset({"GET", "HEAD"})
GET_POST = frozenset({"GET", "HEAD", "POST"})
_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")


def _params(request: Request) -> dict[str, str]:
    """The query string as single values (the last one wins)."""
    return {k: v[-1] for k, v in urllib.parse.parse_qs(request.query_string, keep_blank_values=True).items()}


def _lang(params: dict[str, str]) -> str:
    lang = params.get("lang", "en")
    if lang not in pages.LANGS:
        raise HttpError(400, f"lang must be one of {', '.join(pages.LANGS)}, not {lang!r}")
    return lang


def result_response(app: App, request: Request, result: QueryResult, override: str | None) -> Response:
    """A query result in the negotiated format, cut at the row cap (with a header saying so)."""
    result, was_cut = pages.cut(result, app.config.max_rows)
    fmt = negotiate(result.kind, request.accept, override)
    headers = {"Content-Disposition": f'inline; filename="result.{fmt.extension}"'}
    if was_cut:
        headers["X-Rivalgraph-Truncated"] = f"results cut at {app.config.max_rows} rows (the server's row cap)"
    return Response(200, render(result, fmt.name).encode("utf-8"), fmt.media_type, headers, cacheable=True)


# -- /sparql ------------------------------------------------------------------
def sparql(app: App, request: Request) -> Response:
    sreq = read_request(request.method, request.query_string, request.header("content-type"), request.body)
    if sreq.update is not None:
        return _update(app, request, sreq.update)
    if sreq.query is None:
        if wants_html(request.accept) and not sreq.format:
            return redirect("/query")
        host = request.header("host") or ""
        if not _HOST.fullmatch(host):
            host = f"{app.config.host}:{app.config.port}"
        description = service_description(f"http://{host}/sparql", update=app.config.allow_update,
                                          triples_count=None)
        fmt = negotiate("graph", request.accept, sreq.format)
        return Response(200, render(description, fmt.name).encode("utf-8"), fmt.media_type, cacheable=True)
    if request.method in ("GET", "HEAD") and wants_html(request.accept) and not sreq.format:
        return redirect("/query?" + urllib.parse.urlencode({"query": sreq.query}))
    if not sreq.query.strip():
        raise HttpError(400, "the query is empty")
    result = app.pool.query(sreq.query, timeout=app.config.timeout, max_rows=app.config.max_rows + 1,
                            dataset=sreq.dataset)
    return result_response(app, request, result, sreq.format)


def _update(app: App, request: Request, text: str) -> Response:
    if not app.config.allow_update:
        raise HttpError(403, "SPARQL Update is refused: this server is read-only "
                             "(its owner can start it with --allow-update --token <token>)")
    auth = request.header("authorization") or ""
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HttpError(401, "SPARQL Update needs `Authorization: Bearer <token>`",
                        {"WWW-Authenticate": 'Bearer realm="rivalgraph"'})
    if not hmac.compare_digest(token.strip().encode(), app.config.token.encode()):
        raise HttpError(403, "SPARQL Update refused: wrong token")
    if not text.strip():
        raise HttpError(400, "the update is empty")
    app.pool.update(text, timeout=app.config.timeout)
    app.log_line("rivalgraph: update applied; readers reopen the store")
    return text_response(200, "update applied\n")


# -- the query page and named queries ------------------------------------------
def query_page(app: App, request: Request, suffix: str | None = None) -> Response:
    params = _params(request)
    name = params.pop("name", None)
    text = params.pop("query", None)
    params.pop("format", None)
    if suffix == ".json" or accepted(request.accept)[:1] == ["application/json"]:
        return _query_page_json(app, request, name, text, params)
    page = pages.QueryPage(text=pages.EXAMPLE, named=pages.named_forms(name, params), selected=name)
    code = 200
    started = time.perf_counter()
    try:
        if name:
            named = queries.get(name)
            bindings = queries.bind(named, params, app.graph.resolve)
            page.text = substitute(named.text, bindings)
            result = app.graph.query(name, params)
            page.downloads = pages.downloads(result.kind, f"/queries/{urllib.parse.quote(name)}", list(params.items()))
            page.share = "/query?" + urllib.parse.urlencode([("name", name), *params.items()])
        elif text is not None:
            page.text = text
            if not text.strip():
                raise HttpError(400, "the query is empty")
            result = app.pool.query(text, timeout=app.config.timeout, max_rows=app.config.max_rows + 1)
            page.downloads = pages.downloads(result.kind, "/sparql", [("query", text)])
            page.share = "/query?" + urllib.parse.urlencode({"query": text})
        else:
            return app.page("query.html", page=page)
        page.elapsed_ms = (time.perf_counter() - started) * 1000
        page.result = pages.table(result, app.config.max_rows)
    except QueryTimeout as exc:
        code, page.error = 503, f"{exc}; other queries were not affected. Narrow the query or add a LIMIT."
    except HttpError as exc:
        code, page.error = exc.status, exc.message
    except QueryError as exc:  # bad syntax, an unknown parameter or entity, an unknown named query
        code, page.error = 400, str(exc)
        if exc.line:
            page.error_where = f"line {exc.line}, column {exc.column}"
    except PoolBusy as exc:
        code, page.error = 503, str(exc)
    response = app.page("query.html", code=code, page=page)
    if page.result is not None and page.result.cut_at:
        response.headers["X-Rivalgraph-Truncated"] = f"results cut at {page.result.cut_at} rows (the server's row cap)"
    return response


def _query_page_json(app: App, request: Request, name: str | None, text: str | None,
                     params: dict[str, str]) -> Response:
    """The query page as JSON: the result in SPARQL JSON (the list of named queries without one)."""
    if name:
        result = app.graph.query(name, params)
    elif text is not None and text.strip():
        result = app.pool.query(text, timeout=app.config.timeout, max_rows=app.config.max_rows + 1)
    else:
        return query_list(app, request)
    return result_response(app, request, result, "jsonld" if result.kind == "graph" else "json")


def query_list(app: App, request: Request) -> Response:
    data = [{"name": q.name, "title": q.title, "description": q.description, "url": f"/queries/{q.name}",
             "parameters": [{"name": p.name, "type": p.type, "default": p.default, "required": p.required,
                             "description": p.description} for p in q.parameters]}
            for q in queries.named_queries()]
    return app.json_response(data)


def named_query(app: App, request: Request, name: str) -> Response:
    params = _params(request)
    override = params.pop("format", None) or params.pop("output", None)
    stem, dot, ext = name.rpartition(".")
    if dot and not override:
        by_ext = {f.extension: f.name for f in FORMATS.values()} | {n: n for n in FORMATS}
        if ext in by_ext:
            name, override = stem, by_ext[ext]
    if wants_html(request.accept) and not override:
        return redirect("/query?" + urllib.parse.urlencode([("name", name), *params.items()]))
    result = app.graph.query(name, params)
    return result_response(app, request, result, override)


# -- entities -------------------------------------------------------------------
_ENTITY_REPR = {"json": "json", "ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdf": "rdfxml", "html": "html"}
_ENTITY_MEDIA = {"text/html": "html", "application/xhtml+xml": "html", "application/json": "json",
                 "text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
                 "application/rdf+xml": "rdfxml"}


def _entity_repr(request: Request, suffix: str | None) -> str:
    if suffix:
        return _ENTITY_REPR[suffix]
    for media in accepted(request.accept):
        if media in _ENTITY_MEDIA:
            return _ENTITY_MEDIA[media]
        if media == "*/*":
            break
    return "html"


def _split_suffix(raw: str) -> tuple[str, str | None]:
    stem, dot, ext = raw.rpartition(".")
    if dot and ext in _ENTITY_REPR:
        return stem, ext
    return raw, None


def _find(app: App, raw: str, suffix: str | None, base: str) -> URIRef | Response:
    """The entity with id ``raw``, or a redirect from a label or alias to its id, or a 404."""
    try:
        iri = app.graph.resolve(raw)
    except UnknownEntity as exc:
        reason = str(exc).removeprefix("parameter 'entity': ")
        raise HttpError(404, f"{reason}; search for it: /search?q={urllib.parse.quote(raw)}") from None
    entity_id = str(iri)[len(str(ID)):]
    if entity_id == raw:
        return iri
    target = f"{base}/{urllib.parse.quote(entity_id, safe='')}" + (f".{suffix}" if suffix else "")
    return redirect(target, 302)


def entity(app: App, request: Request, id: str) -> Response:  # noqa: A002 - the route's word
    raw, suffix = _split_suffix(id)
    found = _find(app, raw, suffix, "/entity")
    if isinstance(found, Response):
        if request.query_string:
            found.headers["Location"] += "?" + request.query_string
        return found
    iri = found
    params = _params(request)
    kind = _entity_repr(request, suffix)
    if kind in ("ttl", "nt", "jsonld", "rdfxml"):
        result = app.graph.store.query(queries.internal("entity-graph"), bindings={"entity": iri},
                                       timeout=app.config.timeout)
        fmt = FORMATS[kind]
        return Response(200, render(result, kind).encode("utf-8"), fmt.media_type, cacheable=True)
    page = pages.entity_page(app.graph, iri, _lang(params))
    facts = [dict(zip(page.facts.columns, row)) for row in page.facts.rows]
    if kind == "json":
        data = pages.as_json(page)
        data["aliases"] = [{"value": a.text, "lang": a.lang} for a in page.aliases]
        data["types"] = [{"iri": t.value, "label": t.text} for t in page.types]
        data["facts"] = [{k: c.json for k, c in row.items()} for row in facts]
        data["incoming"] = [{"subject": link.subject.json, "subject_label": link.subject_label,
                             "property": link.property.json, "property_label": link.property_label}
                            for link in page.incoming]
        data["links"] = {"page": f"/entity/{page.id}", "turtle": f"/entity/{page.id}.ttl",
                         "ego_view": f"/views/ego/{page.id}"}
        return app.json_response(data)
    return app.page("entity.html", page=page, facts=facts, langs=pages.LANGS, page_lang=page.lang)


def search(app: App, request: Request, suffix: str | None = None) -> Response:
    text = _params(request).get("q", "").strip()
    if len(text) > 200:
        raise HttpError(400, "the search text is longer than 200 characters")
    hits = pages.search(app.graph, text)
    as_json = suffix == ".json" or (not suffix and "application/json" in accepted(request.accept)[:1])
    if as_json:
        return app.json_response({"q": text, "hits": pages.as_json(hits)})
    return app.page("search.html", hits=hits, search_text=text)


# -- views and static files -------------------------------------------------------
def ego_view(app: App, request: Request, id: str) -> Response:  # noqa: A002
    found = _find(app, id, None, "/views/ego")
    if isinstance(found, Response):
        if request.query_string:
            found.headers["Location"] += "?" + request.query_string
        return found
    try:
        hops = int(_params(request).get("hops", "2"))
    except ValueError:
        raise HttpError(400, "hops must be a whole number (1 to 3)") from None
    if not 1 <= hops <= 3:
        raise HttpError(400, "hops must be 1, 2 or 3")
    from ..views import ego_view_html

    html = ego_view_html(app.graph, str(found)[len(str(ID)):], hops=hops, timeout=app.config.timeout)
    return Response(200, html.encode("utf-8"), "text/html; charset=utf-8",
                    {"Content-Security-Policy": VIEW_CSP}, cacheable=True)


def static_view(app: App, request: Request, path: str) -> Response:
    root = app.views_dir
    if root is None or not root.is_dir():
        raise HttpError(404, "no generated views (exports/views/) in this project")
    target = (root / path).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        raise HttpError(404, f"no view at /views/{path}")
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media in ("application/javascript", "application/json"):
        media += "; charset=utf-8"
    return Response(200, target.read_bytes(), media, {"Content-Security-Policy": VIEW_CSP}, cacheable=True)


def static(app: App, request: Request, file: str) -> Response:
    entry = resources.files(__package__).joinpath("static", file)
    if not entry.is_file():
        raise HttpError(404, f"no static file {file!r}")
    media = mimetypes.guess_type(file)[0] or "application/octet-stream"
    return Response(200, entry.read_bytes(), media + ("; charset=utf-8" if media.startswith("text/") else ""),
                    {"Cache-Control": "max-age=3600"}, cacheable=True)


def favicon(app: App, request: Request) -> Response:
    return Response(204, b"", "image/x-icon", {"Cache-Control": "max-age=86400"})


ROUTES = [
    (GET, re.compile(r"/|/query(?P<suffix>\.json)?"), query_page),
    (GET_POST, re.compile(r"/sparql"), sparql),
    (GET, re.compile(r"/queries(?:\.json)?"), query_list),
    (GET, re.compile(r"/queries/(?P<name>[^/]+)"), named_query),
    (GET, re.compile(r"/entity/(?P<id>[^/]+)"), entity),
    (GET, re.compile(r"/search(?P<suffix>\.json)?"), search),
    (GET, re.compile(r"/views/ego/(?P<id>[^/]+)"), ego_view),
    (GET, re.compile(r"/views/(?P<path>.+)"), static_view),
    (GET, re.compile(r"/static/(?P<file>[A-Za-z0-9_.-]+)"), static),
    (GET, re.compile(r"/favicon\.ico"), favicon),
]

__all__ = ["ROUTES", "result_response"]
