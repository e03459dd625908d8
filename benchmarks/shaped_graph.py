"""Deterministic graphs shaped like the real rivalgraph graph, at any size, for the benchmark.

Made-up organizations, chip vendors, chip families and variants (some of them
export variants), models with developers, release dates, sizes, training
compute and hardware, benchmark evaluations, chip holdings estimated every half
year with bounds, chip orders, products and clusters, stated by three
datasets that sometimes agree and sometimes conflict. The records go through
rivalgraph's own builder (statement nodes, direct edges, events, roles,
support), so the graph has exactly the real one's shape; only the size differs.

    from shaped_graph import generate
    nq_path, params = generate(100_000, Path("benchmarks/out"))
"""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

from rivalgraph.build import build_quads
from rivalgraph.ontology import load_schema
from rivalgraph.rdfio import term_nt
from rivalgraph.records import DateValue, Entity, Records, Source, Statement

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("tracker", "survey", "news")
TRIPLES_PER_MODEL = 249  # measured; used to pick the number of models for a target size
HALF_YEARS = [(dt.date(y, m, 1), dt.date(y, m + 5, 30 if m == 1 else 31)) for y in range(2021, 2025) for m in (1, 7)]


def day(d: dt.date) -> DateValue:
    return DateValue(d, "day")


class _Maker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.records = Records(sources=[
            Source(id=s, type="Dataset", title=f"{s} dataset", title_en=f"{s} dataset", language="en") for s in SOURCES
        ])
        self.n = 0

    def entity(self, id_: str, types: str, en: str, zh: str, alias: str = "") -> str:
        self.records.entities.append(Entity(id=id_, types=tuple(types.split(";")), label_en=en, label_zh=zh,
                                            aliases_en=(alias,) if alias else ()))
        return id_

    def fact(self, subject: str, predicate: str, *, obj: str = "", value=None, source: str = "tracker", **kw) -> None:
        self.n += 1
        self.records.statements.append(Statement(
            id=f"s{self.n}", subject=subject, predicate=predicate, source=source, object=obj, value=value,
            locator=f"row {self.n}", **kw))


