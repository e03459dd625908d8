"""Plain-text pieces shared by the view-models: numbers, claims, tooltips, groups.

Everything here returns text, never markup: the templates escape it where it
lands, and vis-network shows string tooltips as text.
"""

from __future__ import annotations

from .data import Claim, Entity, GraphData

#: Entity groups for colour, shape, legend and the type filter, most specific first.
#: (key, English label, Chinese label, rivalgraph classes)
GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("model", "model", "模型", ("Model",)),
    ("model-family", "model family", "模型系列", ("ModelFamily",)),
    ("chip", "chip", "芯片", ("ChipFamily", "ChipVariant", "Chip")),
    ("compute", "compute cluster or data center", "算力集群/数据中心", ("ComputeCluster", "DataCenter")),
    ("benchmark", "benchmark", "评测集", ("Benchmark",)),
    ("evaluation", "evaluation", "评测", ("Evaluation",)),
    ("deal", "chip order or holding", "芯片订单/保有量", ("ChipOrder", "ChipHolding")),
    ("vendor", "chip vendor", "芯片厂商", ("ChipVendor",)),
    ("developer", "model developer", "模型开发者", ("ModelDeveloper", "ResearchLab")),
    ("buyer", "chip buyer", "芯片买家", ("ChipBuyer",)),
    ("organization", "other organization", "其他组织", ("Organization", "Publisher")),
    ("product", "product or service", "产品/服务", ("Product", "Service")),
    ("region", "region", "地区", ("Region",)),
    ("business", "business line", "业务线", ("BusinessLine",)),
    ("domain", "application domain", "应用领域", ("ApplicationDomain",)),
    ("other", "other", "其他", ()),
)
GROUP_LABELS = {key: (en, zh) for key, en, zh, _ in GROUPS}
ORGANIZATION_GROUPS = ("vendor", "developer", "buyer", "organization")
NARY_CLASSES = ("ChipOrder", "ChipHolding", "Evaluation")
MAX_TOOLTIP_FACTS = 12
MAX_QUOTE = 240


def group_of(classes) -> str:
    cls = set(classes)
    for key, _, _, members in GROUPS:
        if cls & set(members):
            return key
    return "other"


def is_nary(entity: Entity | None) -> bool:
    return entity is not None and any(c in NARY_CLASSES for c in entity.classes)


def is_organization(entity: Entity | None) -> bool:
    return entity is not None and group_of(entity.classes) in ORGANIZATION_GROUPS


def number_text(value: str | None) -> str:
    """``"100000"`` -> ``"100,000"``; ``"6.50"`` -> ``"6.5"``; text stays as it is."""
    if value is None:
        return ""
    try:
        x = float(value)
    except ValueError:
        return value
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 1e6 or abs(x) < 1e-3:
        return f"{x:.3g}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def value_text(c: Claim) -> str:
    """A fact's value as an analyst reads it: qualifiers, number, bounds, unit."""
    parts = []
    if c.qualifiers:
        parts.append(", ".join(c.qualifiers))
    v = number_text(c.value)
    if c.lower or c.upper:
        v += f" [{number_text(c.lower) or '?'} – {number_text(c.upper) or '?'}]"
    parts.append(v)
    if c.unit:
        parts.append(c.unit)
    return " ".join(p for p in parts if p)


def shorten(text: str | None, limit: int = MAX_QUOTE) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def provenance_lines(c: Claim, data: GraphData, indent: str = "  ") -> list[str]:
    """Where a claim comes from: period, source (and whom it cites), quote, note."""
    lines = []
    if c.period():
        lines.append(f"{indent}{c.period()}")
    src = f"{indent}source: {data.source_label(c.source)}"
    if c.according_to:
        src += f" (according to {data.source_label(c.according_to)})"
    lines.append(src)
    if c.quote:
        lines.append(f"{indent}“{shorten(c.quote)}”")
    if c.note:
        lines.append(f"{indent}note: {shorten(c.note)}")
    return lines


def fact_lines(c: Claim, data: GraphData) -> list[str]:
    return [f"• {data.property_label(c.property)}: {value_text(c)}"] + provenance_lines(c, data)


def entity_tooltip(e: Entity, data: GraphData, facts: list[Claim]) -> str:
    lines = [e.display()]
    en, zh = GROUP_LABELS[group_of(e.classes)]
    lines.append(f"{en} / {zh}  ·  id: {e.id}")
    if e.aliases:
        lines.append("also: " + ", ".join(e.aliases[:8]))
    if e.description:
        lines.append(e.description)
    shown = sorted(facts, key=lambda c: (c.property, c.date or "", c.statement))[:MAX_TOOLTIP_FACTS]
    if shown:
        lines.append("")
    for c in shown:
        lines += fact_lines(c, data)
    if len(facts) > len(shown):
        lines.append(f"… and {len(facts) - len(shown)} more claims")
    return "\n".join(lines)


def claim_edge_lines(c: Claim, data: GraphData) -> list[str]:
    head = f"• {data.property_label(c.property)}"
    if c.value is not None:
        head += f": {value_text(c)}"
    return [head] + provenance_lines(c, data)
