"""Bad input: each case names file, row, column and value, and nothing is written."""

from __future__ import annotations

import csv

import pytest

from rivalgraph.errors import InputError
from rivalgraph.pipeline import build, validate


def edit_csv(path, row_id, **changes):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["id"] == row_id:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def append_row(path, **cells):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows.append({k: cells.get(k, "") for k in rows[0]})
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def problem_of(project):
    with pytest.raises(InputError) as info:
        validate(project)
    assert len(info.value.problems) == 1, info.value
    return info.value.problems[0]


CASES = [
    # (file, row id, changes, expected column, expected value, words in the message)
    ("statements.csv", "order-buyer", {"object": "NoSuchCo"}, "object", "NoSuchCo", "unknown entity id"),
    ("statements.csv", "order-chip", {"object": "China"}, "object", "China", "wrong entity type"),
    ("statements.csv", "order-buyer", {"start": "2023-13-01"}, "start", "2023-13-01", "not a real date"),
    ("statements.csv", "order-buyer", {"as_of": "last spring"}, "as_of", "last spring", "not a date"),
    ("statements.csv", "order-quantity", {"value": "1000 chips"}, "value", "1000 chips", "not a number"),
    ("statements.csv", "order-quantity", {"source": ""}, "source", "", "no source"),
    ("statements.csv", "order-quantity", {"quote": "这句话不在原文里"}, "quote", "这句话不在原文里", "not found"),
    ("statements.csv", "order-quantity", {"predicate": "quantitty"}, "predicate", "quantitty", "unknown property"),
    ("entities.csv", "BuyerCo", {"label_zh": ""}, "label_zh", "", "Chinese label is missing"),
    ("entities.csv", "BuyerCo", {"type": "Organisation"}, "type", "Organisation", "unknown entity type"),
]


@pytest.mark.parametrize("name, row_id, changes, column, value, words", CASES, ids=[c[4] or c[3] for c in CASES])
def test_bad_cell_is_named(mini_project, name, row_id, changes, column, value, words):
    path = mini_project.data_dir / name
    edit_csv(path, row_id, **changes)
    problem = problem_of(mini_project)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    expected_row = 2 + [r["id"] for r in rows].index(row_id)
    assert problem.file == f"data/{name}"
    assert problem.row == expected_row
    assert problem.column == column
    assert problem.value == value
    assert words in problem.message


def test_duplicate_id(mini_project):
    append_row(mini_project.data_dir / "entities.csv", id="A800", type="ChipFamily", label_en="A800 again", label_zh="A800")
    problem = problem_of(mini_project)
    assert (problem.file, problem.row, problem.column, problem.value) == ("data/entities.csv", 7, "id", "A800")
    assert "duplicate entity id" in problem.message and "row 4" in problem.message


def test_wrong_columns(mini_project):
    path = mini_project.data_dir / "statements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("predicate", "pred", 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate(mini_project)
    messages = {(p.column, p.message) for p in info.value.problems}
    assert ("predicate", "required column is missing") in messages
    assert ("pred", "unknown column") in messages


def test_bad_encoding(mini_project):
    path = mini_project.data_dir / "entities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(InputError) as info:
        validate(mini_project)
    assert "not valid UTF-8" in str(info.value) and "data/entities.csv" in str(info.value)


def test_truncated_file(mini_project):
    path = mini_project.data_dir / "statements.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex(",,note,,") + 4], encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate(mini_project)
    assert "row 7" in str(info.value) and "truncated" in str(info.value)


def test_failed_build_leaves_exports_untouched(mini_project):
    build(mini_project, shacl=False)
    before = {p.name: p.read_bytes() for p in mini_project.exports_dir.iterdir()}
    edit_csv(mini_project.data_dir / "statements.csv", "order-quantity", value="lots")
    with pytest.raises(InputError):
        build(mini_project)
    after = {p.name: p.read_bytes() for p in mini_project.exports_dir.iterdir()}
    assert after == before
