"""Ego views read outward from their entity draw what a whole-graph read draws."""

from __future__ import annotations

import pytest

from rivalgraph.errors import QueryTimeout
from rivalgraph.views import graphs
from rivalgraph.views.data import load_graph_data
from rivalgraph.views.focus import ego_data, ego_part


@pytest.fixture(scope="module")
def whole(views_graph):
    return load_graph_data(views_graph)


def test_every_ego_view_of_the_fixture_matches_the_whole_read(views_graph, whole):
    for entity in sorted(whole.entities):
        for hops in (1, 2, 3):
            part = ego_data(views_graph, entity, hops)
            assert graphs.ego(part, entity, hops) == graphs.ego(whole, entity, hops), (entity, hops)


def drawn(graph, entity, hops, limit):
    part, truncated = ego_part(graph, entity, hops, limit)
    return graphs.ego(part, entity, hops, limit=limit, truncated=truncated)


@pytest.mark.parametrize("limit", [2, 3, 4, 5, 6])
def test_a_capped_ego_view_chooses_the_same_entities_and_says_so(views_graph, whole, limit):
    for entity in sorted(whole.entities):
        for hops in (1, 2, 3):
            view = drawn(views_graph, entity, hops, limit)
            assert view == graphs.ego(whole, entity, hops, limit=limit), (entity, hops, limit)
            assert len(view.nodes) <= limit


def test_a_view_full_just_as_a_ring_ends_still_says_it_stopped(views_graph, whole):
    links = graphs.folded_links(whole)
    for entity in sorted(whole.entities):
        first = graphs.ego(whole, entity, 1, links)
        limit = len(first.nodes)  # full after one ring, with more beyond it
        if graphs.ego(whole, entity, 2, links, limit=limit).note:
            assert drawn(views_graph, entity, 2, limit).note == f"Stopped at {limit:,} entities."
            return
    pytest.fail("the fixture has no entity whose two-hop view stops just after its first ring")


def test_only_the_neighbourhood_is_read(views_graph, whole):
    part = ego_data(views_graph, "Lab", 1)
    assert set(part.entities) < set(whole.entities)
    assert {c.statement for c in part.edges} < {c.statement for c in whole.edges}
    assert part.sources == whole.sources or set(part.sources) <= set(whole.sources)


def test_unknown_entity_has_no_data(views_graph):
    assert ego_data(views_graph, "No-Such-Entity", 2) is None


def test_one_time_limit_bounds_the_whole_reading(views_graph):
    with pytest.raises(QueryTimeout, match="time limit of 0 s"):
        ego_data(views_graph, "BuyerCo", 2, timeout=0)
    assert ego_data(views_graph, "BuyerCo", 2, timeout=30) is not None


def test_ego_views_of_the_real_graph(real_graph, real_view_data):
    links = graphs.folded_links(real_view_data)
    for entity, hops in [("SenseTime", 1), ("SenseTime", 2), ("A800", 1), ("InternLM-123B", 2)]:
        expected = graphs.ego(real_view_data, entity, hops, links)
        assert graphs.ego(ego_data(real_graph, entity, hops), entity, hops) == expected, (entity, hops)
