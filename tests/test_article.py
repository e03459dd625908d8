"""The seed article: every fact line is in the graph with its quote; every entity has zh and en labels."""

from __future__ import annotations

import re

import pytest

from rivalgraph.ontology import load_schema
from rivalgraph.pipeline import read_inputs

ARTICLE = "article-sensetime-genai-2023"
# Lines with digits that state no fact about the tracked landscape.
NOT_FACTS = {
    37: "21世纪的珍妮纺纱机 (a metaphor)",
}


@pytest.fixture(scope="module")
def records(repo_project):
    return read_inputs(repo_project, load_schema(repo_project.ontology_file))


def test_every_quote_is_verbatim_and_located(records):
    article = next(s for s in records.sources if s.id == ARTICLE)
    for st in records.statements:
        if st.source == ARTICLE:
            assert st.quote in article.text, st.id
            assert st.locator.startswith("line "), st.id


def test_every_line_with_a_number_is_covered(records):
    article = next(s for s in records.sources if s.id == ARTICLE)
    quotes = [st.quote for st in records.statements if st.source == ARTICLE]
    for number, line in enumerate(article.text.splitlines(), start=1):
        if re.search(r"\d", line) and number not in NOT_FACTS:
            numbers = re.findall(r"\d[\d,.]*", line)
            for value in numbers:
                assert any(value in q for q in quotes if q in line), f"line {number}: {value!r} is in no statement's quote"


def test_every_entity_has_zh_and_en_labels(records):
    for ent in records.entities:
        assert ent.label_en and ent.label_zh, ent.id


@pytest.mark.parametrize("zh, en", [("商汤", "SenseTime"), ("英伟达", "NVIDIA"), ("书生·浦语", "InternLM"),
                                    ("日日新", "SenseNova"), ("商量", "SenseChat"), ("秒画", "SenseMirage"),
                                    ("如影", "SenseAvatar"), ("琼宇", "SenseSpace"), ("格物", "SenseThings")])
def test_named_labels(records, zh, en):
    ent = next(e for e in records.entities if e.label_en == en or en in e.aliases_en)
    assert ent.label_zh == zh or zh in ent.aliases_zh


def test_doubtful_h100_claim_is_recorded_as_said(records):
    st = next(s for s in records.statements if s.id == "h100-export-substitute-a100")
    assert st.object == "A100" and "H100" in st.quote and st.note
