"""Entity resolution: alias table, normalised names by kind, SKU -> family rules, fuzzy only reported."""

from __future__ import annotations

import pytest

from rivalgraph.ontology import load_schema
from rivalgraph.records import Entity
from rivalgraph.resolve import FamilyRule, Resolver, normalize, read_aliases, read_family_rules
from rivalgraph.sources.curated import read_curated

from .conftest import REPO


@pytest.fixture(scope="module")
def schema():
    return load_schema(REPO / "ontology" / "rivalgraph.ttl")


@pytest.fixture
def resolver(schema):
    records = read_curated(REPO / "data", REPO)
    return Resolver(schema, records.entities,
                    read_aliases(REPO / "data" / "aliases.csv", "data/aliases.csv"),
                    read_family_rules(REPO / "data" / "chip_families.csv", "data/chip_families.csv"))


def test_normalize_ignores_case_spaces_and_hyphens_but_not_plus_or_dots():
    assert normalize("Llama 2-70B") == normalize("LLaMA2-70B")
    assert normalize("Shanghai AI Lab") == normalize("shanghai-ai-lab")
    assert normalize("Command R+") != normalize("Command R")
    assert normalize("SenseChat 1.0") != normalize("SenseChat 10")
    assert normalize("上海人工智能实验室") == "上海人工智能实验室"


@pytest.mark.parametrize("name, kind, entity", [
    ("Meta AI", "organization", "Meta"),
    ("Meta", "owner", "Meta"),
    ("Shanghai AI Lab", "organization", "Shanghai-AI-Lab"),
    ("Shanghai AI Laboratory", "organization", "Shanghai-AI-Lab"),
    ("上海人工智能实验室", "organization", "Shanghai-AI-Lab"),
    ("SenseTime", "organization", "SenseTime"),
    ("商汤", "organization", "SenseTime"),
    ("Nvidia", "organization", "NVIDIA"),
    ("China", "owner", "China"),
    ("Llama 2-70B", "model", "LLaMA2-70B"),
    ("InternLM", "model", "InternLM"),
    ("H100/H200", "chip-family", "H100-H200"),
    ("A800", "chip-family", "A800"),
])
def test_known_names_resolve(resolver, name, kind, entity):
    assert resolver.lookup(name, kind)[0] == entity


def test_kinds_keep_things_apart(resolver):
    # the A100 family is not a SKU, and a model name never resolves to an organization
    assert resolver.lookup("NVIDIA A100", "chip")[0] is None
    assert resolver.lookup("NVIDIA A100", "chip-family")[0] == "A100"
    assert resolver.lookup("SenseTime", "model")[0] is None
    assert resolver.lookup("Intel A100", "chip-family")[0] is None


@pytest.mark.parametrize("sku, family", [
    ("NVIDIA A100 SXM4 80 GB", "A100"), ("NVIDIA A100", "A100"), ("NVIDIA A100 PCIe", "A100"),
    ("NVIDIA A800 PCIe 40 GB", "A800"), ("NVIDIA A800 SXM", "A800"),
    ("NVIDIA H100 SXM5 80GB", "H100"), ("NVIDIA H200 SXM", "H200"), ("NVIDIA H20", "H20"),
    ("NVIDIA H800 PCIe", "H800"), ("NVIDIA Tesla V100 DGXS 32 GB", "V100"),
    ("Intel A100", None), ("NVIDIA RTX A1000", None), ("NVIDIA GRID A100A", None), ("NVIDIA A10G", None),
])
def test_sku_family_rules(resolver, sku, family):
    assert resolver.family_of(sku) == family


def test_h100_and_h200_skus_are_also_in_the_group(resolver):
    assert resolver.families_of("NVIDIA H100 SXM5 80GB") == ["H100", "H100-H200"]
    assert resolver.families_of("NVIDIA H200 SXM") == ["H200", "H100-H200"]
    assert resolver.families_of("NVIDIA H20") == ["H20"]
    assert resolver.families_of("NVIDIA GH200") == []


def test_two_candidates_are_ambiguous_not_merged(schema):
    a = Entity("Acme-Labs", ("Organization",), "Acme Labs", "Acme Labs")
    b = Entity("ACME-LABS-2", ("Organization",), "ACME LABS", "ACME LABS", source="other")
    r = Resolver(schema, [a, b])
    eid, how, candidates = r.lookup("acme  labs", "organization")
    assert eid is None and how == "ambiguous" and candidates == ["ACME-LABS-2", "Acme-Labs"]
    assert r.lookup("Acme Labs", "organization")[0] == "Acme-Labs"  # the exact spelling decides


def test_fuzzy_candidates_are_reported_never_merged(schema):
    curated = Entity("Llama-2-70B", ("Model",), "Llama 2 70B", "Llama 2 70B")
    r = Resolver(schema, [curated])
    new = Entity("Llama-2-7B", ("Model",), "Llama 2 7B", "Llama 2 7B", source="epoch")
    r.add(new)
    assert r.lookup("Llama 2 7B", "model")[0] == "Llama-2-7B"
    fuzzy = r.fuzzy_candidates()
    assert [(f["entity"], f["similar_entity"]) for f in fuzzy] == [("Llama-2-7B", "Llama-2-70B")]


def test_minted_ids_never_collide(schema):
    r = Resolver(schema, [Entity("SenseChat", ("ModelFamily",), "SenseChat", "商量")])
    assert r.mint("SenseChat", "model") == "SenseChat-model"
    assert r.mint("DeepLabV3+", "model") == "DeepLabV3"
    assert r.mint("上海", "organization").startswith("org-")


def test_alias_table_must_point_at_entities(schema, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,entity,kind,note\nFoo,No-Such-Entity,organization,\n", encoding="utf-8")
    r = Resolver(schema, [], read_aliases(path, "data/aliases.csv"), [FamilyRule("^X", "Nope")])
    messages = [str(p) for p in r.problems_in_tables()]
    assert any("No-Such-Entity" in m for m in messages) and any("Nope" in m for m in messages)
