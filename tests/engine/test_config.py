"""RunConfig: validation names the field, from_query never raises, to_query round-trips."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import RunConfig
from explorer.engine.config import ACTIVATIONS, DATASETS, INITS

FIELDS = list(RunConfig().to_query())


def test_defaults_are_the_meaningful_first_view():
    config = RunConfig()
    assert (config.depth, config.width, config.activation, config.init, config.init_scale) == (
        10,
        64,
        "sigmoid",
        "lecun",
        1.0,
    )
    assert (config.optimizer, config.steps) == ("sgd", 300)


@pytest.mark.parametrize(
    "field, value",
    [
        ("depth", 0),
        ("depth", 65),
        ("depth", 3.5),
        ("depth", True),
        ("width", 1),
        ("width", 257),
        ("activation", "swish"),
        ("init", "kaiming"),
        ("init_scale", 0.01),
        ("init_scale", 9.0),
        ("init_scale", float("nan")),
        ("norm", "group"),
        ("residual", "yes"),
        ("optimizer", "rmsprop"),
        ("lr", 0.0),
        ("lr", -1.0),
        ("lr", float("inf")),
        ("steps", -1),
        ("steps", 2001),
        ("batch_size", 4),
        ("clip_norm", 0.0),
        ("clip_norm", -2.0),
        ("weight_decay", -0.1),
        ("dataset", "mnist"),
        ("seed", -1),
        ("freeze_first", 11),
    ],
)
def test_bad_values_raise_naming_the_field(field, value):
    with pytest.raises(ValueError, match=rf"^{field}: "):
        RunConfig(**{field: value})


def test_error_message_lists_what_is_allowed():
    with pytest.raises(ValueError) as err:
        RunConfig(activation="swish")
    for name in ACTIVATIONS:
        assert name in str(err.value)


def test_frozen():
    with pytest.raises(AttributeError):
        RunConfig().depth = 3  # type: ignore[misc]


def test_round_trip_every_field_changed():
    config = RunConfig(
        depth=31,
        width=17,
        activation="elu",
        init="orthogonal",
        init_scale=0.123456789,
        norm="layer",
        residual=True,
        optimizer="adam",
        lr=3e-4,
        steps=1234,
        batch_size=100,
        clip_norm=0.25,
        weight_decay=1e-3,
        dataset="xor",
        seed=99,
        freeze_first=5,
    )
    parsed, problems = RunConfig.from_query(config.to_query())
    assert problems == []
    assert parsed == config


def test_round_trip_clip_off():
    query = RunConfig(clip_norm=None).to_query()
    assert query["clip_norm"] == "off"
    assert RunConfig.from_query(query) == (RunConfig(clip_norm=None), [])


def test_from_query_falls_back_per_field_with_a_reason():
    config, problems = RunConfig.from_query({"depth": "1e9", "width": "32", "activation": "<script>", "lr": "nan"})
    assert config == RunConfig(width=32)
    assert len(problems) == 3
    assert any(p.startswith("depth=") and "1 to 64" in p for p in problems)
    assert any(p.startswith("activation=") and "sigmoid" in p for p in problems)
    assert any(p.startswith("lr=") for p in problems)


def test_from_query_cross_field_rule():
    config, problems = RunConfig.from_query({"depth": "3", "freeze_first": "8"})
    assert config == RunConfig(depth=3)
    assert len(problems) == 1 and "freeze_first" in problems[0]


def test_from_query_ignores_other_parameters_and_takes_last_of_repeats():
    config, problems = RunConfig.from_query({"lang": "zh", "page": "lab", "depth": ["3", "4"]})
    assert (config.depth, problems) == (4, [])


def test_from_query_accepts_whole_floats_for_ints():
    assert RunConfig.from_query({"depth": "12.0"})[0].depth == 12
    assert RunConfig.from_query({"depth": "12.5"})[0].depth == 10


hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "1e309",
            "9" * 5000,
            "0x10",
            "",
            " ",
            "None",
            "off",
            "true",
            "-0",
            "١٢",
            "1_0",
            "\x00",
            "%00",
            "../../etc",
            "2147483648",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(FIELDS + ["lang", "x"]), st.one_of(hostile_text, st.lists(hostile_text, max_size=3))
    )
)
def test_from_query_never_raises_and_always_gives_a_valid_config(query):
    config, problems = RunConfig.from_query(query)
    assert isinstance(config, RunConfig)
    assert all(isinstance(p, str) and p for p in problems)
    assert RunConfig.from_query(config.to_query()) == (config, [])  # whatever it gave is a valid config


@settings(max_examples=100, deadline=None)
@given(
    depth=st.integers(1, 64),
    width=st.integers(2, 256),
    activation=st.sampled_from(ACTIVATIONS),
    init=st.sampled_from(INITS),
    init_scale=st.floats(0.05, 8.0),
    lr=st.floats(1e-6, 10.0),
    clip=st.one_of(st.none(), st.floats(1e-6, 1e6)),
    dataset=st.sampled_from(DATASETS),
    seed=st.integers(0, 2**31 - 1),
)
def test_round_trip_any_valid_config(depth, width, activation, init, init_scale, lr, clip, dataset, seed):
    config = RunConfig(
        depth=depth,
        width=width,
        activation=activation,
        init=init,
        init_scale=init_scale,
        lr=lr,
        clip_norm=clip,
        dataset=dataset,
        seed=seed,
    )
    assert RunConfig.from_query(config.to_query()) == (config, [])
