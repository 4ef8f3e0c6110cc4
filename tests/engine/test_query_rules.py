"""explorer/engine/query.py on its own: each field rule (Int, Float, Choice, Bool) at the edges of what it
accepts, the exact notes a reader sees for a rejected URL value (field, value, allowed range), and the base
Config's from_query with a page's own defaults, narrower rules, old parameter names and a cross-field rule.
Fast unit tests: mutmut runs them for every mutant of query.py."""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
import torch

from explorer.engine import query
from explorer.engine.query import Bool, Choice, Float, Int

# ----- Int ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [3, 4, 7])
def test_int_accepts_its_whole_closed_range(value):
    Int(3, 7).check("n", value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2, "n: must be from 3 to 7, got 2"),
        (8, "n: must be from 3 to 7, got 8"),
        (True, "n: must be a whole number from 3 to 7, got True"),  # a bool is an int to Python, not here
        (5.0, "n: must be a whole number from 3 to 7, got 5.0"),
        ("5", "n: must be a whole number from 3 to 7, got '5'"),
    ],
)
def test_int_rejects_with_a_message_naming_field_range_and_value(value, message):
    with pytest.raises(ValueError) as err:
        Int(3, 7).check("n", value)
    assert str(err.value) == message


def test_int_range_as_shown_and_offered():
    assert Int(3, 7).allowed() == "3 … 7"
    assert Int(3, 7).span() == (3, 7)


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5), (" 5 ", 5), ("-2", -2), ("12.0", 12), ("1e3", 1000), ("000000000012", 12)],  # 12 characters
)
def test_int_parses_whole_numbers_written_any_usual_way(text, value):
    parsed = Int(0, 10).parse(text)
    assert parsed == value and type(parsed) is int


@pytest.mark.parametrize("text", ["12.5", "abc", "", "inf", "nan", "0000000000012"])  # the last: 13 characters
def test_int_parse_refuses_with_the_range(text):
    with pytest.raises(ValueError) as err:
        Int(0, 10).parse(text)
    assert str(err.value) == "must be a whole number from 0 to 10"


def test_int_format_is_the_plain_number():
    assert Int(0, 10).format(7) == "7"


# ----- Float --------------------------------------------------------------------------------------------


def test_float_ranges_as_shown():
    assert Float(0.05, 8.0).allowed() == "[0.05, 8]"
    assert Float(0.0, 10.0, low_inclusive=False).allowed() == "(0, 10]"
    assert Float(0.0, 1e6, low_inclusive=False, optional=True).allowed() == "(0, 1e+06] | off"
    assert Float(0.05, 8.0).describe() == "a number in [0.05, 8]"
    assert Float(0.0, 10.0, low_inclusive=False).describe() == "a number in (0, 10]"
    assert Float(0.0, 2.0, optional=True).describe() == "a number in [0, 2] or 'off'"


def test_float_span_starts_at_the_next_float_above_an_open_low_end():
    assert Float(0.5, 2.0).span() == (0.5, 2.0)
    assert Float(0.5, 2.0, low_inclusive=False).span() == (math.nextafter(0.5, 1.0), 2.0)


def test_above_an_open_zero_the_span_starts_at_the_smallest_normal_float():
    """The next float above 0 is subnormal; a thread that has run a network flushes subnormals to 0
    (engine/runtime.py), where the rule would refuse its own control's minimum."""
    rule = Float(0.0, 2.0, low_inclusive=False)
    low, high = rule.span()
    assert (low, high) == (sys.float_info.min, 2.0)
    flushing = not math.nextafter(0.0, 1.0) > 0.0  # this thread's state, restored below
    try:
        for flush in (False, True):
            torch.set_flush_denormal(flush)
            rule.check("x", low)
            with pytest.raises(ValueError):
                rule.check("x", 0.0)
    finally:
        torch.set_flush_denormal(flushing)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (Float(0.5, 2.0), 0.5),
        (Float(0.5, 2.0), 2.0),
        (Float(0.5, 2.0), 1),  # an int is a number
        (Float(0.5, 2.0, low_inclusive=False), math.nextafter(0.5, 1.0)),
        (Float(0.0, 2.0, optional=True), None),
    ],
)
def test_float_accepts_up_to_its_edges(rule, value):
    rule.check("x", value)


