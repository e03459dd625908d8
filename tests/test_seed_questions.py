"""The first questions of the seed article, answered on the real graph."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rivalgraph.errors import UnknownEntity
from rivalgraph.vocab import ID, SOURCE

ARTICLE = SOURCE["article-sensetime-genai-2023"]


def rows(graph, name, **params):
    result = graph.query(name, params)
    return [dict(zip(result.variables, row)) for row in result.rows]


def test_chips_made_for_china(real_graph):
    found = rows(real_graph, "china-export-chips")
    assert {r["chip"] for r in found} == {ID.A800, ID.H100, ID.H800}
    assert all(r["source"] == ARTICLE and "代替A100向中国出口" in str(r["quote"]) for r in found)
    h100 = next(r for r in found if r["chip"] == ID.H100)
    assert "not a China export variant" in str(h100["note"])


def test_a800_orders_in_2023(real_graph):
    found = rows(real_graph, "chip-orders", chip="A800", supplier="英伟达", **{"from": "2023-01-01", "to": "2023-12-31"})
    assert len(found) == 1
    order = found[0]
    assert set(str(order["buyers"]).split(", ")) == {"Baidu", "Tencent", "Alibaba", "ByteDance"}
    assert order["quantity"].toPython() == Decimal(100000)
    assert order["value"].toPython() == Decimal(1000000000)
    assert str(order["currency"]) == "US dollars"
    assert order["source"] == ARTICLE
    assert rows(real_graph, "chip-orders", chip="A800", **{"from": "2024-01-01"}) == []


def test_sensecore_history(real_graph):
    found = rows(real_graph, "cluster-compute-history", cluster="大装置")
    gpus = [(str(r["date"]), int(r["value"].toPython())) for r in found if str(r["metric"]) == "GPU count"]
    assert gpus == [("2023-03-31", 27000), ("2023-06-30", 30000)]
    compute = [r for r in found if str(r["metric"]) == "compute capacity"]
    assert [(int(r["value"].toPython()), str(r["unit"])) for r in compute] == [(6, "ExaFLOPS")]
    assert all(r["source"] == ARTICLE and r["quote"] for r in found)


def test_sensetime_2023_releases_in_order(real_graph):
    found = rows(real_graph, "model-releases", org="SenseTime", **{"from": "2023-01-01", "to": "2023-12-31"})
    assert [str(r["model"])[len(str(ID)):] for r in found] == ["SenseChat-1.0", "InternLM", "SenseChat-2.0", "InternLM-123B"]
    internlm = found[1]
    assert str(internlm["partners"]) == "Shanghai AI Laboratory"
    zh = rows(real_graph, "model-releases", org="商汤", lang="zh", **{"from": "2023-06-01", "to": "2023-06-30"})
    assert str(zh[0]["partners"]) == "上海人工智能实验室"


def test_internlm_123b_wins(real_graph):
    found = rows(real_graph, "benchmark-wins", model="InternLM-123B")
    assert {str(r["beaten"])[len(str(ID)):] for r in found} == {"GPT-3.5-turbo", "LLaMA2-70B"}
    for r in found:
        assert set(str(r["benchmarks"]).split(", ")) == {"MMLU", "AGIEval", "ARC", "C-Eval", "RACE", "GSM8K"}
        assert int(r["overall_rank"].toPython()) == 2
        assert int(r["benchmark_count"].toPython()) == 51
        assert r["source"] == ARTICLE
    llama = next(r for r in found if str(r["beaten"]).endswith("LLaMA2-70B"))
    assert str(llama["beaten_developer"]) == "Meta"


def test_products(real_graph):
    found = rows(real_graph, "products", org="SenseTime")
    got = {(str(r["name_zh"]), str(r["name_en"]), str(r["domain_en"])) for r in found}
    assert got == {
        ("商量", "SenseChat", "natural-language interaction"),
        ("秒画", "SenseMirage", "AI text-to-image"),
        ("如影", "SenseAvatar", "digital humans"),
        ("琼宇", "SenseSpace", "3D large-scene reconstruction"),
        ("格物", "SenseThings", "3D small-object generation"),
    }


def test_everything_about_one_entity(real_graph):
    found = rows(real_graph, "entity-facts", entity="SenseCore")
    assert len(found) >= 8
    assert all(r["source"] and (r["quote"] or r["locator"]) for r in found)
    assert any(str(r["direction"]) == "out" and str(r["property"]) == "GPU count" for r in found)


def test_gpus_per_model_line(real_graph):
    found = rows(real_graph, "gpus-per-model-line", org="SenseTime")
    assert [(str(r["model_line"])[len(str(ID)):], int(r["gpus"].toPython()), str(r["qualifier"])) for r in found] == [
        ("SenseChat", 10000, "at least"),
        ("SenseTime-text-to-image", 2000, "approximately"),
    ]


def test_unknown_entity_is_an_error(real_graph):
    with pytest.raises(UnknownEntity, match="no entity has the id, label or alias 'Nvidiaa'"):
        real_graph.query("chip-orders", {"supplier": "Nvidiaa"})
