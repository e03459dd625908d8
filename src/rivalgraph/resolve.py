"""Entity resolution: the same thing named by different sources becomes one node.

Names from a mapped source (an Epoch AI organization, model or chip SKU) are
matched against the entities known so far, in this order:

1. the analyst's alias table, ``data/aliases.csv`` (alias -> entity id, per kind);
2. an exact match, after normalisation (case, spaces and punctuation ignored:
   ``Llama 2-70B`` = ``LLaMA2-70B``), of an entity's id, labels or aliases, among
   entities of the right kind (a chip SKU never matches a model);
3. otherwise the name is new: a new entity is minted (and chip SKUs hang under
   the family that a rule of ``data/chip_families.csv`` gives them).

Two candidates for one name is *ambiguous*: nothing is merged and the report
says so. Fuzzy look-alikes (rapidfuzz) are only *reported* as candidates for the
analyst to confirm in the alias table; they are never merged silently.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import InputError, InputProblem
from .ontology import Schema
from .records import Entity
from .sources.tabular import read_rows
from .vocab import is_valid_id, slug

ALIAS_COLUMNS = ["alias", "entity", "kind", "note"]
FAMILY_COLUMNS = ["pattern", "family", "note"]
#: Fuzzy matches at or above this score (rapidfuzz token_sort_ratio, 0-100) are reported.
FUZZY_CUTOFF = 90


def _is(*wanted: str, unless: str | None = None) -> Callable[[Schema, tuple[str, ...]], bool]:
    def check(schema: Schema, types: tuple[str, ...]) -> bool:
        if unless and schema.is_a(types, unless):
            return False
        return any(schema.is_a(types, w) for w in wanted)
    return check


#: Resolution kinds: which entities a name of that kind may resolve to.
KINDS: dict[str, Callable[[Schema, tuple[str, ...]], bool]] = {
    "organization": _is("Organization"),
    "owner": _is("Organization", "Region"),
    "region": _is("Region"),
    "model": _is("Model", "ModelFamily"),
    "chip": _is("Chip", unless="ChipFamily"),  # a SKU: variants and unfamilied chips
    "chip-family": _is("ChipFamily"),
}
#: Suffix added to a minted id when the plain one is taken by another entity.
ID_SUFFIX = {"organization": "org", "owner": "org", "region": "region", "model": "model",
             "chip": "chip", "chip-family": "family"}


def normalize(name: str) -> str:
    """The matching key of a name: NFKC, case-folded, letters, digits and ``+ . #`` only.

    Spaces, hyphens, slashes and the like are ignored (``Llama 2-70B`` =
    ``LLaMA2-70B``); ``+`` and ``.`` are kept (``Command R+`` is not ``Command R``,
    ``1.0`` is not ``10``).
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum() or ch in "+.#")


@dataclass(frozen=True)
class AliasRule:
    alias: str
    entity: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class FamilyRule:
    pattern: str
    family: str
    note: str = ""

    def matches(self, name: str) -> bool:
        return re.search(self.pattern, name) is not None


def read_aliases(path: Path, display: str) -> list[AliasRule]:
    if not path.is_file():
        return []
    rules, problems = [], []
    for row in read_rows(path, display, ALIAS_COLUMNS, optional=[]):
        if row.cells["kind"] not in KINDS:
            problems.append(row.problem("kind", f"unknown kind (known: {', '.join(KINDS)})"))
        for col in ("alias", "entity"):
            if not row.cells[col]:
                problems.append(row.problem(col, "is required but empty"))
        rules.append(AliasRule(row.cells["alias"], row.cells["entity"], row.cells["kind"], row.cells["note"]))
    if problems:
        raise InputError(problems)
    return rules


def read_family_rules(path: Path, display: str) -> list[FamilyRule]:
    if not path.is_file():
        return []
    rules, problems = [], []
    for row in read_rows(path, display, FAMILY_COLUMNS, optional=[]):
        try:
            re.compile(row.cells["pattern"])
        except re.error as exc:
            problems.append(row.problem("pattern", f"not a regular expression ({exc})"))
        rules.append(FamilyRule(row.cells["pattern"], row.cells["family"], row.cells["note"]))
    if problems:
        raise InputError(problems)
    return rules


@dataclass
class Decision:
    """What became of one name of one kind from one source (aggregated over its rows)."""

    name: str
    kind: str
    source: str
    outcome: str  # merged, created, ambiguous, unmatched
    entity: str = ""
    how: str = ""
    candidates: list[str] = field(default_factory=list)
    first_seen: str = ""
    occurrences: int = 0


