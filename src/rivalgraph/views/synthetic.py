"""Synthetic landscapes of any size, for the views benchmark and tests (no graph needed).

A seeded generator: vendors make chips, organizations hold chips, develop
models, and models are evaluated on benchmarks, with a long-tailed degree
distribution like the real industry's.
"""

from __future__ import annotations

import random

from .data import Claim, Entity, GraphData, Source

XSS = '<img src=x onerror="window.__xss=1;alert(1)">'


def synthetic_data(nodes: int, *, seed: int = 1, hostile: bool = True) -> GraphData:
    """About ``nodes`` entities (orders and evaluations folded away) and ~2 links per entity."""
    rng = random.Random(seed)
    data = GraphData()
    data.sources = {"synthetic": Source("synthetic", "Dataset", "Synthetic data", "合成数据", "2024-01-01")}
    data.property_labels = {p: (p, p) for p in ("developer", "manufacturer", "baseModel", "trainingHardware",
                                                "buyer", "owner", "heldChip", "quantity", "evaluatedModel",
                                                "benchmark", "score")}
    n_vendor = max(2, nodes // 100)
    n_chip = max(3, nodes // 20)
    n_bench = max(2, nodes // 50)
    n_org = max(3, nodes // 4)
    n_model = max(1, nodes - n_vendor - n_chip - n_bench - n_org)
    kinds = [("vendor", n_vendor, ("Organization", "ChipVendor")), ("chip", n_chip, ("ChipFamily",)),
             ("bench", n_bench, ("Benchmark",)), ("org", n_org, ("Organization", "ModelDeveloper")),
             ("model", n_model, ("Model",))]
    ids: dict[str, list[str]] = {}
    for kind, count, classes in kinds:
        ids[kind] = []
        for i in range(count):
            eid = f"{kind}-{i}"
            label = f"{kind.title()} {i}"
            if hostile and i == 0:
                label = XSS
            data.entities[eid] = Entity(eid, classes, label, f"{kind}{i}号", (f"{kind}{i}",), f"synthetic {kind}")
            ids[kind].append(eid)
    counter = 0

    def claim(s, p, o=None, value=None):
        nonlocal counter
        counter += 1
        c = Claim(f"st{counter}", s, p, o, value, float(value) if value else None, source="synthetic",
                  quote=f"{XSS} claim {counter}" if hostile and counter < 5 else None, as_of="2024-01-01")
        (data.edges if o else data.facts).append(c)

    def pick(kind):  # preferential: low indexes are hubs
        return ids[kind][min(int(rng.paretovariate(1.2)) - 1, len(ids[kind]) - 1)]

    for chip in ids["chip"]:
        claim(chip, "manufacturer", pick("vendor"))
    for model in ids["model"]:
        claim(model, "developer", pick("org"))
        if rng.random() < 0.4:
            claim(model, "trainingHardware", pick("chip"))
        if rng.random() < 0.3:
            claim(model, "baseModel", pick("model"))
        if rng.random() < 0.3:
            claim(model, "benchmark", pick("bench"))
    for org in ids["org"]:
        claim(org, "owner", pick("chip"))
    data.edges = [c for c in data.edges if c.subject != c.object]
    data.triples = 10 * counter
    return data
