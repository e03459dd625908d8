"""Where a rivalgraph project keeps its files.

A project is a folder with ``ontology/`` and ``data/``; ``build`` writes
``exports/`` and the query store (``.rivalgraph/store``) beside them. Commands
find the project by walking up from the current folder, like git does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectError


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "rivalgraph.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def store_dir(self) -> Path:
        return Path(os.environ.get("RIVALGRAPH_STORE") or self.root / ".rivalgraph" / "store")

    @property
    def turtle_file(self) -> Path:
        return self.exports_dir / "rivalgraph.ttl"

    @property
    def trig_file(self) -> Path:
        return self.exports_dir / "rivalgraph.trig"

    def relative(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


def find_project(start: Path | str | None = None) -> Project:
    """The project containing ``start`` (default: the current folder, or $RIVALGRAPH_PROJECT)."""
    if start is None:
        start = os.environ.get("RIVALGRAPH_PROJECT") or Path.cwd()
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / "ontology" / "rivalgraph.ttl").is_file() and (folder / "data").is_dir():
            return Project(folder)
    raise ProjectError(
        f"no rivalgraph project at or above {here}: expected ontology/rivalgraph.ttl and data/ "
        "(run from the repository, or pass --project)"
    )
