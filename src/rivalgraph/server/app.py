"""The server: configuration, requests and responses, errors, caching, and the HTTP loop.

:class:`App` turns a :class:`Request` into a :class:`Response` (routes are in
:mod:`.routes`); it knows nothing of sockets, so tests and tools can call it
directly. :func:`serve` puts it behind the standard library's
``ThreadingHTTPServer`` on 127.0.0.1, logs one line per request and stops
cleanly on SIGTERM or Ctrl-C.

Which status for what:

- 400 a bad query (the parser's message, with line and column), a bad
  parameter, a bad request; 404 an unknown page, entity or named query;
- 401/403 SPARQL Update without the right token, or on a read-only server;
- 503 a query stopped at the time limit, or no worker free within it;
- 500 a bug: the client gets a short message with a request number, the
  traceback goes to the server's log, never to the client.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import signal
import sys
import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

from ..api import RivalGraph
from ..errors import ParameterError, ProjectError, QueryError, QueryTimeout, UnknownEntity, UnknownQuery
from ..project import Project, find_project
from ..vocab import PREFIXES
from .pool import PoolBusy, WorkerPool
from .protocol import MAX_BODY, HttpError, accepted

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Rivalgraph-Truncated, ETag",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Max-Age": "600",
}
#: Pages run no script and load nothing from elsewhere, whatever a label holds.
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'self'")
#: Generated views (pyvis) run inline scripts, still with nothing from the network.
VIEW_CSP = "default-src 'self' 'unsafe-inline' data: blob:; connect-src 'self'; base-uri 'none'"


@dataclass(frozen=True)
class ServerConfig:
    """How ``rivalgraph serve`` runs; every field is a command-line option."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 5.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) a result may have before it is cut
    workers: int = 4  # query worker processes
    allow_update: bool = False
    token: str | None = None
    cache_size: int = 2048  # responses kept for repeated GETs (the store is read-only)

    def __post_init__(self):
        if self.allow_update and not self.token:
            raise ProjectError("--allow-update needs --token: updates must carry `Authorization: Bearer <token>`")
        if self.timeout <= 0 or self.max_rows < 1 or self.workers < 1:
            raise ProjectError("--timeout, --max-rows and --workers must be positive")


@dataclass
class Request:
    method: str
    path: str  # percent-decoded
    query_string: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def accept(self) -> str | None:
        return self.header("accept")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    cacheable: bool = False  # the same GET gets the same bytes until the store changes


def text_response(status: int, text: str, content_type: str = "text/plain; charset=utf-8", **kw) -> Response:
    return Response(status, text.encode("utf-8"), content_type, **kw)


def redirect(location: str, status: int = 303) -> Response:
    return Response(status, b"", "text/plain; charset=utf-8", {"Location": location})


class _Cache:
    """A small LRU of whole responses, keyed on the request and the store's generation.

    Bounded twice: at most ``size`` responses and ``max_bytes`` of bodies.
    """

    def __init__(self, size: int, max_bytes: int = 64_000_000):
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key, response: Response) -> None:
        if self.size <= 0 or len(response.body) > self.max_bytes // 16:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = response
            self._bytes += len(response.body)
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)


