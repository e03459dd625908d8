"""The main job: read the inputs, check them, build the graph, write exports and the store.

Nothing is written until everything has been read and checked; exports are
written to a staging folder and moved into place file by file, and the store
is built beside the old one and swapped in, so a failed build leaves the
previous exports and store as they were.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .build import build_quads
from .checks import check_records
from .ontology import Schema, load_schema
from .project import Project
from .errors import InputError, InputProblem
from .records import RANKS, Records
from .resolve import ResolutionReport, Resolver, read_aliases, read_family_rules
from .sources.curated import read_curated
from .sources.mapping import Reject, read_mapped
from .sources.tabular import read_rows
from .validate import ShaclReport, require_conformance, shacl_check, shacl_sample
from .vocab import graph_iri

HEADER = (
    "# rivalgraph export, written by `rivalgraph build` from ontology/ and data/.\n"
    "# Do not edit: change data/ and rebuild. Sources and their licences: see the\n"
    "# src: nodes (rg:licence) and data/README.md.\n"
)

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    triples: int = 0
    quads: int = 0
    statements_by_source: dict[str, int] = field(default_factory=dict)
    entities: int = 0
    rows_read: dict[str, int] = field(default_factory=dict)
    rows_rejected: dict[str, int] = field(default_factory=dict)
    cells_dropped: dict[str, int] = field(default_factory=dict)
    resolution: dict[str, int] = field(default_factory=dict)
    shacl: ShaclReport | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """The deterministic part of the report (no timings), as written to exports/."""
        return {
            "triples": self.triples,
            "quads": self.quads,
            "entities": self.entities,
            "statements_by_source": dict(sorted(self.statements_by_source.items())),
            "rows_read": dict(sorted(self.rows_read.items())),
            "rows_rejected": dict(sorted(self.rows_rejected.items())),
            "cells_dropped": dict(sorted(self.cells_dropped.items())),
            "resolution": self.resolution,
        }

    def fidelity_lines(self) -> list[str]:
        """One line per input file: rows in = rows in the graph + rows rejected."""
        return [f"{name}: {n} rows = {n - self.rows_rejected.get(name, 0)} in the graph + "
                f"{self.rows_rejected.get(name, 0)} rejected"
                + (f" ({self.cells_dropped[name]} cells dropped)" if self.cells_dropped.get(name) else "")
                for name, n in sorted(self.rows_read.items())]


def _quiet(_: str) -> None:
    pass


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class ImportLog:
    """What became of every input row: counts per file, rejected rows and cells, resolution."""

    rows_read: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    resolution: ResolutionReport = field(default_factory=ResolutionReport)

    def rows_rejected(self) -> dict[str, int]:
        out = {name: 0 for name in self.rows_read}
        for file, _row in {(r.file, r.row) for r in self.rejects if r.column is None}:
            out[file] = out.get(file, 0) + 1
        return out

    def cells_dropped(self) -> dict[str, int]:
        return dict(Counter(r.file for r in self.rejects if r.column is not None))

    def rejects_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["file", "row", "column", "value", "reason"])
        for r in sorted(self.rejects, key=lambda r: (r.file, r.row, r.column or "", r.reason)):
            w.writerow([r.file, r.row, r.column or "", r.value or "", r.reason])
        return out.getvalue()


RANK_COLUMNS = ["statement", "rank", "note"]


def apply_rank_overrides(records: Records, path, display: str) -> None:
    """``data/ranks.csv``: the analyst ranks any statement (curated or mapped) preferred or deprecated."""
    if not path.is_file():
        return
    by_id = {st.id: st for st in records.statements}
    problems = []
    for row in read_rows(path, display, RANK_COLUMNS, optional=[]):
        st = by_id.get(row.cells["statement"])
        if st is None:
            problems.append(row.problem("statement", "unknown statement id"))
        elif row.cells["rank"] not in RANKS:
            problems.append(row.problem("rank", f"must be one of {', '.join(RANKS)}"))
        else:
            st.rank = row.cells["rank"]
            if row.cells["note"]:
                st.note = f"{st.note}; {row.cells['note']}" if st.note else row.cells["note"]
    if problems:
        raise InputError(problems)


def read_all(project: Project, schema: Schema, progress: Progress = _quiet) -> tuple[Records, ImportLog]:
    """Read every input (curated files and mapped sources), resolve entities, check everything."""
    log = ImportLog()
    data = project.data_dir
    records = read_curated(data, project.root)
    progress(f"read curated data: {len(records.entities)} entities, {len(records.statements)} statements")
    for name, items in (("sources.csv", records.sources), ("entities.csv", records.entities),
                        ("statements.csv", records.statements)):
        log.rows_read[project.relative(data / name)] = len(items)
    resolver = Resolver(schema, records.entities,
                        read_aliases(data / "aliases.csv", project.relative(data / "aliases.csv")),
                        read_family_rules(data / "chip_families.csv", project.relative(data / "chip_families.csv")))
    problems: list[InputProblem] = resolver.problems_in_tables()
    if problems:
        raise InputError(problems)
    mapped_records, mapped = read_mapped(project.root, data, schema, {s.id: s for s in records.sources}, resolver, progress)
    records.extend(mapped_records)
    for ms in mapped:
        log.rows_read[ms.mapping.csv] = len(ms.rows)
        log.rejects.extend(ms.rejects)
    apply_rank_overrides(records, data / "ranks.csv", project.relative(data / "ranks.csv"))
    check_records(records, schema)
    if mapped:
        log.resolution = resolver.report()
        c = log.resolution.counts()
        progress("resolved names: " + ", ".join(f"{v} {k}" for k, v in c.items()))
    return records, log


def read_inputs(project: Project, schema: Schema, progress: Progress = _quiet) -> Records:
    """Read and check every input of the project."""
    return read_all(project, schema, progress)[0]


@dataclass
class Built:
    schema: Schema
    records: Records
    quads: list
    report: BuildReport
    log: ImportLog = field(default_factory=ImportLog)


#: SHACL during ``build`` checks every curated node and one in this many nodes of the
#: mapped datasets (pyshacl takes minutes over the whole graph); ``validate`` checks all.
SHACL_SAMPLE_EVERY = 50


def build_graph(project: Project, *, shacl: bool = True, full_shacl: bool = False,
                progress: Progress = _quiet) -> Built:
    """Everything up to (not including) writing: read, check, build quads, SHACL.

    SHACL runs on a sound sample of the mapped datasets (see
    :func:`rivalgraph.validate.shacl_sample`) unless ``full_shacl``.
    """
    report = BuildReport()
    t0 = time.perf_counter()
    schema = load_schema(project.ontology_file)
    records, log = read_all(project, schema, progress)
    report.seconds["read"] = time.perf_counter() - t0
    report.rows_read = dict(log.rows_read)
    report.rows_rejected = log.rows_rejected()
    report.cells_dropped = log.cells_dropped()
    report.resolution = log.resolution.counts() if log.resolution.decisions else {}
    for line in report.fidelity_lines():
        progress(line)
    t1 = time.perf_counter()
    progress(f"building quads from {len(records.statements)} statements ...")
    quads = build_quads(records, schema)
    report.seconds["build"] = time.perf_counter() - t1
    report.quads = len(set(quads))
    report.triples = len({(s, p, o) for s, p, o, _ in quads})
    report.entities = len(records.entities)
    report.statements_by_source = dict(Counter(st.source for st in records.statements))
    progress(f"built graph: {report.triples} triples")
    if shacl:
        t2 = time.perf_counter()
        datasets = {graph_iri(src.id) for src in records.sources if src.type == "Dataset"}
        checked = quads if full_shacl or not datasets else shacl_sample(quads, datasets, SHACL_SAMPLE_EVERY)
        progress(f"SHACL over {len(checked)} of {len(quads)} quads" + ("" if checked is quads else
                 f" (curated nodes and 1 in {SHACL_SAMPLE_EVERY} dataset nodes; `rivalgraph validate` checks all)"))
        report.shacl = shacl_check(checked, project.shapes_file, schema.graph)
        report.seconds["shacl"] = time.perf_counter() - t2
        progress(f"SHACL: {'conforms' if report.shacl.conforms else f'{report.shacl.violations} violation(s)'}")
        require_conformance(report.shacl)
    return Built(schema, records, quads, report, log)


def validate(project: Project, *, progress: Progress = _quiet) -> BuildReport:
    """Check inputs and SHACL shapes without writing anything."""
    return build_graph(project, shacl=True, full_shacl=True, progress=progress).report


def write_exports(project: Project, built: Built) -> list[str]:
    """Write the export files atomically (staging folder, then one rename per file)."""
    from .rdfio import trig, turtle

    out = project.exports_dir
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        files = {
            "rivalgraph.ttl": turtle(built.quads, HEADER),
            "rivalgraph.trig": trig(built.quads, HEADER),
            "build-report.json": json.dumps(built.report.summary(), indent=2, ensure_ascii=False) + "\n",
            **report_files(built.log),
        }
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        written = []
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                rel = path.relative_to(staging)
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.append(str(target.relative_to(project.root)))
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def report_files(log: ImportLog) -> dict[str, str]:
    """The resolution report and the rejected rows, when the project maps any source."""
    if not log.resolution.decisions and not log.rejects:
        return {}
    return {
        "resolution-report.json": log.resolution.to_json(),
        "resolution-report.md": log.resolution.to_markdown(),
        "rejected-rows.csv": log.rejects_csv(),
    }


def resolve(project: Project, *, progress: Progress = _quiet) -> ImportLog:
    """Read and resolve every input, and write only the resolution report and rejected rows."""
    schema = load_schema(project.ontology_file)
    _, log = read_all(project, schema, progress)
    out = project.exports_dir
    out.mkdir(parents=True, exist_ok=True)
    for name, text in report_files(log).items():
        tmp = out / f".{name}.{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out / name)
        progress(f"wrote {project.relative(out / name)}")
    return log


def write_store(project: Project) -> None:
    """Load the TriG export into a fresh on-disk store and swap it in."""
    from .store import EmbeddedStore

    final = project.store_dir
    fresh = final.with_name(final.name + f".new-{os.getpid()}")
    EmbeddedStore.create(fresh, trig_file=project.trig_file).close()
    old = final.with_name(final.name + f".old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(fresh, final)
    shutil.rmtree(old, ignore_errors=True)


def build(project: Project, *, shacl: bool = True, progress: Progress = _quiet) -> BuildReport:
    """The main job: build the graph from ``data/`` and write ``exports/`` and the store."""
    t0 = time.perf_counter()
    built = build_graph(project, shacl=shacl, progress=progress)
    t1 = time.perf_counter()
    progress(f"writing exports ({built.report.quads} quads) ...")
    built.report.files = write_exports(project, built)
    built.report.seconds["export"] = time.perf_counter() - t1
    progress(f"wrote {', '.join(built.report.files)}")
    t2 = time.perf_counter()
    progress("loading the query store ...")
    write_store(project)
    built.report.seconds["store"] = time.perf_counter() - t2
    built.report.seconds["total"] = time.perf_counter() - t0
    progress(f"loaded the query store ({project.relative(project.store_dir)}) in {built.report.seconds['store']:.2f} s")
    return built.report
