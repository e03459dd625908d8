"""The main job: read the inputs, check them, build the graph, write exports and the store.

Nothing is written until everything has been read and checked; exports are
written to a staging folder and moved into place file by file, and the store
is built beside the old one and swapped in, so a failed build leaves the
previous exports and store as they were.
"""

from __future__ import annotations

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
from .records import Records
from .sources.curated import read_curated
from .validate import ShaclReport, require_conformance, shacl_check

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
        }


def _quiet(_: str) -> None:
    pass


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_inputs(project: Project, schema: Schema, progress: Progress = _quiet) -> Records:
    """Read and check every input of the project."""
    records = read_curated(project.data_dir, project.root)
    progress(f"read curated data: {len(records.entities)} entities, {len(records.statements)} statements")
    check_records(records, schema)
    return records


@dataclass
class Built:
    schema: Schema
    records: Records
    quads: list
    report: BuildReport


def build_graph(project: Project, *, shacl: bool = True, progress: Progress = _quiet) -> Built:
    """Everything up to (not including) writing: read, check, build quads, SHACL."""
    report = BuildReport()
    t0 = time.perf_counter()
    schema = load_schema(project.ontology_file)
    records = read_inputs(project, schema, progress)
    report.seconds["read"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    quads = build_quads(records, schema)
    report.seconds["build"] = time.perf_counter() - t1
    report.quads = len(set(quads))
    report.triples = len({(s, p, o) for s, p, o, _ in quads})
    report.entities = len(records.entities)
    report.statements_by_source = dict(Counter(st.source for st in records.statements))
    progress(f"built graph: {report.triples} triples")
    if shacl:
        t2 = time.perf_counter()
        report.shacl = shacl_check(quads, project.shapes_file, schema.graph)
        report.seconds["shacl"] = time.perf_counter() - t2
        progress(f"SHACL: {'conforms' if report.shacl.conforms else f'{report.shacl.violations} violation(s)'}")
        require_conformance(report.shacl)
    return Built(schema, records, quads, report)


def validate(project: Project, *, progress: Progress = _quiet) -> BuildReport:
    """Check inputs and SHACL shapes without writing anything."""
    return build_graph(project, shacl=True, progress=progress).report


def write_exports(project: Project, built: Built, extra: Callable[[Built, "os.PathLike"], None] | None = None) -> list[str]:
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
        }
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if extra is not None:
            extra(built, staging)
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
    built.report.files = write_exports(project, built)
    built.report.seconds["export"] = time.perf_counter() - t1
    progress(f"wrote {', '.join(built.report.files)}")
    t2 = time.perf_counter()
    write_store(project)
    built.report.seconds["store"] = time.perf_counter() - t2
    built.report.seconds["total"] = time.perf_counter() - t0
    progress(f"loaded the query store ({project.relative(project.store_dir)}) in {built.report.seconds['store']:.2f} s")
    return built.report