class App:
    """rivalgraph over HTTP, without the sockets: :meth:`handle` a request, get a response."""

    def __init__(self, store_dir: Path, config: ServerConfig, *, views_dir: Path | None = None,
                 log: TextIO | None = None):
        import jinja2

        self.config = config
        self.store_dir = store_dir
        self.views_dir = views_dir
        self.log = log or sys.stderr
        self._log_lock = threading.Lock()
        # no row cap on the pool: pages read whole answers; clients' queries ask for one more row than the cap
        self.pool = WorkerPool(store_dir, size=config.workers, prefixes=PREFIXES, writable=config.allow_update)
        self.graph = RivalGraph(self.pool, timeout=config.timeout)
        self.templates = jinja2.Environment(loader=jinja2.PackageLoader("rivalgraph.server", "templates"),
                                            autoescape=True, undefined=jinja2.StrictUndefined)
        self.cache = _Cache(config.cache_size)
        self._request_ids = itertools.count(1)

    def close(self) -> None:
        self.pool.close()

    # -- logging -------------------------------------------------------
    def log_line(self, text: str) -> None:
        with self._log_lock:
            print(text, file=self.log, flush=True)

    # -- rendering helpers used by routes ------------------------------
    def page(self, template: str, *, code: int = 200, **context) -> Response:
        html = self.templates.get_template(template).render(**context)
        return Response(code, html.encode("utf-8"), "text/html; charset=utf-8",
                        {"Content-Security-Policy": PAGE_CSP}, cacheable=code == 200)

    def json_response(self, data, status: int = 200, content_type: str = "application/json") -> Response:
        body = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        return Response(status, body.encode("utf-8"), content_type, cacheable=status == 200)

    # -- dispatch ------------------------------------------------------
    def handle(self, request: Request) -> Response:
        """The response to ``request``; errors become statuses, bugs a 500 and a log entry."""
        if request.method == "OPTIONS":
            return Response(204, b"", "text/plain; charset=utf-8", dict(PREFLIGHT))
        key = None
        if request.method in ("GET", "HEAD"):
            key = (self.pool.generation, request.path, request.query_string, request.accept)
            hit = self.cache.get(key)
            if hit is not None:
                return hit
        try:
            response = self._route(request)
        except HttpError as exc:
            response = self.error(request, exc.status, exc.message, exc.headers)
        except QueryTimeout as exc:
            response = self.error(request, 503, f"{exc}; other queries are not affected. Narrow the query "
                                                f"(a LIMIT, a more selective pattern) or ask the server's owner "
                                                f"for a longer --timeout.")
        except PoolBusy as exc:
            response = self.error(request, 503, str(exc), {"Retry-After": "1"})
        except UnknownQuery as exc:
            response = self.error(request, 404, str(exc))
        except (UnknownEntity, ParameterError) as exc:
            response = self.error(request, 400, str(exc))
        except QueryError as exc:
            where = f" (line {exc.line}, column {exc.column})" if exc.line else ""
            response = self.error(request, 400, f"{exc}{where}")
        except Exception:  # a bug: logged in full, answered without internals
            number = next(self._request_ids)
            self.log_line(f"error #{number} on {request.method} {request.path}:\n{traceback.format_exc().rstrip()}")
            response = self.error(request, 500, f"internal server error #{number}: a bug in rivalgraph; "
                                                f"the server's log has the details")
        if key is not None and response.cacheable and response.status == 200:
            response.headers.setdefault("ETag", '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"')
            self.cache.put(key, response)
        return response

    def _route(self, request: Request) -> Response:
        from .routes import ROUTES

        for methods, pattern, handler in ROUTES:
            m = pattern.fullmatch(request.path)
            if m:
                if request.method not in methods:
                    raise HttpError(405, f"{request.method} is not allowed on {request.path}",
                                    {"Allow": ", ".join(sorted(methods | {"OPTIONS"}))})
                return handler(self, request, **m.groupdict())
        raise HttpError(404, f"no page at {request.path}: try /query, /sparql, /entity/<id> or /search?q=<name>")

    def error(self, request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        """An error in the form the client reads: JSON, an HTML page, or plain text."""
        reason = HTTPStatus(status).phrase
        headers = dict(headers or {})
        for media in accepted(request.accept):
            if media in ("application/json", "application/sparql-results+json", "application/ld+json"):
                body = json.dumps({"error": message, "status": status}, ensure_ascii=False) + "\n"
                return Response(status, body.encode("utf-8"), "application/json", headers)
            if media in ("text/html", "application/xhtml+xml"):
                response = self.page("error.html", code=status, status=status, reason=reason, message=message)
                response.headers.update(headers)
                return response
            if media in ("*/*", "text/plain"):
                break
        return text_response(status, f"{status} {reason}: {message}\n", headers=headers)


# -- the HTTP layer -------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rivalgraph"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds
    disable_nagle_algorithm = True  # headers and body leave at once, without a 40 ms delayed-ACK stall
    app: App  # set on the subclass made by make_server

    def do_GET(self):
        self._serve()

    do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_request(self, code="-", size="-"):  # one line per request is written by _serve
        pass

    def log_error(self, format, *args):  # malformed requests (before routing)
        self.app.log_line(f"{self.client_address[0]} - {format % args}")

    def _serve(self):
        import urllib.parse

        started = time.perf_counter()
        raw_path, _, query_string = self.path.partition("?")
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            body = self._read_body(headers)
            request = Request(self.command, urllib.parse.unquote(raw_path), query_string, headers, body)
            response = self.app.handle(request)
        except HttpError as exc:
            self.close_connection = True
            response = text_response(exc.status, f"{exc.status} {HTTPStatus(exc.status).phrase}: {exc.message}\n",
                                     headers=exc.headers)
        etag = response.headers.get("ETag")
        status = response.status
        body = response.body
        if etag and status == 200 and etag == headers.get("if-none-match"):
            status, body = 304, b""
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Vary", "Accept")
        for name, value in {**CORS, **response.headers}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        sent = ""
        try:
            self.end_headers()
            if self.command != "HEAD" and status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client left before the answer
            self.close_connection = True
            sent = " (client gone)"
        ms = (time.perf_counter() - started) * 1000
        shown = self.path if len(self.path) <= 200 else self.path[:200] + "…"
        self.app.log_line(f'{self.client_address[0]} - [{self.log_date_time_string()}] "{self.command} {shown}" '
                          f"{status} {len(body)} {ms:.1f}ms{sent}")

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raise HttpError(411, "send the body with a Content-Length (chunked bodies are not supported)")
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            raise HttpError(400, "Content-Length is not a number") from None
        if length > MAX_BODY:
            raise HttpError(413, f"the request body is {length} bytes; at most {MAX_BODY} are read")
        return self.rfile.read(length) if length > 0 else b""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # dozens of clients connect at once


def make_server(app: App, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"app": app})
    return _Server((host, port), handler)


