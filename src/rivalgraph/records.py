"""Plain records that every input source is read into, before any RDF is made.

Curated CSV files and mapped spreadsheets both produce :class:`Source`,
:class:`Entity` and :class:`Statement` records; ``build`` turns them into RDF.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

PRECISIONS = ("year", "month", "day")
RANKS = ("preferred", "normal", "deprecated")


@dataclass(frozen=True, order=True)
class DateValue:
    """A date known to a precision, Wikidata style: 2023-04 is ``(2023-04-01, "month")``."""

    date: dt.date
    precision: str = "day"

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file (relative to the project) and row number."""

    file: str
    row: int


@dataclass
class Source:
    id: str
    type: str
    title: str
    title_en: str = ""
    publisher: str = ""
    date: DateValue | None = None
    language: str = ""
    locator: str = ""
    file: str = ""
    licence: str = ""
    text: str | None = None  # the source's own text, when the project keeps a copy
    origin: Origin | None = None


@dataclass
class Entity:
    id: str
    types: tuple[str, ...]
    label_en: str
    label_zh: str
    aliases_en: tuple[str, ...] = ()
    aliases_zh: tuple[str, ...] = ()
    description_en: str = ""
    source: str = ""  # the source that introduced the entity; "" for curated entities
    origin: Origin | None = None


@dataclass
class Statement:
    """One claim of one source about one subject."""

    id: str
    subject: str
    predicate: str
    source: str
    object: str = ""  # an entity id, for object properties
    value: Decimal | DateValue | str | None = None  # for datatype properties
    unit: str = ""
    lower: Decimal | None = None
    upper: Decimal | None = None
    qualifiers: tuple[str, ...] = ()
    as_of: DateValue | None = None
    start: DateValue | None = None
    end: DateValue | None = None
    rank: str = "normal"
    according_to: str = ""
    quote: str = ""
    locator: str = ""
    note: str = ""
    origin: Origin | None = None


@dataclass
class Records:
    """Everything read from the inputs, ready to be built into a graph."""

    sources: list[Source] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def extend(self, other: "Records") -> None:
        self.sources.extend(other.sources)
        self.entities.extend(other.entities)
        self.statements.extend(other.statements)


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


def parse_date(text: str, *, end: bool = False) -> DateValue:
    """Parse ``2023``, ``2023-04``, ``2023-04-30`` or US-style ``4/30/2023`` / ``4/30/23``.

    A year or month stands for its first day, or with ``end=True`` (the end of
    a period) for its last day. Raises ``ValueError`` for anything else.
    """
    text = text.strip()
    m = _ISO.match(text)
    if m:
        year, month, day = m.groups()
        precision = "day" if day else "month" if month else "year"
        try:
            if end and not day:
                m_end = int(month or 12)
                last = (dt.date(int(year) + (m_end == 12), m_end % 12 + 1, 1) - dt.timedelta(days=1)).day
                return DateValue(dt.date(int(year), m_end, last), precision)
            return DateValue(dt.date(int(year), int(month or 1), int(day or 1)), precision)
        except ValueError as exc:
            raise ValueError(f"not a real date ({exc})") from None
    m = _US.match(text)
    if m:
        month, day, year = m.groups()
        y = int(year)
        if len(year) == 2:
            y += 2000 if y < 70 else 1900
        try:
            return DateValue(dt.date(y, int(month), int(day)), "day")
        except ValueError as exc:
            raise ValueError(f"not a real date ({exc})") from None
    raise ValueError("not a date (expected YYYY, YYYY-MM, YYYY-MM-DD or M/D/YYYY)")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str) -> Decimal:
    """Parse a plain number (``30000``, ``670.4``, ``1.2e24``); thousands separators allowed.

    Raises ``ValueError`` when there is any text in it (``"30000 GPUs"``, ``"~2k"``).
    """
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not _NUMBER.match(cleaned):
        raise ValueError("not a number (text in it?)")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        raise ValueError("not a number") from None


def decimal_lexical(value: Decimal) -> str:
    """The canonical xsd:decimal lexical form: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
