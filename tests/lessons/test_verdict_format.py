"""explorer/lessons/verdict.py: the formatters every verdict's numbers go through, and `apart`, which
keeps the digits that tell a figure from the threshold it is compared with."""

from __future__ import annotations

import math

import pytest

from explorer.lessons.verdict import Sentence, apart, formatted, short


@pytest.mark.parametrize(
    ("value", "text"), [(0.000123456, "0.000123"), (12345.0, "1.23e+04"), (2.0, "2"), (-0.5, "-0.5")]
)
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


@pytest.mark.parametrize(
    ("value", "spec", "mark", "text"),
    [
        (0.5, ".3g", 1.0, "0.5"),  # far from the mark: the spec as asked
        (1.0, ".3e", 1.0, "1.000e+00"),  # the mark itself reads as the mark
        (1 - 1e-11, ".3e", 1.0, "9.9999999999e-01"),  # the fewest digits that do not read 1
        (1.01, ".1e", 1.0, "1.01e+00"),  # not "1.0e+00 times larger"
        (math.nextafter(1.0, 2.0), ".3g", 1.0, "1.0000000000000002"),  # one float step: 17 digits
        (1.004, ".2f", 1.0, "1.004"),
        (0.898, ".0%", 0.9, "89.8%"),  # not "90%, below 90%"
        (0.9, ".0%", 0.9, "90%"),
        (0.95, ".0%", 0.9, "95%"),  # a percentage that does not read as the mark keeps the spec
        (math.inf, ".3g", 1.0, "inf"),
        (math.nan, ".3g", 1.0, "nan"),
    ],
)
def test_apart_keeps_the_digits_that_tell_a_figure_from_its_mark(value, spec, mark, text):
    assert apart(value, spec, mark) == text


def test_apart_stops_at_seventeen_digits():
    """A figure that reads as the mark in any precision (1e-20 against 0 in fixed point) stops at 17."""
    assert apart(1e-20, ".2f", 0.0) == "0." + "0" * 17


def test_apart_compares_with_one_unless_told():
    assert apart(1 + 1e-9, ".3g") == "1.000000001"