def serve(project: Project | str | Path | None = None, *, config: ServerConfig | None = None,
          store: Path | str | None = None, log: TextIO | None = None) -> None:
    """Serve a project's built store until SIGTERM or Ctrl-C (the main job of ``rivalgraph serve``).

    Serves the store ``rivalgraph build`` wrote (or ``store``) as it is,
    read-only unless ``config.allow_update``; it never rebuilds. Generated
    views in ``exports/views/`` are served under ``/views/``.
    """
    config = config or ServerConfig()
    proj = project if isinstance(project, Project) else find_project(project)
    store_dir = Path(store) if store is not None else proj.store_dir
    if not store_dir.is_dir():
        raise ProjectError(f"no built store at {proj.relative(store_dir)}: run `rivalgraph build` first")
    out = log or sys.stderr
    app = App(store_dir, config, views_dir=proj.exports_dir / "views", log=out)
    try:
        httpd = make_server(app, config.host, config.port)
    except OSError as exc:
        app.close()
        raise ProjectError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}") from None
    host, port = httpd.server_address[:2]

    def stop(signum, _frame):
        app.log_line(f"rivalgraph: {signal.Signals(signum).name} received, stopping")
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    if host not in ("127.0.0.1", "::1", "localhost"):
        app.log_line(f"rivalgraph: listening on {host}: anyone who can reach this machine can query the graph")
    mode = "read-write (SPARQL Update with a token)" if config.allow_update else "read-only"
    app.log_line(f"rivalgraph: serving {proj.relative(store_dir)} {mode} at http://{host}:{port}/ "
                 f"({config.workers} query workers, {config.timeout:g} s time limit, {config.max_rows} row cap)")
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
        app.close()
        app.log_line("rivalgraph: stopped")
