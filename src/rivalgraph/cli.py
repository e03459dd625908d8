"""The ``rivalgraph`` command: a thin skin over the library, one call per command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import InputError, QueryError, RivalgraphError, ValidationError


def _project(path: str | None):
    from .project import find_project

    return find_project(path)


class _Group(click.Group):
    """Turns rivalgraph's own errors into a clear message and a non-zero exit."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except ValidationError as exc:
            lines = exc.report.splitlines()
            click.echo(f"error: {exc.count} SHACL violation(s)\n" + "\n".join(lines[:60]), err=True)
            sys.exit(2)
        except QueryError as exc:
            where = f" (line {exc.line}, column {exc.column})" if exc.line and "at line" not in str(exc) else ""
            click.echo(f"error: {exc}{where}", err=True)
            sys.exit(3)
        except RivalgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


def _key_values(items: tuple[str, ...]) -> dict[str, str]:
    """``--param KEY=VALUE`` options as a dict."""
    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = value
    return values


project_option = click.option("--project", "project", default=None, metavar="DIR",
                              help="The project folder (default: found from the current folder).")


@click.group(cls=_Group)
@click.version_option(package_name="rivalgraph")
def main() -> None:
    """rivalgraph: who sells which chips, who buys them, who trains what, and who said so."""


@main.command()
@project_option
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation (row checks still run).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def build(project, no_shacl, quiet):
    """Build the graph from data/ and write exports/ and the query store."""
    from .pipeline import build as run_build, stderr_progress

    proj = _project(project)
    report = run_build(proj, shacl=not no_shacl, progress=(lambda _: None) if quiet else stderr_progress)
    if not quiet:
        click.echo(f"built {report.triples} triples from {sum(report.statements_by_source.values())} statements "
                   f"in {report.seconds['total']:.2f} s", err=True)
        if report.rows_rejected and any(report.rows_rejected.values()):
            click.echo(f"rows rejected: {sum(report.rows_rejected.values())} (see exports/rejected-rows.csv)", err=True)
    # views and pages for people (exports/views/), refreshed from the freshly built store
    from .api import RivalGraph
    from .views import build_views

    with RivalGraph.open(proj) as graph:
        files = build_views(graph, proj.exports_dir / "views")
    if not quiet:
        click.echo(f"wrote {len(files)} views and pages to {proj.relative(proj.exports_dir / 'views')}/", err=True)


@main.command()
@project_option
def validate(project):
    """Check data/ (row checks and SHACL shapes) without writing anything."""
    from .pipeline import stderr_progress, validate as run_validate

    report = run_validate(_project(project), progress=stderr_progress)
    click.echo(f"valid: {report.triples} triples, {report.entities} entities, SHACL conforms", err=True)


@main.command()
@project_option
def resolve(project):
    """Resolve the names of every mapped source; write exports/resolution-report.{json,md} and rejected-rows.csv."""
    from .pipeline import resolve as run_resolve, stderr_progress

    log = run_resolve(_project(project), progress=stderr_progress)
    counts = log.resolution.counts()
    click.echo(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()), err=True)


@main.command("queries")
def list_queries():
    """List the named queries with their parameters."""
    from .queries import named_queries

    for q in named_queries():
        click.echo(f"{q.name}\n    {q.title}")
        for p in q.parameters:
            default = f" = {p.default}" if p.default is not None else " (required)"
            click.echo(f"    --param {p.name}=<{p.type}>{default}  {p.description}")


@main.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of a named query.")
@click.option("--format", "-f", "fmt", default=None, help="table, csv, tsv, json, xml (SELECT/ASK); ttl, nt, jsonld (CONSTRUCT).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
@click.option("--endpoint", metavar="URL", help="Ask a remote SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--timeout", type=float, default=None, help="Stop the query after this many seconds (default 30).")
@project_option
def query(query, params, fmt, output, endpoint, timeout, project):
    """Run QUERY: a named query, a .rq file, or SPARQL text ('-' reads stdin)."""
    from .api import RivalGraph
    from .formats import render

    values = _key_values(params)
    text = query
    if query == "-":
        text = sys.stdin.read()
    elif query.endswith(".rq"):
        if not Path(query).is_file():
            raise click.BadParameter(f"no file {query!r}", param_hint="QUERY")
        text = Path(query).read_text(encoding="utf-8")
    graph = RivalGraph.open(None if endpoint else project, endpoint=endpoint, timeout=timeout)
    try:
        result = graph.query(text, values)
    finally:
        graph.close()
    fmt = fmt or ("ttl" if result.kind == "graph" else "table")
    out = render(result, fmt)
    if output:
        output.write_text(out, encoding="utf-8")
    else:
        click.echo(out, nl=False)


@main.command()
@click.argument("entity", required=False)
@click.option("--hops", type=click.IntRange(1, 6), default=2, show_default=True, help="How many links out from ENTITY.")
@click.option("--query", "query", metavar="NAME|FILE", help="Draw a named query, a .rq file or SPARQL text as a graph.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the query.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into (default: exports/views/).")
@project_option
def view(entity, hops, query, params, out, project):
    """Write interactive views: all of them, ENTITY's neighbourhood (id or zh/en name), or a query's graph."""
    from .api import RivalGraph
    from .vocab import local_id
    from .views import build_views, ego_view_html, query_view_html

    if entity and query:
        raise click.UsageError("give either ENTITY or --query, not both")
    values = _key_values(params)
    proj = _project(project)
    folder = out or proj.exports_dir / "views"
    folder.mkdir(parents=True, exist_ok=True)
    with RivalGraph.open(proj) as graph:
        if entity:
            name = f"ego-{local_id(str(graph.resolve(entity)))}-{hops}.html"
            (folder / name).write_text(ego_view_html(graph, entity, hops), encoding="utf-8")
            written = [folder / name]
        elif query:
            path = Path(query)
            text = path.read_text(encoding="utf-8") if query.endswith(".rq") and path.is_file() else query
            stem = path.stem if query.endswith(".rq") else (query if "\n" not in query and " " not in query else "query")
            name = "query-" + "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in stem) + ".html"
            (folder / name).write_text(query_view_html(graph, text, values), encoding="utf-8")
            written = [folder / name]
        else:
            written = build_views(graph, folder)
    for path in written:
        click.echo(str(path))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on (0: any free port).")
@click.option("--timeout", default=5.0, show_default=True, type=float, help="Stop a query after this many seconds.")
@click.option("--max-rows", default=10_000, show_default=True, type=int, help="Cut results after this many rows.")
@click.option("--workers", default=4, show_default=True, type=int, help="Query worker processes.")
@click.option("--cache-size", default=2048, show_default=True, type=int,
              help="Responses kept for repeated GETs (0: no cache).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update from clients that send the token.")
@click.option("--token", envvar="RIVALGRAPH_SERVER_TOKEN", default=None,
              help="Bearer token updates must carry (or $RIVALGRAPH_SERVER_TOKEN).")
@project_option
def serve(host, port, timeout, max_rows, workers, cache_size, allow_update, token, project):
    """Serve the built graph over HTTP: SPARQL endpoint, query page, entity pages."""
    from .server import ServerConfig, serve as run_serve

    run_serve(_project(project), config=ServerConfig(host=host, port=port, timeout=timeout, max_rows=max_rows,
                                                     workers=workers, cache_size=cache_size,
                                                     allow_update=allow_update, token=token))


if __name__ == "__main__":  # pragma: no cover
    main()
