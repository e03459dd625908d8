"""The Epoch AI import, checked against the vendored files themselves."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from rivalgraph.vocab import ID, SOURCE

from .conftest import REPO

EPOCH = REPO / "data" / "external" / "epoch"


def read(name):
    with (EPOCH / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def find(name, column, value):
    """(spreadsheet row number, row) of the first row whose column has the value."""
    return next((i + 2, r) for i, r in enumerate(read(name)) if r[column] == value)


def claims(built, subject, predicate, source=None):
    return [s for s in built.records.statements
            if s.subject == subject and s.predicate == predicate and (source is None or s.source == source)]


def rows(graph, query, **params):
    result = graph.query(query, params)
    return [dict(zip(result.variables, row)) for row in result.rows]


def test_every_row_of_every_file_is_in_the_graph_or_rejected(repo_built):
    report = repo_built.report
    for path in sorted(EPOCH.glob("*.csv")):
        name = f"data/external/epoch/{path.name}"
        n = len(read(path.name))
        assert report.rows_read[name] == n
        in_graph = {o.row for x in repo_built.records.entities + repo_built.records.statements
                    if (o := x.origin) and o.file == name}
        rejected = {r.row for r in repo_built.log.rejects if r.file == name and r.column is None}
        assert not in_graph & rejected, name
        assert len(in_graph) + len(rejected) == n, name


def test_models_imported_equal_rows_minus_rejects(repo_built):
    name = "data/external/epoch/ai_models.csv"
    models = {s.subject for s in repo_built.records.statements if s.source == "epoch-ai-models"
              and s.origin.file == name and s.predicate == "releaseDate"}
    assert len(models) == len(read("ai_models.csv")) - repo_built.report.rows_rejected[name]
    assert repo_built.report.rows_rejected[name] == 1  # P-LLama3 appears twice


def test_gpt4_hardware_matches_the_csv(repo_built):
    number, row = find("ai_models.csv", "Model", "GPT-4")
    (count,) = claims(repo_built, "GPT-4", "trainingChipCount", "epoch-ai-models")
    assert count.value == Decimal(row["Hardware quantity"]) == Decimal(25000)
    assert count.locator == f"data/external/epoch/ai_models.csv row {number}"
    (hw,) = claims(repo_built, "GPT-4", "trainingHardware", "epoch-ai-models")
    chip = next(e for e in repo_built.records.entities if e.id == hw.object)
    assert chip.label_en == row["Training hardware"] == "NVIDIA A100 SXM4 40 GB"
    assert [s.object for s in claims(repo_built, chip.id, "variantOf")] == ["A100"]


def test_internlm_from_epoch_and_the_article_is_one_iri(repo_built):
    number, row = find("ai_models.csv", "Model", "InternLM")
    sources = {s.source for s in repo_built.records.statements if s.subject == "InternLM"}
    assert {"article-sensetime-genai-2023", "epoch-ai-models"} <= sources
    assert not any(e.label_en == "InternLM" and e.id != "InternLM" for e in repo_built.records.entities)
    devs = {s.object for s in claims(repo_built, "InternLM", "developer", "epoch-ai-models")}
    assert devs == {"Shanghai-AI-Lab", "SenseTime"}  # "Shanghai AI Lab,SenseTime"
    (params,) = claims(repo_built, "InternLM", "parameterCount", "epoch-ai-models")
    assert params.value == Decimal(row["Parameters"])
    # Llama 2-70B and Meta AI are the article's LLaMA2-70B and Meta
    assert {s.object for s in claims(repo_built, "LLaMA2-70B", "developer", "epoch-ai-models")} == {"Meta"}


def test_a800_skus_hang_under_the_a800_family(repo_built):
    skus = [r["Hardware name"] for r in read("ml_hardware.csv") if r["Hardware name"].startswith("NVIDIA A800")]
    assert len(skus) == 4
    by_label = {e.label_en: e for e in repo_built.records.entities if e.source == "epoch-ml-hardware"}
    for sku in skus:
        ent = by_label[sku]
        assert ent.types == ("ChipVariant",)
        assert [s.object for s in claims(repo_built, ent.id, "variantOf")] == ["A800"]
    # and the SKU keeps its own specs
    _, row = find("ml_hardware.csv", "Hardware name", "NVIDIA A800 PCIe 40 GB")
    (flops,) = claims(repo_built, by_label["NVIDIA A800 PCIe 40 GB"].id, "peakFlops")
    assert flops.value == Decimal(row["Tensor-FP16/BF16 performance (FLOP/s)"])
    assert "Intel-A100" not in {s.subject for s in repo_built.records.statements if s.predicate == "variantOf"}


def test_china_a800_estimates_by_quarter(real_graph):
    expected = [r for r in read("nvidia_owners_cumulative_by_chip.csv") if r["Owner"] == "China" and r["Chip type"] == "A800"]
    found = rows(real_graph, """
        SELECT ?end ?units ?p5 ?p95 WHERE {
          ?h a rg:ChipHolding ; rg:owner id:China ; rg:heldChip id:A800 .
          ?s rdf:subject ?h ; rdf:predicate rg:quantity ; rdf:object ?units ;
             rg:lowerBound ?p5 ; rg:upperBound ?p95 ; rg:endTime ?end ; rg:qualifier rg:Estimate .
        } ORDER BY ?end""")
    assert len(found) == len(expected) == 14
    first = found[0]
    assert str(first["end"]) == "2022-12-31"
    assert (int(first["units"].toPython()), int(first["p5"].toPython()), int(first["p95"].toPython())) == (
        int(expected[0]["Number of Units"]), int(expected[0]["Number of Units (5th percentile)"]),
        int(expected[0]["Number of Units (95th percentile)"]))


def test_compare_claims_a800_order_beside_china_holdings(real_graph):
    found = rows(real_graph, "compare-claims", about="A800")
    by_source = {}
    for r in found:
        by_source.setdefault(str(r["source"]), []).append(r)
    (article,) = by_source[str(SOURCE["article-sensetime-genai-2023"])]
    assert int(article["value"].toPython()) == 100000
    assert set(str(article["parties"]).split(", ")) == {"Baidu", "Tencent", "Alibaba", "ByteDance"}
    assert (str(article["start"]), str(article["end"])) == ("2023-01-01", "2023-12-31")
    epoch = by_source[str(SOURCE["epoch-chip-owners"])]
    assert len(epoch) == 14
    q4_2023 = next(r for r in epoch if str(r["end"]) == "2023-12-31")
    assert (int(q4_2023["value"].toPython()), int(q4_2023["lower"].toPython()), int(q4_2023["upper"].toPython())) == (
        121421, 92871, 157504)
    assert str(q4_2023["parties"]) == "China"
    # China's A800s added during 2023 by Epoch's median, beside the article's ~100,000 ordered in 2023
    assert int(q4_2023["change_over_year"].toPython()) == 121421 - 28132
    assert all(str(r["support"]) in ("single source", "corroborated", "conflicting") for r in found)


def test_compare_claims_gpt4_training_chips(real_graph):
    found = {str(r["source"]): r for r in rows(real_graph, "compare-claims", about="GPT-4")}
    assert set(found) == {str(SOURCE["article-sensetime-genai-2023"]), str(SOURCE["epoch-ai-models"])}
    article = found[str(SOURCE["article-sensetime-genai-2023"])]
    epoch = found[str(SOURCE["epoch-ai-models"])]
    assert (int(article["lower"].toPython()), int(article["upper"].toPython())) == (10000, 25000)
    assert str(article["chip_label"]) == "NVIDIA A100"
    assert int(epoch["value"].toPython()) == 25000
    assert str(epoch["chip_label"]) == "NVIDIA A100 SXM4 40 GB"
    # 25,000 lies in the article's 10,000-25,000: the two claims corroborate each other
    assert str(article["support"]) == str(epoch["support"]) == "corroborated"


def test_article_facts_are_all_still_there(repo_built):
    with (REPO / "data" / "statements.csv").open(encoding="utf-8", newline="") as f:
        ids = {r["id"] for r in csv.DictReader(f)}
    built_ids = {s.id for s in repo_built.records.statements if s.source not in
                 {"epoch-ai-models", "epoch-ml-hardware", "epoch-hardware-prices", "epoch-chip-owners", "epoch-chip-owners-named"}}
    assert ids == built_ids


@pytest.mark.parametrize("entity, source", [
    ("InternLM", "epoch-ai-models"), ("GPT-4", "epoch-ai-models"), ("LLaMA2-70B", "epoch-ai-models"),
    ("Meta", "epoch-chip-owners"), ("China", "epoch-chip-owners"), ("NVIDIA", "epoch-ml-hardware"),
    ("A800", "epoch-chip-owners"), ("SenseTime", "epoch-ai-models"), ("Shanghai-AI-Lab", "epoch-ai-models"),
])
def test_article_entities_are_linked_to_epoch_claims(repo_built, entity, source):
    assert any(s.source == source and entity in (s.subject, s.object) for s in repo_built.records.statements)


def test_ranks_deprecate_a_claim_and_drop_its_edge(repo_built):
    (st,) = claims(repo_built, "InternLM", "releaseDate", "epoch-ai-models")
    assert st.rank == "deprecated" and "June 2023" in st.note
    edges = {(str(s), str(o)) for s, p, o, g in repo_built.quads if s == ID["InternLM"] and str(p).endswith("#releaseDate")}
    assert edges == {(str(ID["InternLM"]), "2023-06-01")}


def test_committed_reports_are_fresh(repo_project, repo_built):
    """exports/ rejected rows and resolution report are what `rivalgraph build` writes now."""
    from rivalgraph.pipeline import report_files

    for name, text in report_files(repo_built.log).items():
        assert (repo_project.exports_dir / name).read_text(encoding="utf-8") == text, \
            f"exports/{name} is stale: run `rivalgraph build` and commit exports/"
