"""The analyst's hand-edited files in ``data/``: sources.csv, entities.csv, statements.csv.

Each cell is parsed here (numbers, dates, lists); whether ids point at things
that exist is checked later, across all sources, by :mod:`rivalgraph.checks`.
The column layout is documented in ``data/README.md``.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, InputProblem
from ..records import RANKS, Entity, Origin, Records, Source, Statement, parse_date, parse_number
from .tabular import Row, read_rows, read_text

SOURCE_COLUMNS = ["id", "type", "title", "title_en", "publisher", "date", "language", "locator", "file", "licence"]
ENTITY_COLUMNS = ["id", "type", "label_en", "label_zh", "aliases_en", "aliases_zh", "description_en"]
STATEMENT_COLUMNS = [
    "id", "subject", "predicate", "object", "value", "unit", "lower", "upper", "qualifier",
    "as_of", "start", "end", "rank", "source", "according_to", "quote", "note",
]
REQUIRED = {"id", "type", "subject", "predicate", "source", "label_en", "label_zh", "title"}
LIST_SEP = "|"
TYPE_SEP = ";"


def split_list(text: str, sep: str = LIST_SEP) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(sep) if p.strip())


class _Collector:
    """Gathers every problem of a file, so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[InputProblem] = []

    def required(self, row: Row, column: str) -> str:
        value = row.cells[column]
        if not value:
            self.problems.append(row.problem(column, "is required but empty"))
        return value

    def date(self, row: Row, column: str, *, end: bool = False):
        text = row.cells.get(column, "")
        if not text:
            return None
        try:
            return parse_date(text, end=end)
        except ValueError as exc:
            self.problems.append(row.problem(column, str(exc)))
            return None

    def number(self, row: Row, column: str):
        text = row.cells.get(column, "")
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError as exc:
            self.problems.append(row.problem(column, str(exc)))
            return None


def read_curated(data_dir: Path, root: Path) -> Records:
    """Read the three curated files; raise :class:`InputError` listing every bad cell."""
    col = _Collector()
    records = Records()

    def display(name: str) -> str:
        path = data_dir / name
        try:
            return str(path.relative_to(root))
        except ValueError:
            return str(path)

    for row in read_rows(data_dir / "sources.csv", display("sources.csv"), SOURCE_COLUMNS, optional=[]):
        src = Source(
            id=col.required(row, "id"), type=col.required(row, "type"), title=col.required(row, "title"),
            title_en=row.cells["title_en"], publisher=row.cells["publisher"], date=col.date(row, "date"),
            language=row.cells["language"], locator=row.cells["locator"], file=row.cells["file"],
            licence=row.cells["licence"], origin=Origin(row.file, row.number),
        )
        if src.file:
            path = root / src.file
            if not path.is_file():
                col.problems.append(row.problem("file", "source file not found"))
            elif src.type != "Dataset":  # a dataset's file is read by its mapping (data/mappings/)
                src.text = read_text(path, src.file)
        records.sources.append(src)

    for row in read_rows(data_dir / "entities.csv", display("entities.csv"), ENTITY_COLUMNS, optional=[]):
        records.entities.append(Entity(
            id=col.required(row, "id"),
            types=split_list(col.required(row, "type"), TYPE_SEP),
            label_en=row.cells["label_en"],  # missing labels are reported by the checks
            label_zh=row.cells["label_zh"],
            aliases_en=split_list(row.cells["aliases_en"]),
            aliases_zh=split_list(row.cells["aliases_zh"]),
            description_en=row.cells["description_en"],
            origin=Origin(row.file, row.number),
        ))

    for row in read_rows(data_dir / "statements.csv", display("statements.csv"), STATEMENT_COLUMNS, optional=[]):
        rank = row.cells["rank"] or "normal"
        if rank not in RANKS:
            col.problems.append(row.problem("rank", f"must be one of {', '.join(RANKS)}"))
        records.statements.append(Statement(
            id=col.required(row, "id"),
            subject=col.required(row, "subject"),
            predicate=col.required(row, "predicate"),
            source=row.cells["source"],  # a missing source is reported by the checks
            object=row.cells["object"],
            value=row.cells["value"] or None,  # parsed against the property's range in checks
            unit=row.cells["unit"],
            lower=col.number(row, "lower"),
            upper=col.number(row, "upper"),
            qualifiers=split_list(row.cells["qualifier"], TYPE_SEP),
            as_of=col.date(row, "as_of"),
            start=col.date(row, "start"),
            end=col.date(row, "end", end=True),
            rank=rank,
            according_to=row.cells["according_to"],
            quote=row.cells["quote"],
            note=row.cells["note"],
            origin=Origin(row.file, row.number),
        ))
    if col.problems:
        raise InputError(col.problems)
    return records