def make_records(models: int, seed: int = 7) -> tuple[Records, dict[str, dict[str, str]]]:
    """Records for a graph with ``models`` models (and everything in proportion)."""
    m = _Maker(seed)
    rng = m.rng
    n_orgs = max(6, models // 8)
    n_vendors = max(2, n_orgs // 50)
    n_benchmarks = max(3, min(40, models // 50))
    regions = [m.entity(r, "Region", r, z) for r, z in (("China", "中国"), ("US", "美国"), ("EU", "欧盟"), ("India", "印度"))]
    vendors = [m.entity(f"vendor-{i:02d}", "Organization;ChipVendor", f"Vendor {i}", f"芯片厂商{i}") for i in range(n_vendors)]
    orgs = [m.entity(f"org-{i:04d}", "Organization", f"Org {i}", f"组织{i}", alias=f"Organization {i}") for i in range(n_orgs)]
    weights = [1 / (i + 1) for i in range(n_orgs)]  # a few big developers, a long tail
    benchmarks = [m.entity(f"bench-{i:02d}", "Benchmark", f"Benchmark {i}", f"评测集{i}") for i in range(n_benchmarks)]

    families, variants = [], []
    for v_i, vendor in enumerate(vendors):
        own = []
        for j in range(4):
            fam = m.entity(f"fam-{v_i:02d}-{j}", "ChipFamily", f"Chip {v_i}-{j}", f"芯片{v_i}-{j}")
            m.fact(fam, "manufacturer", obj=vendor)
            m.fact(fam, "releaseDate", value=day(dt.date(2019 + j, 1 + v_i % 12, 15)))
            m.fact(fam, "peakFlops", value=Decimal(10 ** 14 * (j + 1)), unit="FLOPS")
            m.fact(fam, "priceUSD", value=Decimal(10000 * (j + 1)), unit="USD")
            if j >= 2:  # the newer families have a China export variant of an older one
                m.fact(fam, "exportSubstituteFor", obj=own[0])
                m.fact(fam, "exportMarket", obj="China")
            own.append(fam)
            for k in range(2):
                var = m.entity(f"{fam}-v{k}", "ChipVariant", f"Chip {v_i}-{j} SKU {k}", f"芯片{v_i}-{j}型号{k}")
                m.fact(var, "variantOf", obj=fam)
                m.fact(var, "manufacturer", obj=vendor)
                variants.append(var)
        families += own

    model_ids = []
    for i in range(models):
        mid = m.entity(f"model-{i:05d}", "Model", f"Model {i}", f"模型{i}")
        model_ids.append(mid)
        dev = rng.choices(orgs, weights)[0]
        m.fact(mid, "developer", obj=dev)
        if rng.random() < 0.1:
            m.fact(mid, "developer", obj=rng.choice(orgs))
        release = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 7 * 365))
        m.fact(mid, "releaseDate", value=day(release))
        params = Decimal(rng.choice((7, 13, 34, 70, 180, 400))) * 10 ** 9
        m.fact(mid, "parameterCount", value=params, unit="parameter")
        roll = rng.random()
        if roll < 0.05:
            m.fact(mid, "parameterCount", value=params * 3, unit="parameter", source="survey")  # conflicting
        elif roll < 0.10:
            m.fact(mid, "parameterCount", value=params, unit="parameter", source="news")  # corroborating
        m.fact(mid, "trainingCompute", value=Decimal(rng.randrange(1, 500)) * 10 ** 22, unit="FLOP")
        m.fact(mid, "trainingHardware", obj=rng.choice(variants))
        m.fact(mid, "trainingChipCount", value=Decimal(rng.randrange(1, 50) * 512), unit="chip")
        for j, bench in enumerate(rng.sample(benchmarks, 3)):
            ev = m.entity(f"eval-{i:05d}-{j}", "Evaluation", f"Model {i} on benchmark", f"模型{i}评测")
            m.fact(ev, "evaluatedModel", obj=mid)
            m.fact(ev, "benchmark", obj=bench)
            m.fact(ev, "score", value=Decimal(rng.randrange(200, 1000)) / 10, unit="percent",
                   as_of=day(release + dt.timedelta(days=30)))
        if i > 0 and rng.random() < 0.1:
            m.fact(mid, "outperforms", obj=model_ids[rng.randrange(0, i)])

    for o_i, org in enumerate(orgs):
        for h in range(2):
            hold = m.entity(f"hold-{o_i:04d}-{h}", "ChipHolding", f"Org {o_i} chips {h}", f"组织{o_i}芯片{h}")
            chip = families[(o_i + h) % len(families)]
            m.fact(hold, "owner", obj=org)
            m.fact(hold, "heldChip", obj=chip)
            qty = rng.randrange(500, 5000)
            for start, end in HALF_YEARS:
                qty = int(qty * (1 + rng.random() / 2))
                m.fact(hold, "quantity", value=Decimal(qty), unit="chip", lower=Decimal(qty * 8 // 10),
                       upper=Decimal(qty * 12 // 10), qualifiers=("Estimate",), start=day(start), end=day(end))
                m.fact(hold, "computeH100e", value=Decimal(qty // 2), unit="H100e", start=day(start), end=day(end))
        if o_i % 2 == 0:
            prod = m.entity(f"product-{o_i:04d}", "Product", f"Org {o_i} assistant", f"组织{o_i}助手")
            m.fact(org, "offers", obj=prod)
            m.fact(prod, "developer", obj=org)
        if o_i % 4 == 0:
            order = m.entity(f"order-{o_i:04d}", "ChipOrder", f"Order {o_i}", f"订单{o_i}")
            for buyer in {org, rng.choice(orgs)}:
                m.fact(order, "buyer", obj=buyer)
            m.fact(order, "supplier", obj=vendors[o_i % len(vendors)])
            m.fact(order, "orderedChip", obj=families[o_i % len(families)])
            year = 2021 + o_i % 4
            m.fact(order, "quantity", value=Decimal(rng.randrange(1, 100) * 1000), unit="chip",
                   start=DateValue(dt.date(year, 1, 1), "year"), end=DateValue(dt.date(year, 12, 31), "year"))
        if o_i % 10 == 0:
            cl = m.entity(f"cluster-{o_i:04d}", "ComputeCluster", f"Org {o_i} cluster", f"组织{o_i}集群")
            m.fact(cl, "operator", obj=org)
            for q, (_, end) in enumerate(HALF_YEARS[::2]):
                m.fact(cl, "gpuCount", value=Decimal(1000 * (q + 1)), unit="GPU", as_of=day(end))
            m.fact(cl, "computeCapacity", value=Decimal(o_i + 1), unit="ExaFLOPS", as_of=day(HALF_YEARS[-1][1]))

    for i in range(0, models, 10):
        m.fact(model_ids[i], "gpusDevoted", value=Decimal(1000), unit="GPU")

    hub, rival = orgs[0], orgs[1]
    winner = next(s.subject for s in m.records.statements if s.predicate == "outperforms")
    params = {
        "benchmark-wins": {"model": winner},
        "china-export-chips": {"vendor": vendors[0], "replaced": families[0]},
        "chip-orders": {"chip": families[0], "supplier": vendors[0]},
        "cluster-compute-history": {"cluster": "cluster-0000"},
        "entity-facts": {"entity": hub},
        "gpus-per-model-line": {"org": hub},
        "model-releases": {"org": hub},
        "products": {"org": hub},
        "leaderboard": {"benchmark": benchmarks[0]},
        "chips-by-vendor": {"vendor": vendors[0]},
        "chip-buyers": {"supplier": vendors[0]},
        "latest-value": {"entity": "hold-0000-0", "property": "quantity", "as_of": "2023-12-31"},
        "single-source-facts": {"entity": hub},
        "org-profile": {"org": hub},
        "compare-orgs": {"org": hub, "rival": rival},
        "connecting-paths": {"entity": hub, "other": rival},
    }
    return m.records, params


def generate(triples: int, folder: Path, seed: int = 7) -> tuple[Path, dict, int]:
    """An N-Quads file of about ``triples`` triples (cached), its query parameters, and its quad count."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"graph-{triples}-seed{seed}"
    nq, meta = stem.with_suffix(".nq"), stem.with_suffix(".json")
    if nq.is_file() and meta.is_file():
        info = json.loads(meta.read_text())
        return nq, info["params"], info["quads"]
    schema = load_schema(REPO / "ontology" / "rivalgraph.ttl")
    records, params = make_records(max(4, (triples - 1500) // TRIPLES_PER_MODEL), seed)
    quads = set(build_quads(records, schema))
    with nq.open("w", encoding="utf-8") as out:
        for s, p, o, g in quads:
            out.write(f"{term_nt(s)} {term_nt(p)} {term_nt(o)} {term_nt(g)} .\n")
    meta.write_text(json.dumps({"params": params, "quads": len(quads)}, indent=1))
    return nq, params, len(quads)
