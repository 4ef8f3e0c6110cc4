"""explorer/lessons/verdict.py: the two formatters every verdict's numbers go through."""

from __future__ import annotations

import math

import pytest

from explorer.lessons.verdict import Sentence, formatted, short


@pytest.mark.parametrize(("value", "text"), [(0.000123456, "0.000123"), (12345.0, "1.23e+04"), (2.0, "2"), (-0.5, "-0.5")])
def test_short_gives_three_significant_digits(value, text):
    assert short(value) == text


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_short_gives_a_dash_when_there_is_no_number(value):
    assert short(value) == "—"


def test_formatted_applies_one_spec_to_every_value_by_name():
    assert formatted(".1e", before=0.00123, after=45.6) == {"before": "1.2e-03", "after": "4.6e+01"}
    assert formatted(".0%", acc=0.875) == {"acc": "88%"}
    assert formatted(".3f") == {}


def test_a_sentence_is_markdown_without_values_unless_told():
    said = Sentence("shallow.diverged")
    assert (said.values, said.kind) == ({}, "markdown")
