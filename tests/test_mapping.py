"""Declarative mappings on a tiny project: rows in = rows in the graph + rejects; bad files stop the build."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest

from rivalgraph.errors import InputError
from rivalgraph.pipeline import build, build_graph
from rivalgraph.records import DateValue

from .conftest import FIXTURES, copy_project


@pytest.fixture
def mapped(tmp_path, monkeypatch):
    monkeypatch.setenv("RIVALGRAPH_STORE", str(tmp_path / "store"))
    return copy_project(tmp_path / "mapped", FIXTURES / "mapped" / "data")


def statements(built, subject, predicate=None):
    return [s for s in built.records.statements if s.subject == subject and (predicate is None or s.predicate == predicate)]


def data_rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return len(list(csv.reader(f))) - 1


def test_counts_in_equal_counts_out_plus_rejects(mapped):
    built = build_graph(mapped, shacl=False)
    report = built.report
    for name in ("data/external/chips.csv", "data/external/owners.csv"):
        rows = data_rows(mapped.root / name)
        assert report.rows_read[name] == rows
        in_graph = {o.row for e in built.records.entities + built.records.statements
                    if (o := e.origin) and o.file == name}
        rejected = {r.row for r in built.log.rejects if r.file == name and r.column is None}
        assert not in_graph & rejected
        assert len(in_graph) + len(rejected) == rows
        assert report.rows_rejected[name] == len(rejected)
    assert report.rows_rejected["data/external/chips.csv"] == 3
    reasons = {r.row: r.reason for r in built.log.rejects if r.file == "data/external/chips.csv" and r.column is None}
    assert reasons == {6: "duplicate: the same chip as row 2", 7: "required cell 'Hardware name' is empty",
                       8: "skipped: not an accelerator"}


def test_sku_variants_hang_under_their_family(mapped):
    built = build_graph(mapped, shacl=True)  # SHACL: every ChipVariant has a family
    ents = {e.id: e for e in built.records.entities}
    assert ents["NVIDIA-A800-SXM"].types == ("ChipVariant",)
    assert [s.object for s in statements(built, "NVIDIA-A800-SXM", "variantOf")] == ["A800"]
    assert [s.object for s in statements(built, "NVIDIA-A800-PCIe-40-GB", "variantOf")] == ["A800"]
    # Intel's A100 and the RTX A1000 are no A100s
    assert ents["Intel-A100"].types == ("Chip",) and not statements(built, "Intel-A100", "variantOf")
    assert ents["NVIDIA-RTX-A1000"].types == ("Chip",)


def test_cells_dates_numbers_and_links(mapped):
    built = build_graph(mapped, shacl=False)
    sxm = {s.predicate: s for s in statements(built, "NVIDIA-A800-SXM")}
    assert sxm["releaseDate"].value == DateValue(dt.date(2022, 8, 11), "day")  # US-style 8/11/2022
    assert sxm["priceUSD"].value == Decimal("12000") and sxm["priceUSD"].unit == "USD"
    assert sxm["manufacturer"].object == "NVIDIA"
    assert sxm["releaseDate"].locator == "data/external/chips.csv row 2"
    # "Nvidia" is the curated NVIDIA; Intel is new, introduced by the chip database
    assert statements(built, "NVIDIA-A800-PCIe-40-GB", "manufacturer")[0].object == "NVIDIA"
    intel = next(e for e in built.records.entities if e.id == "Intel")
    assert intel.source == "chips-db"
    # a cell that is not a number is dropped, with its reason; the row stays
    dropped = [r for r in built.log.rejects if r.column == "Memory"]
    assert [(r.row, r.value) for r in dropped] == [(5, "lots")]
    assert statements(built, "NVIDIA-RTX-A1000", "releaseDate")


def test_estimates_with_bounds_periods_and_multi_valued_links(mapped):
    built = build_graph(mapped, shacl=False)
    q4 = statements(built, "PRC-A800-through-Q4-2022", "quantity")[0]
    assert (q4.value, q4.lower, q4.upper) == (Decimal(28132), Decimal(21517), Decimal(36492))
    assert q4.qualifiers == ("Estimate",)
    assert (str(q4.start), str(q4.end)) == ("2022-01-01", "2022-12-31")
    assert statements(built, "PRC-A800-through-Q4-2022", "owner")[0].object == "China"  # alias table
    assert statements(built, "PRC-A800-through-Q1-2023", "heldChip")[0].object == "A800"
    owners = sorted(s.object for s in statements(built, "Buyer-A100-2023", "owner"))
    assert owners == ["BuyerCo", "BuyerCo"]  # "Buyer Company" (an alias) and "BuyerCo" of the split cell
    assert statements(built, "Buyer-A100-2023", "heldChip")[0].object == "A100"
    unmatched = {d.name for d in built.log.resolution.by_outcome("unmatched")}
    assert unmatched == {"Unknown Org", "Nobody Inc", "Z900"}
    # an unmatched name is dropped and listed, never invented
    assert not any(e.label_en in unmatched for e in built.records.entities)


def test_build_writes_rejects_and_resolution_report(mapped):
    report = build(mapped, shacl=False)
    out = mapped.exports_dir
    assert {"rejected-rows.csv", "resolution-report.json", "resolution-report.md"} <= {p.name for p in out.iterdir()}
    rejected = list(csv.DictReader((out / "rejected-rows.csv").open(encoding="utf-8")))
    assert {(r["file"], r["row"]) for r in rejected if not r["column"]} == {
        ("data/external/chips.csv", "6"), ("data/external/chips.csv", "7"), ("data/external/chips.csv", "8")}
    assert report.summary()["rows_rejected"]["data/external/chips.csv"] == 3
    assert "## Unmatched (link dropped) (3)" in (out / "resolution-report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_text(p.read_text(encoding="utf-8").replace("Hardware name", "Hardware"), encoding="utf-8"),
     "required column is missing"),
    (lambda p: p.write_bytes(p.read_bytes().replace(b"Intel A100", b"Intel A\xff100")), "not valid UTF-8"),
    (lambda p: p.write_text(p.read_text(encoding="utf-8")[:-40], encoding="utf-8"), "row has"),
    (lambda p: p.write_text(p.read_text(encoding="utf-8") + 'x,"unterminated\n', encoding="utf-8"), "malformed CSV"),
])
def test_malformed_file_stops_the_build_and_keeps_exports(mapped, damage, message):
    build(mapped, shacl=False)
    before = {p.name: p.read_bytes() for p in mapped.exports_dir.iterdir()}
    damage(mapped.root / "data" / "external" / "chips.csv")
    with pytest.raises(InputError) as info:
        build(mapped, shacl=False)
    assert message in str(info.value)
    assert "data/external/chips.csv" in str(info.value)
    assert {p.name: p.read_bytes() for p in mapped.exports_dir.iterdir()} == before


def test_malformed_mapping_names_the_key(mapped):
    path = mapped.root / "data" / "mappings" / "chips.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("predicate: memoryBytes", "predicate: memorySize")
                    .replace("unit: byte", "unit: bytes"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_graph(mapped, shacl=False)
    text = str(info.value)
    assert "data/mappings/chips.yaml, column 'statements[3].predicate': unknown property" in text
    assert "statements[3].unit" in text


def test_new_source_is_a_mapping_file_not_code(mapped):
    """A third spreadsheet: one CSV, one sources.csv row, one mapping file."""
    data = mapped.root / "data"
    (data / "external" / "prices.csv").write_text(
        "Chip,Date,USD\nNVIDIA A800 SXM,3/1/2023,13500\nNVIDIA A800 SXM,2023-06-01,\n", encoding="utf-8")
    with (data / "sources.csv").open("a", encoding="utf-8") as f:
        f.write("prices-db,Dataset,Prices,Prices,,2026,en,,data/external/prices.csv,CC0\n")
    (data / "mappings" / "prices.yaml").write_text(
        "source: prices-db\nsubject: {column: Chip, resolve: chip}\n"
        "statements:\n  - {predicate: priceUSD, column: USD, unit: USD, as_of: Date}\n", encoding="utf-8")
    built = build_graph(mapped, shacl=False)
    prices = [s for s in statements(built, "NVIDIA-A800-SXM", "priceUSD") if s.source == "prices-db"]
    assert [(str(s.as_of), s.value) for s in prices] == [("2023-03-01", Decimal(13500))]
    assert built.report.rows_rejected["data/external/prices.csv"] == 1  # the row without a price


def test_resolve_command_writes_only_the_reports(mapped, monkeypatch):
    from click.testing import CliRunner

    from rivalgraph.cli import main

    result = CliRunner().invoke(main, ["resolve", "--project", str(mapped.root)])
    assert result.exit_code == 0, result.output
    assert "3 unmatched" in result.output
    assert sorted(p.name for p in mapped.exports_dir.iterdir()) == [
        "rejected-rows.csv", "resolution-report.json", "resolution-report.md"]
    report = (mapped.exports_dir / "resolution-report.json").read_text(encoding="utf-8")
    assert '"unmatched": 3' in report


def test_templates_fill_cells_and_optional_text():
    from rivalgraph.sources.mapping import _fill
    from rivalgraph.sources.tabular import Row

    row = Row("x.csv", 2, {"Vendor": "AWS", "Location": "", "Incomplete": "checked"})
    assert _fill("on-demand at {Vendor} {Location}", row) == "on-demand at AWS"
    assert _fill("estimate{Incomplete?; incomplete}{Location?; somewhere}", row) == "estimate; incomplete"
