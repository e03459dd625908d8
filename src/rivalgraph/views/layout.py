"""Layouts computed in Python, for graphs too large for in-browser physics and for layered pictures.

``force_layout`` is a Fruchterman-Reingold variant in numpy: springs along
edges, repulsion from a random sample of other nodes per step (so a step costs
O(nodes + edges), not O(nodes²)), and gravity to keep components together. It
is seeded, so the same graph always gets the same picture.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

SPACING = 40.0


def component_layout(node_ids: list[str], pairs: list[tuple[str, str]], **options) -> dict[str, tuple[float, float]]:
    """Force layout for the largest connected part; every other component laid out on its own and
    packed in rows below it.

    Without this, small components drift far from the rest and the first
    picture is mostly empty screen.
    """
    parent = {n: n for n in node_ids}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    members: dict[str, list[str]] = defaultdict(list)
    for n in node_ids:
        members[root(n)].append(n)
    comps = sorted(members.values(), key=lambda c: (-len(c), c[0]))
    pos = force_layout(comps[0], pairs, **options) if comps else {}
    if len(comps) > 1:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        left, right = min(xs), max(max(xs), min(xs) + SPACING * 20)
        x, y, row_height = left, max(ys) + SPACING * 3, 0.0
        by_comp_pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for a, b in pairs:
            if a in parent and b in parent:
                by_comp_pairs[root(a)].append((a, b))
        for comp in comps[1:]:
            if len(comp) <= 3:  # a dot, a pair, a short chain: a row
                local = {nid: (i * SPACING, 0.0) for i, nid in enumerate(comp)}
            else:
                local = force_layout(comp, by_comp_pairs[root(comp[0])], iterations=30, seed=len(comp))
            cx = [p[0] for p in local.values()]
            cy = [p[1] for p in local.values()]
            w = max(cx) - min(cx) + SPACING * 1.5
            h = max(cy) - min(cy) + SPACING * 1.5
            if x + w > right and x > left:
                x, y, row_height = left, y + row_height, 0.0
            for nid, (px, py) in local.items():
                pos[nid] = (round(x + px - min(cx), 1), round(y + py - min(cy), 1))
            x += w
            row_height = max(row_height, h)
    return pos


def force_layout(node_ids: list[str], pairs: list[tuple[str, str]], *, iterations: int = 60,
                 samples: int = 12, seed: int = 7,
                 repulsion: float = 1.0, gravity: float = 0.05) -> dict[str, tuple[float, float]]:
    n = len(node_ids)
    if n == 0:
        return {}
    index = {nid: i for i, nid in enumerate(node_ids)}
    edges = np.array([(index[a], index[b]) for a, b in pairs if a in index and b in index and a != b],
                     dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    scale = SPACING * np.sqrt(n)
    pos = rng.uniform(-scale, scale, size=(n, 2)) / 2
    k = SPACING
    m = max(1, min(samples, n - 1))
    temperature = scale / 4
    for step in range(iterations):
        disp = np.zeros_like(pos)
        if n > 1:
            partners = rng.integers(0, n, size=(n, m))
            delta = pos[:, None, :] - pos[partners]
            d2 = np.einsum("ijk,ijk->ij", delta, delta) + 1.0
            disp += ((k * k / d2)[..., None] * delta).sum(axis=1) * ((n - 1) / m) * repulsion
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta)) + 1e-6
            force = (dist / k)[:, None] * delta
            np.add.at(disp, edges[:, 0], -force)
            np.add.at(disp, edges[:, 1], force)
        disp -= pos * gravity
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= 0.94
    pos -= pos.mean(axis=0)
    return {nid: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1)) for i, nid in enumerate(node_ids)}


def layered_layout(levels: dict[str, int], pairs: list[tuple[str, str]], degree: dict[str, int], *,
                   column_gap: float = 420.0, row_gap: float = 100.0) -> dict[str, tuple[float, float]]:
    """Columns by level (left to right); within a column, order by the mean row of neighbours to the left."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    row: dict[str, float] = {}
    out: dict[str, tuple[float, float]] = {}
    for level in sorted(set(levels.values())):
        members = [n for n, lv in levels.items() if lv == level]

        def key(nid):
            left = [row[x] for x in neighbours[nid] if x in row]
            return (sum(left) / len(left) if left else float("inf"), -degree.get(nid, 0), nid)

        members.sort(key=key)
        top = -(len(members) - 1) * row_gap / 2
        for i, nid in enumerate(members):
            row[nid] = float(i)
            out[nid] = (level * column_gap, round(top + i * row_gap, 1))
    return out
