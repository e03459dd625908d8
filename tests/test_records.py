import datetime as dt
from decimal import Decimal

import pytest

from rivalgraph.records import decimal_lexical, parse_date, parse_number


@pytest.mark.parametrize("text, date, precision", [
    ("2023", dt.date(2023, 1, 1), "year"),
    ("2023-04", dt.date(2023, 4, 1), "month"),
    ("2023-04-30", dt.date(2023, 4, 30), "day"),
    ("1/1/2022", dt.date(2022, 1, 1), "day"),
    ("9/30/25", dt.date(2025, 9, 30), "day"),
])
def test_parse_date(text, date, precision):
    value = parse_date(text)
    assert (value.date, value.precision) == (date, precision)


def test_end_of_period():
    assert parse_date("2023", end=True).date == dt.date(2023, 12, 31)
    assert parse_date("2024-02", end=True).date == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2023-13", "2023-02-30", "soon", "13/1/2022", "2023/01/01"])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text, value", [("30000", "30000"), ("27,000", "27000"), ("670.4", "670.4"), ("1.2e24", "1.2E+24")])
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["30000 GPUs", "~2k", "12abc", "", "1.2.3"])
def test_numbers_with_text_are_errors(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_decimal_lexical():
    assert decimal_lexical(Decimal("1.2E+24")) == "1200000000000000000000000"
    assert decimal_lexical(Decimal("670.40")) == "670.4"
    assert decimal_lexical(Decimal("0")) == "0"