@dataclass
class ResolutionReport:
    decisions: list[Decision] = field(default_factory=list)
    fuzzy: list[dict] = field(default_factory=list)

    def by_outcome(self, outcome: str) -> list[Decision]:
        return [d for d in self.decisions if d.outcome == outcome]

    def counts(self) -> dict[str, int]:
        c = Counter(d.outcome for d in self.decisions)
        out = {k: c.get(k, 0) for k in ("merged", "created", "ambiguous", "unmatched")}
        out["fuzzy_candidates"] = len(self.fuzzy)
        return out

    def to_json(self) -> str:
        data = {
            "counts": self.counts(),
            "merged": [asdict(d) for d in self.by_outcome("merged")],
            "ambiguous": [asdict(d) for d in self.by_outcome("ambiguous")],
            "unmatched": [asdict(d) for d in self.by_outcome("unmatched")],
            "fuzzy_candidates": self.fuzzy,
            "created": {k: v for k, v in sorted(Counter(f"{d.source} {d.kind}" for d in self.by_outcome("created")).items())},
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        c = self.counts()
        lines = [
            "# Entity resolution report",
            "",
            "Written by `rivalgraph build` / `rivalgraph resolve`. Confirm a fuzzy candidate or settle an",
            "ambiguous name by adding a row to `data/aliases.csv` (alias, entity, kind).",
            "",
            "| outcome | names |", "|---|---|",
            *(f"| {k} | {v} |" for k, v in c.items()),
            "",
        ]

        def table(title: str, items: list[Decision], cols) -> None:
            lines.extend([f"## {title} ({len(items)})", ""])
            if not items:
                lines.extend(["none", ""])
                return
            lines.append("| " + " | ".join(h for h, _ in cols) + " |")
            lines.append("|" + "---|" * len(cols))
            for d in items:
                lines.append("| " + " | ".join(_md(str(f(d))) for _, f in cols) + " |")
            lines.append("")

        base = [("name", lambda d: d.name), ("kind", lambda d: d.kind), ("source", lambda d: d.source)]
        table("Merged into an existing entity", self.by_outcome("merged"),
              base + [("entity", lambda d: d.entity), ("how", lambda d: d.how), ("rows", lambda d: d.occurrences)])
        table("Ambiguous (not merged)", self.by_outcome("ambiguous"),
              base + [("candidates", lambda d: ", ".join(d.candidates)), ("first seen", lambda d: d.first_seen)])
        table("Unmatched (link dropped)", self.by_outcome("unmatched"),
              base + [("first seen", lambda d: d.first_seen), ("rows", lambda d: d.occurrences)])
        lines.extend([f"## Fuzzy candidates, for review ({len(self.fuzzy)})", ""])
        if self.fuzzy:
            lines.extend(["| name | entity | looks like | entity | score |", "|---|---|---|---|---|"])
            for f in self.fuzzy:
                lines.append(f"| {_md(f['name'])} | {f['entity']} | {_md(f['similar_name'])} | {f['similar_entity']} | {f['score']} |")
        else:
            lines.append("none")
        lines.append("")
        created = Counter(f"{d.source} {d.kind}" for d in self.by_outcome("created"))
        lines.extend([f"## Created ({sum(created.values())})", "", "| source and kind | new entities |", "|---|---|"])
        lines.extend(f"| {k} | {v} |" for k, v in sorted(created.items()))
        return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class Resolver:
    """Matches names to entity ids, mints new ids, and keeps the decisions for the report."""

    def __init__(self, schema: Schema, entities: list[Entity], aliases: list[AliasRule] = (),
                 families: list[FamilyRule] = ()):
        self.schema = schema
        self.types: dict[str, tuple[str, ...]] = {}
        self.names: dict[str, str] = {}  # id -> display name
        self.introduced_by: dict[str, str] = {}  # id -> source that minted it ("" for curated)
        self._index: dict[str, set[str]] = {}
        self.aliases = list(aliases)
        self._alias = {(normalize(a.alias), a.kind): a.entity for a in self.aliases}
        self.families = list(families)
        self._decisions: dict[tuple[str, str, str], Decision] = {}
        for ent in entities:
            self.add(ent)

    # -- the index -------------------------------------------------------
    def add(self, ent: Entity) -> None:
        self.types[ent.id] = ent.types
        self.names.setdefault(ent.id, ent.label_en or ent.id)
        self.introduced_by.setdefault(ent.id, ent.source)
        # a curated id is a name too; a minted id is not (its slug may drop a '+')
        own_id = () if ent.source else (ent.id,)
        for name in (*own_id, ent.label_en, ent.label_zh, *ent.aliases_en, *ent.aliases_zh):
            key = normalize(name)
            if key:
                self._index.setdefault(key, set()).add(ent.id)

    def problems_in_tables(self) -> list[InputProblem]:
        """Alias rows and family rules that point at entities that do not exist."""
        out = []
        for a in self.aliases:
            if a.entity not in self.types:
                out.append(InputProblem("data/aliases.csv", None, "entity", a.entity, f"unknown entity id (alias {a.alias!r})"))
        for f in self.families:
            if f.family not in self.types or not self.schema.is_a(self.types[f.family], "ChipFamily"):
                out.append(InputProblem("data/chip_families.csv", None, "family", f.family, "not a ChipFamily entity id"))
        return out

    def lookup(self, name: str, kind: str) -> tuple[str | None, str, list[str]]:
        """(entity id or None, how it matched, the candidates when ambiguous)."""
        key = normalize(name)
        if not key:
            return None, "", []
        target = self._alias.get((key, kind))
        if target is not None:
            return target, "alias table", []
        fits = KINDS[kind]
        candidates = sorted(e for e in self._index.get(key, ()) if fits(self.schema, self.types[e]))
        if len(candidates) == 1:
            return candidates[0], "same name", []
        if len(candidates) > 1:
            exact = [e for e in candidates if self.names.get(e) == name]
            if len(exact) == 1:  # the source spells it exactly like one of them
                return exact[0], "same name", []
            return None, "ambiguous", candidates
        return None, "", []

    def families_of(self, name: str) -> list[str]:
        """Every family a rule gives this SKU, in rule order (an H100 SKU is an H100 and in the H100/H200 group)."""
        return list(dict.fromkeys(rule.family for rule in self.families if rule.matches(name)))

    def family_of(self, name: str) -> str | None:
        """The first family a rule gives this SKU."""
        families = self.families_of(name)
        return families[0] if families else None

    def mint(self, name: str, kind: str) -> str:
        base = slug(name)
        if not base or not is_valid_id(base):
            base = f"{ID_SUFFIX[kind]}-{normalize(name).encode().hex()[:16] or 'unnamed'}"
        candidate, n = base, 1
        if candidate in self.types:
            candidate = f"{base}-{ID_SUFFIX[kind]}"
        while candidate in self.types:
            n += 1
            candidate = f"{base}-{ID_SUFFIX[kind]}-{n}"
        return candidate

    # -- decisions --------------------------------------------------------
    def record(self, name: str, kind: str, source: str, where: str, outcome: str, entity: str = "",
               how: str = "", candidates: list[str] | None = None) -> None:
        key = (source, kind, name)
        d = self._decisions.get(key)
        if d is None:
            d = self._decisions[key] = Decision(name, kind, source, outcome, entity, how, list(candidates or []), where)
        d.occurrences += 1

    def report(self, fuzzy: bool = True) -> ResolutionReport:
        decisions = sorted(self._decisions.values(), key=lambda d: (d.outcome, d.source, d.kind, d.name))
        rep = ResolutionReport(decisions=decisions)
        if fuzzy:
            rep.fuzzy = self.fuzzy_candidates()
        return rep

    def fuzzy_candidates(self) -> list[dict]:
        """Entities minted from a source whose names look like another entity's of the same kind."""
        from rapidfuzz import fuzz, process

        out = []
        for kind in ("organization", "model"):
            fits = KINDS[kind]
            ids = sorted(e for e, t in self.types.items() if fits(self.schema, t))
            new = [e for e in ids if self.introduced_by.get(e)]
            # organizations: every minted one against every other; models: minted against curated
            others = ids if kind == "organization" else [e for e in ids if not self.introduced_by.get(e)]
            if not new or not others:
                continue
            names_new = [self.names[e] for e in new]
            names_other = [self.names[e] for e in others]
            matrix = process.cdist(names_new, names_other, scorer=fuzz.token_sort_ratio,
                                   processor=lambda s: " ".join(re.findall(r"\w+", s.casefold())),
                                   score_cutoff=FUZZY_CUTOFF, workers=1)
            for i, row in enumerate(matrix):
                for j, score in enumerate(row):
                    if score and new[i] != others[j] and (kind != "organization" or not self.introduced_by.get(others[j]) or new[i] < others[j]):
                        out.append({"kind": kind, "name": names_new[i], "entity": new[i],
                                    "similar_name": names_other[j], "similar_entity": others[j], "score": round(float(score), 1)})
        return sorted(out, key=lambda f: (-f["score"], f["kind"], f["entity"], f["similar_entity"]))
