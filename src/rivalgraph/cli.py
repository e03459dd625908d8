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

    report = run_build(_project(project), shacl=not no_shacl, progress=(lambda _: None) if quiet else stderr_progress)
    if not quiet:
        click.echo(f"built {report.triples} triples from {sum(report.statements_by_source.values())} statements "
                   f"in {report.seconds['total']:.2f} s", err=True)


@main.command()
@project_option
def validate(project):
    """Check data/ (row checks and SHACL shapes) without writing anything."""
    from .pipeline import stderr_progress, validate as run_validate

    report = run_validate(_project(project), progress=stderr_progress)
    click.echo(f"valid: {report.triples} triples, {report.entities} entities, SHACL conforms", err=True)


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

    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        values[key.strip()] = value
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


if __name__ == "__main__":  # pragma: no cover
    main()