@pytest.mark.parametrize(
    ("rule", "value", "message"),
    [
        (Float(0.5, 2.0), math.nextafter(0.5, 0.0), "x: must be a number in [0.5, 2], got 0.5"),
        (Float(0.5, 2.0), math.nextafter(2.0, 3.0), "x: must be a number in [0.5, 2], got 2"),
        (Float(0.0, 2.0, low_inclusive=False), 0.0, "x: must be a number in (0, 2], got 0"),
        (Float(0.5, 2.0), None, "x: must be a number in [0.5, 2], got None"),
        (Float(0.5, 2.0), True, "x: must be a number in [0.5, 2], got True"),
        (Float(0.5, 2.0), "1", "x: must be a number in [0.5, 2], got '1'"),
        (Float(0.5, 2.0), math.nan, "x: must be a number in [0.5, 2], got nan"),
        (Float(-math.inf, math.inf), math.inf, "x: must be a number in [-inf, inf], got inf"),
        (Float(0.0, 2.0, optional=True), 3.0, "x: must be a number in [0, 2] or 'off', got 3"),
    ],
)
def test_float_rejects_just_outside_with_the_range(rule, value, message):
    with pytest.raises(ValueError) as err:
        rule.check("x", value)
    assert str(err.value) == message


@pytest.mark.parametrize("text", ["", "None", "OFF", " off ", "null"])
def test_an_optional_float_reads_off_as_none(text):
    assert Float(0.0, 1.0, optional=True).parse(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [(" 0.25 ", 0.25), ("1e-3", 1e-3), ("2", 2.0), ("0." + "0" * 29 + "1", 1e-30)],  # 32 chars
)
def test_float_parses_numbers(text, value):
    assert Float(0.0, 1.0, optional=True).parse(text) == value


@pytest.mark.parametrize("text", ["off", "", "abc", "0." + "0" * 30 + "1"])  # the last: 33 characters
def test_a_required_float_refuses_words_and_overlong_numbers(text):
    with pytest.raises(ValueError) as err:
        Float(0.0, 1.0).parse(text)
    assert str(err.value) == "must be a number in [0, 1]"


def test_float_format_reads_back_exactly():
    rule = Float(0.0, 1.0, optional=True)
    assert rule.format(None) == "off"
    assert rule.format(0.1) == "0.1"
    assert rule.format(1) == "1.0"
    assert rule.parse(rule.format(1 / 3)) == 1 / 3


# ----- Choice and Bool ----------------------------------------------------------------------------------


def test_choice_accepts_only_its_options_and_lists_them():
    rule = Choice(("relu", "tanh"))
    rule.check("a", "tanh")
    assert rule.allowed() == "relu, tanh"
    with pytest.raises(ValueError) as err:
        rule.check("a", "swish")
    assert str(err.value) == "a: must be one of relu, tanh; got 'swish'"


def test_choice_reads_case_and_spaces_loosely_and_writes_the_option():
    rule = Choice(("relu", "tanh"))
    assert rule.parse(" ReLU ") == "relu"
    assert rule.format("tanh") == "tanh"


@pytest.mark.parametrize(
    ("text", "value"),
    [(w, True) for w in ("1", "true", " Yes ", "ON")] + [(w, False) for w in ("0", "FALSE", "no", " off")],
)
def test_bool_reads_the_usual_words(text, value):
    assert Bool().parse(text) is value


@pytest.mark.parametrize("text", ["", "2", "y", "truth"])
def test_bool_refuses_other_words(text):
    with pytest.raises(ValueError) as err:
        Bool().parse(text)
    assert str(err.value) == "must be true or false"


def test_bool_check_format_and_allowed():
    Bool().check("r", False)
    with pytest.raises(ValueError) as err:
        Bool().check("r", 1)
    assert str(err.value) == "r: must be true or false, got 1"
    assert (Bool().format(True), Bool().format(False), Bool().allowed()) == ("true", "false", "true, false")


# ----- notes on ignored parameters ----------------------------------------------------------------------


def test_shorten_keeps_forty_characters_and_marks_the_cut():
    assert query.shorten("a" * 40) == "a" * 40
    assert query.shorten("a" * 41) == "a" * 40 + "…"
    assert query.shorten("abcdef", limit=3) == "abc…"


def test_reason_drops_only_the_field_prefix():
    assert query.reason(ValueError("depth: must be from 1 to 64, got 0"), "depth") == "must be from 1 to 64, got 0"
    assert query.reason(ValueError("width: too big"), "depth") == "width: too big"


def test_a_problem_is_the_english_note_and_its_parts():
    problem = query.Problem("depth", "`" + "9" * 45, "must be from 1 to 64", "1 … 64")
    shortened = "`" + "9" * 39 + "…"
    assert problem == f"depth={shortened!r} ignored: must be from 1 to 64"
    assert (problem.field, problem.value, problem.allowed) == ("depth", "'" + "9" * 39 + "…", "1 … 64")


# ----- Config.from_query --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span(query.Config):
    """A toy config with a cross-field rule: low <= high, charged to `low`, fixed to `high`."""

    low: int = 1
    high: int = 5
    label: str = "a"

    RULES: ClassVar[Mapping[str, Any]] = {"low": Int(0, 10), "high": Int(0, 10), "label": Choice(("a", "b"))}

    @classmethod
    def across(cls, values: Mapping[str, Any], rules: Mapping[str, Any]) -> list[query.Crossed]:
        low, high = values["low"], values["high"]
        if low <= high:
            return []
        return [query.Crossed("low", f"must be at most high ({high}), got {low}", f"{rules['low'].low} … {high}", high)]


