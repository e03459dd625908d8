"""Reading CSV files strictly: bad encoding, wrong columns and truncated rows stop the read.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first
data row is row 2 (a quoted cell spanning lines still counts as one row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, InputProblem


@dataclass(frozen=True)
class Row:
    file: str
    number: int
    cells: dict[str, str]

    def problem(self, column: str | None, message: str, value: str | None = None) -> InputProblem:
        if value is None and column is not None:
            value = self.cells.get(column)
        return InputProblem(self.file, self.number, column, value, message)


def read_text(path: Path, display: str) -> str:
    """The file's text, decoded as UTF-8 (a BOM is dropped); bad bytes are an error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([InputProblem(display, None, None, None, "file not found")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex()
        raise InputError([InputProblem(display, line, None, None, f"not valid UTF-8: byte 0x{bad} at offset {exc.start}")]) from None


def read_rows(path: Path, display: str, required: list[str], *, optional: list[str] | None = None) -> Iterator[Row]:
    """Yield the rows of a CSV file, checking its header and the width of every row.

    ``required`` columns must all be there; a column that is neither required
    nor optional is an error too (a typo in a header must not drop a column),
    unless ``optional`` is None: then any further column is read too.
    """
    text = read_text(path, display)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError([InputProblem(display, 1, None, None, "file is empty: no header row")]) from None
    except csv.Error as exc:
        raise InputError([InputProblem(display, 1, None, None, f"malformed CSV: {exc}")]) from None
    header = [h.strip() for h in header]
    problems = [InputProblem(display, 1, col, None, "required column is missing") for col in required if col not in header]
    if optional is not None:
        allowed = set(required) | set(optional)
        problems += [InputProblem(display, 1, col, None, "unknown column") for col in header if col not in allowed]
    dupes = {h for h in header if header.count(h) > 1}
    problems += [InputProblem(display, 1, col, None, "column appears twice") for col in sorted(dupes)]
    if problems:
        raise InputError(problems)
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError([InputProblem(display, number + 1, None, None, f"malformed CSV (truncated file or stray quote?): {exc}")]) from None
        number += 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise InputError([InputProblem(display, number, None, None, f"row has {len(cells)} cells, the header has {len(header)} (truncated file or unquoted comma?)")])
        yield Row(display, number, {h: c.strip() for h, c in zip(header, cells)})
