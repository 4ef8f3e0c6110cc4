"""What the catalogues claim about the papers and the measurements, pinned where a slip was found: each test
names the sentence that was wrong and checks the fixed wording in both languages."""

from __future__ import annotations

import re

import pytest

from explorer import i18n

EN, ZH = i18n.catalogue("en"), i18n.catalogue("zh")
BOTH = pytest.mark.parametrize("catalogue", [EN, ZH], ids=["en", "zh"])


@BOTH
def test_pascanu_condition_is_cited_at_section_2_1(catalogue):
    """λ₁ < 1/γ is in §2.1 ("The mechanics"); §3.1 is "Previous solutions"."""
    citation = catalogue["papers.pascanu2013.citation"]
    assert "2.1" in citation and "3.1" not in citation and "The mechanics" in citation


@BOTH
def test_he_2015_is_paraphrased_without_quotation_marks(catalogue):
    claim = catalogue["papers.he2015.claim"]
    assert not re.search(r"[“”\"]", claim)


@BOTH
def test_glorot_standard_init_enters_at_eq_15(catalogue):
    assert "15" in catalogue["papers.glorot2010.citation"] and "15" in catalogue["papers.glorot2010.claim"]


def test_bengio_2007_is_an_experimental_finding():
    assert "showed" not in EN["pretrain.intro"] and "experimentally" in EN["pretrain.intro"]
    assert "证明" not in ZH["pretrain.intro"] and "实验" in ZH["pretrain.intro"]


def test_shallow_verdict_does_not_claim_identical_training():
    """Measured: curves within 3.6e-5 nats, i.e. practically indistinguishable, not "exactly like"."""
    assert "exactly" not in EN["shallow.verdict_overlap"] and "indistinguishabl" in EN["shallow.verdict_overlap"]
    assert "完全一样" not in ZH["shallow.verdict_overlap"]


@BOTH
def test_batchnorm_is_not_said_to_make_the_gradient_scale_free(catalogue):
    """The Ioffe & Szegedy check measures the weight gradient scaling as 1/a."""
    text = catalogue["compare.how_batch_norm"]
    assert "1/" in text
    assert "1/a" in catalogue["papers.ioffe2015.title"]


@BOTH
def test_overshoot_starts_at_one_over_lambda(catalogue):
    for key in ("why.lr_help", "why.read"):
        assert "1/λ_max" in catalogue[key] and "2/λ_max" in catalogue[key]


def test_chinese_wording():
    text = "\n".join(ZH.values())
    for wrong in ("内核", "均值场", "Newton 法", "瞎猜", "bug"):
        assert wrong not in text, wrong
    assert "1.13" in ZH["activations.others_read"]
    assert "损失和准确率" in ZH["compare.read"]
    assert ZH["nav.shallow"] == ZH["shallow.title"] and EN["nav.shallow"] == EN["shallow.title"]
    assert "权重正则化" in ZH["exploding.title"] and ZH["nav.exploding"] == ZH["exploding.title"]


@BOTH
def test_no_L_for_both_the_loss_and_the_last_layer(catalogue):
    assert not any("z_L" in value or "f_L(" in value for value in catalogue.values())


@BOTH
def test_cliff_moves_the_basin_boundary_not_x0(catalogue):
    """x₀ is fixed in Pascanu's one-unit toy; it is the boundary between the basins that moves across it."""
    for key in ("exploding.toy_intro", "exploding.read_slice"):
        assert "x₀" in catalogue[key]
        assert "move x₀" not in catalogue[key] and "x₀ 从一个吸引域" not in catalogue[key]


@BOTH
def test_elu_backward_says_which_implementation_reuses_the_output(catalogue):
    text = catalogue["cost.explain"]
    assert "f(x) + α" in text and "inplace=True" in text


@BOTH
def test_sigmoid_best_case_is_bounded_only_for_small_weights(catalogue):
    assert "|w| ≤ 1" in catalogue["activations.metric_best_help"]


@BOTH
def test_remedy_comparison_says_the_relu_remedies_switch_to_he_init(catalogue):
    assert "He" in catalogue["compare.intro"]


@BOTH
def test_lstm_gates_are_defined_where_they_are_used(catalogue):
    text = catalogue["rnn.forget_explain"]
    first_use = text.index("i_t")
    assert text.index("i_t", first_use + 1) > first_use  # named again where it is defined
    assert "o_t" in text and "g_t = tanh" in text


def test_chinese_quotes_of_the_article_are_exact():
    """A Chinese phrase in quotation marks, in a text that cites the article (原文), is the article's own words
    (pretrain.intro quoted the heading as “预训练加微调”; the article says “预训练加finetunning”)."""
    from tests.conftest import article_text

    text = article_text()
    page_names = {value for key, value in ZH.items() if key.startswith("nav.")}
    wrong = {
        key: quoted
        for key, value in ZH.items()
        if "原文" in value
        for quoted in re.findall(r"“([^”]*[\u4e00-\u9fff][^”]*)”", value)
        if quoted not in text and quoted not in page_names
    }
    assert not wrong, wrong


@BOTH
def test_lab_states_the_engine_s_record_and_layer_step_caps(catalogue):
    """The lab's method text names the caps the engine applies, and the stride of a default (300-step) run,
    as train.record_schedule / layer_schedule work them out."""
    from explorer.engine.train import MAX_LAYER_RECORDED, MAX_RECORDED, layer_schedule, record_schedule

    text, frame_text = catalogue["lab.how_measured"], catalogue["lab.read_norms"]
    layers = layer_schedule(record_schedule(300))
    assert f"{MAX_RECORDED} " in text and f"{MAX_LAYER_RECORDED} " in text and f"{MAX_LAYER_RECORDED}" in frame_text
    assert re.search(rf"(every {layers[1]}th step|每 {layers[1]} 步)", text)