def test_values_to_query_and_replace():
    span = Span(low=2, high=9, label="b")
    assert span.values() == {"low": 2, "high": 9, "label": "b"}
    assert span.to_query() == {"low": "2", "high": "9", "label": "b"}
    assert span.replace(low=3) == Span(low=3, high=9, label="b")


def test_a_broken_cross_field_rule_raises_on_the_field_it_is_charged_to():
    with pytest.raises(ValueError) as err:
        Span(low=6, high=5)
    assert str(err.value) == "low: must be at most high (5), got 6"


def test_a_config_without_a_cross_field_rule_has_none():
    @dataclass(frozen=True)
    class Plain(query.Config):
        n: int = 1
        RULES: ClassVar[Mapping[str, Any]] = {"n": Int(0, 3)}

    assert Plain.across({"n": 1}, Plain.RULES) == []
    assert Plain.from_query({"n": "3"}) == (Plain(n=3), [])


def test_from_query_reads_good_fields_and_notes_each_bad_one():
    config, problems = Span.from_query({"high": "7", "label": " B ", "low": "x", "other": "1"})
    assert config == Span(low=1, high=7, label="b")
    assert problems == ["low='x' ignored: must be a whole number from 0 to 10"]
    assert (problems[0].field, problems[0].value, problems[0].allowed) == ("low", "x", "0 … 10")


def test_from_query_takes_the_last_of_a_repeated_parameter():
    assert Span.from_query({"low": ["4", "2"]}) == (Span(low=2), [])
    assert Span.from_query({"low": ("3",)}) == (Span(low=3), [])
    config, problems = Span.from_query({"low": []})  # an empty repeat reads as an empty value
    assert config == Span() and problems == ["low='' ignored: must be a whole number from 0 to 10"]


def test_from_query_starts_from_the_pages_defaults():
    defaults = Span(low=2, high=8, label="b")
    assert Span.from_query({}, defaults=defaults) == (defaults, [])
    assert Span.from_query({"high": "9"}, defaults=defaults) == (Span(low=2, high=9, label="b"), [])
    assert Span.from_query({"high": "x"}, defaults=defaults)[0] == defaults


def test_from_query_applies_the_pages_narrower_rules():
    config, problems = Span.from_query({"high": "9", "low": "3"}, rules={"high": Int(0, 6)})
    assert config == Span(low=3, high=5)
    assert problems == ["high='9' ignored: must be from 0 to 6, got 9"]
    assert problems[0].allowed == "0 … 6"


def test_from_query_reads_an_old_parameter_name_and_notes_it_under_that_name():
    aliases = {"top": "high", "unused": "label"}
    assert Span.from_query({"top": "9"}, aliases=aliases) == (Span(high=9), [])
    assert Span.from_query({"top": "9", "high": "7"}, aliases=aliases) == (Span(high=7), [])  # the field's own
    config, problems = Span.from_query({"top": "11"}, aliases=aliases)
    assert config == Span() and problems == ["top='11' ignored: must be from 0 to 10, got 11"]


def test_a_cross_field_break_falls_back_to_the_default_with_a_note():
    config, problems = Span.from_query({"low": "4", "high": "3"})
    # low=4 breaks low <= high: low goes back to its default 1, which satisfies it
    assert config == Span(low=1, high=3)
    assert problems == ["low='4' ignored: must be at most high (3), got 4"]
    assert (problems[0].field, problems[0].value, problems[0].allowed) == ("low", "4", "0 … 3")


def test_when_the_default_breaks_it_too_the_nearest_allowed_value_is_taken():
    config, problems = Span.from_query({"high": "0"}, rules={"low": Int(-5, 10)})
    # high=0 breaks low <= high with the default low=1, charged to low (not in the link: its default shown)
    assert config == Span(low=0, high=0)
    assert problems == ["low='1' ignored: must be at most high (0), got 1"]
    assert problems[0].allowed == "-5 … 0"  # the page's own lower bound


def test_a_cross_field_note_uses_the_old_name_the_link_used():
    config, problems = Span.from_query({"bottom": "6", "high": "4"}, aliases={"bottom": "low"})
    assert config == Span(low=1, high=4)
    assert [p.field for p in problems] == ["bottom"] and problems[0].value == "6"


def test_page_rules_wider_than_the_class_fall_back_to_the_class_defaults():
    config, problems = Span.from_query({"high": "12", "label": "b"}, rules={"high": Int(0, 20)}, defaults=Span(low=2))
    assert (config, problems) == (Span(), [])
