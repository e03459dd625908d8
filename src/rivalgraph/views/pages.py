"""Page view-models: leaderboard, compute over time, timeline, index. Plain rows, no markup."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .data import Claim, GraphData
from .text import GROUP_LABELS, group_of, is_organization, number_text, shorten, value_text


@dataclass
class Cite:
    """A value with where it comes from, as one table cell shows it."""

    text: str
    source: str = ""
    date: str = ""
    quote: str = ""
    number: float | None = None
    best: bool = False


def cite(c: Claim, data: GraphData, text: str | None = None) -> Cite:
    src = data.source_label(c.source)
    if c.according_to:
        src += f" (according to {data.source_label(c.according_to)})"
    return Cite(text if text is not None else value_text(c), src, c.date or "", shorten(c.quote), c.number)


# -- leaderboard ------------------------------------------------------------------

@dataclass
class LeaderRow:
    model: str
    label: str
    developers: str
    cells: list[list[Cite]]  # one list per benchmark column
    rank: list[Cite] = field(default_factory=list)
    compared: str = ""
    scored: int = 0


@dataclass
class Leaderboard:
    benchmarks: list[tuple[str, str]]  # (id, label)
    rows: list[LeaderRow]
    note: str = ""


def leaderboard(data: GraphData, max_benchmarks: int = 40, max_models: int = 500) -> Leaderboard:
    """Models x benchmarks: a score (or 'evaluated') per cell, each with its source."""
    ents = data.entities
    by_subject = data.edges_by_subject()
    facts = data.facts_by_subject()
    cells: dict[tuple[str, str], list[Cite]] = defaultdict(list)
    ranks: dict[str, list[Cite]] = defaultdict(list)
    compared: dict[str, set[str]] = defaultdict(set)
    benchmarks: set[str] = set()
    for eid, e in ents.items():
        if "Evaluation" not in e.classes:
            continue
        out = defaultdict(list)
        for c in by_subject.get(eid, ()):
            out[c.property].append(c)
        fs = facts.get(eid, [])
        scores = [f for f in fs if f.property == "score"]
        for m in out.get("evaluatedModel", []):
            for f in fs:
                if f.property == "overallRank":
                    ranks[m.object].append(cite(f, data, f"#{number_text(f.value)}"))
            for x in out.get("comparedWith", []):
                compared[m.object].add(x.object)
            for b in out.get("benchmark", []):
                benchmarks.add(b.object)
                if scores:
                    cells[(m.object, b.object)] += [cite(s, data) for s in scores]
                else:
                    cells[(m.object, b.object)].append(cite(b, data, "evaluated"))
    notes = []
    if len(benchmarks) > max_benchmarks:  # keep the benchmarks most models were evaluated on
        used = defaultdict(int)
        for _, b in cells:
            used[b] += 1
        notes.append(f"the {max_benchmarks} most used of {len(benchmarks)} benchmarks")
        benchmarks = set(sorted(benchmarks, key=lambda b: (-used[b], b))[:max_benchmarks])
    bench = sorted(benchmarks, key=lambda b: (ents[b].label.lower(), b))
    for b in bench:  # mark the best score of each column
        scored = [c for (m, bb), cs in cells.items() if bb == b for c in cs if c.number is not None]
        if scored:
            top = max(c.number for c in scored)
            for c in scored:
                c.best = c.number == top
    models = {m for m, _ in cells} | set(ranks)
    developers = defaultdict(list)
    for c in data.edges:
        if c.property == "developer" and c.subject in models:
            developers[c.subject].append(ents[c.object].display() if c.object in ents else c.object)
    rows = []
    for m in models:
        row_cells = [cells.get((m, b), []) for b in bench]
        nums = [c.number for cs in row_cells for c in cs if c.number is not None]
        rows.append(LeaderRow(m, ents[m].display(), ", ".join(sorted(set(developers[m]))), row_cells, ranks[m],
                              ", ".join(sorted(ents[x].display() for x in compared[m] if x in ents)), len(nums)))
    rows.sort(key=lambda r: (-r.scored, min((c.number for c in r.rank if c.number is not None), default=1e9),
                             r.label.lower()))
    if len(rows) > max_models:
        notes.append(f"the first {max_models} of {len(rows)} models")
        rows = rows[:max_models]
    note = ("Showing " + " and ".join(notes) + ".") if notes else ""
    return Leaderboard([(b, ents[b].display()) for b in bench], rows, note)


# -- compute over time ------------------------------------------------------------

COMPUTE_PROPERTIES = ("gpuCount", "computeCapacity", "computeH100e", "quantity", "parallelTrainingScale")


@dataclass
class Point:
    date: str
    value: float
    cites: list[Cite]


@dataclass
class Series:
    key: str
    label: str
    points: list[Point]


@dataclass
class Metric:
    title: str
    unit: str
    series: list[Series]
    note: str = ""


def compute_over_time(data: GraphData, max_series: int = 12) -> list[Metric]:
    """Per organization, the compute it runs or holds at each reported date, one chart per metric."""
    ents = data.entities
    owners: dict[str, set[str]] = defaultdict(set)  # cluster / holding -> organizations
    for c in data.edges:
        if c.property in ("operator", "owner") and c.object in ents:
            owners[c.subject].add(c.object)
    # (metric title, unit) -> org -> date -> subject -> claim
    found: dict[tuple[str, str], dict[str, dict[str, dict[str, Claim]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(dict)))
    for f in data.facts:
        if f.property not in COMPUTE_PROPERTIES or f.number is None or not f.date or f.subject not in ents:
            continue
        e = ents[f.subject]
        if f.property == "quantity" and "ChipHolding" not in e.classes:
            continue
        orgs = {f.subject} if is_organization(e) else owners.get(f.subject, set())
        title = "chips held" if f.property == "quantity" else data.property_label(f.property)
        for org in orgs:
            slot = found[(title, f.unit or "")][org][f.date]
            if f.subject not in slot or f.rank == "preferred":
                slot[f.subject] = f
    metrics = []
    for (title, unit), per_org in sorted(found.items()):
        series = []
        for org, dates in per_org.items():
            points = [Point(d, sum(c.number for c in subj.values()),
                            [cite(c, data, f"{ents[c.subject].display()}: {value_text(c)}") for c in subj.values()])
                      for d, subj in sorted(dates.items())]
            series.append(Series(org, ents[org].display(), points))
        series.sort(key=lambda s: (-s.points[-1].value, s.key))
        note = ""
        if len(series) > max_series:
            note = f"The {max_series} largest of {len(series)} organizations (by latest value)."
            series = series[:max_series]
        metrics.append(Metric(title, unit, series, note))
    return metrics


# -- timeline ---------------------------------------------------------------------

@dataclass
class TimelineItem:
    date: str
    precision: str
    kind: str
    label: str
    subject: str
    group: str
    participants: str
    source: str
    quote: str


def timeline(data: GraphData) -> list[TimelineItem]:
    """Releases, finished training runs and launches, oldest first."""
    ents = data.entities
    kinds = {"ReleaseEvent": "release / 发布", "TrainingCompletedEvent": "training finished / 完成训练",
             "LaunchEvent": "launch / 启用"}
    items = []
    for ev in data.events:
        subj = ents.get(ev.subject)
        label = " / ".join(x for x in (ev.label_en, ev.label_zh) if x) or ev.id
        date = ev.date[:4] if ev.precision == "YearPrecision" else ev.date[:7] if ev.precision == "MonthPrecision" else ev.date
        items.append(TimelineItem(date, ev.precision, kinds.get(ev.kind, ev.kind), label,
                                  subj.display() if subj else ev.subject, group_of(subj.classes) if subj else "other",
                                  ", ".join(ents[p].display() for p in ev.participants if p in ents),
                                  data.source_label(ev.source), shorten(ev.quote)))
    return items


# -- index ------------------------------------------------------------------------

@dataclass
class IndexPage:
    build_date: str
    triples: int
    entities: int
    claims: int
    by_group: list[tuple[str, str, int]]
    sources: list[dict]
    views: list[tuple[str, str, str]]  # (href, title, description)
    pages: list[tuple[str, str, str]]
    egos: list[tuple[str, str]]  # (href, label)


def index_page(data: GraphData, build_date: str, views, pages, egos) -> IndexPage:
    counts: dict[str, int] = defaultdict(int)
    for e in data.entities.values():
        counts[group_of(e.classes)] += 1
    by_group = [(GROUP_LABELS[k][0], GROUP_LABELS[k][1], counts[k]) for k in GROUP_LABELS if counts.get(k)]
    sources = [{"id": s.id, "label": s.label, "title": s.title, "date": s.date, "kind": s.kind,
                "publisher": data.entities[s.publisher].display() if s.publisher in data.entities else (s.publisher or ""),
                "licence": s.licence or "", "locator": s.locator or "", "statements": s.statements}
               for s in sorted(data.sources.values(), key=lambda s: s.id)]
    return IndexPage(build_date, data.triples, len(data.entities), len(data.edges) + len(data.facts), by_group,
                     sources, list(views), list(pages), list(egos))
