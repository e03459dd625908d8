"""``rivalgraph serve``: the built graph over HTTP, as a SPARQL server would serve it.

- ``/sparql``: the SPARQL 1.1 Protocol (GET, POST form, POST
  ``application/sparql-query``; Update only when allowed), results in every
  format of :mod:`rivalgraph.formats`, chosen by ``Accept`` or ``format=``;
  a service description when no query is given; CORS for browser clients.
- ``/`` and ``/query``: a query page that works offline; ``/queries/<name>``:
  a named query over HTTP.
- ``/entity/<id>`` (also ``.json`` and ``.ttl``), ``/search``: entity pages.
- ``/views/...``: the entity's ego view and the generated ``exports/views/``.

The HTTP stack is the standard library's ``ThreadingHTTPServer``: the work of
a request is done by query worker processes (:mod:`.pool`), so a request
thread only parses, waits and writes bytes; a thread per connection is enough
for dozens of clients on the local machine, and it adds no dependency and no
event loop to reason about. Starlette + uvicorn would bring async handlers
we could not use (pyoxigraph calls block) and two more packages to pin.

Importing this package is cheap: query worker processes import it too.
"""

from __future__ import annotations

__all__ = ["serve", "ServerConfig"]


def serve(*args, **kwargs):
    """Serve the project's built store until SIGTERM or Ctrl-C; see :func:`.app.serve`."""
    from .app import serve as _serve

    return _serve(*args, **kwargs)


def __getattr__(name: str):
    if name == "ServerConfig":
        from .app import ServerConfig

        return ServerConfig
    raise AttributeError(name)
