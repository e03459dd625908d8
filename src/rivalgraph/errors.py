"""rivalgraph's errors: one base class and a few meaningful subclasses.

User errors (bad input, a bad query, an unknown entity, a query past its time
limit) carry what the user needs to fix them. Anything else is a bug and is
left to surface as itself.
"""

from __future__ import annotations

from dataclasses import dataclass


class RivalgraphError(Exception):
    """Base class of every error rivalgraph raises on purpose."""


@dataclass(frozen=True)
class InputProblem:
    """One problem in one cell of an input file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        if self.value is not None:
            return f"{text}: {self.message} (value {self.value!r})"
        return f"{text}: {self.message}"


class InputError(RivalgraphError):
    """Input data is wrong; ``problems`` names file, row, column and value of each."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the input data"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class ValidationError(RivalgraphError):
    """The built graph breaks a SHACL shape; ``report`` is the readable report."""

    def __init__(self, report: str, count: int):
        self.report = report
        self.count = count
        super().__init__(f"{count} SHACL violation(s):\n{report}")


class ProjectError(RivalgraphError):
    """The project layout (ontology/, data/, exports/, the store) is missing or unusable."""


class QueryError(RivalgraphError):
    """A query could not be run: bad syntax, bad parameters, an endpoint's refusal."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.line = line
        self.column = column
        super().__init__(message)


class UnknownQuery(QueryError):
    """No named query has that name."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown, or its value does not fit."""


class UnknownEntity(ParameterError):
    """A parameter names an entity (by id or label) that the graph does not have."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"query stopped after its time limit of {seconds:g} s")


class EndpointError(QueryError):
    """A remote SPARQL endpoint answered with an error or could not be reached."""


class ViewError(QueryError):
    """A query's result cannot be drawn as a graph (an ASK, or a SELECT without two entity columns)."""
