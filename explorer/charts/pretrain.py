"""Charts of greedy layer-wise pretraining against random init: the autoencoders' reconstruction curves,
fine-tuning loss of both arms, and per layer the starting signal, starting weight norm and update ratio.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from explorer.charts.common import EXACT, QUANTITY_COLOURS, WIDTH, empty_chart, layer_color, log_domain, positive
from explorer.engine import measures
from explorer.i18n import Translator

ARM_ORDER = ("pretrained", "random")


def _arm_colour(t: Translator) -> alt.Color:
    return alt.Color(
        "arm_name:N",
        title=None,
        sort=[t(f"pretrain.arm_{arm}") for arm in ARM_ORDER],
        scale=alt.Scale(domain=[t(f"pretrain.arm_{arm}") for arm in ARM_ORDER], range=list(QUANTITY_COLOURS[:2])),
        legend=alt.Legend(orient="top"),
    )


def _named(frame: pd.DataFrame, t: Translator) -> pd.DataFrame:
    return frame.assign(arm_name=frame.arm.map(lambda arm: t(f"pretrain.arm_{arm}")))


def _layer_x(t: Translator, n_layers: int) -> alt.X:
    return alt.X(
        "layer:Q",
        title=t("charts.layer_axis"),
        scale=alt.Scale(domain=[0.5, n_layers + 0.5]),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )


def reconstruction(stages: pd.DataFrame, t: Translator, *, height: int = 360) -> alt.Chart:
    """Each autoencoder stage's reconstruction MSE over its own training steps, coloured by layer."""
    data = positive(stages, "recon_loss")
    if data.empty:
        return empty_chart(t("pretrain.chart_no_pretraining"))
    return (
        alt.Chart(data, title=alt.Title(t("pretrain.chart_recon_title"), subtitle=t("pretrain.chart_recon_subtitle")))
        .mark_line(strokeWidth=1.8)
        .encode(
            x=alt.X("step:Q", title=t("pretrain.chart_pretrain_step")),
            y=alt.Y(
                "recon_loss:Q",
                title=t("pretrain.chart_recon_axis"),
                scale=alt.Scale(type="log", domain=log_domain(data.recon_loss)),
            ),
            color=layer_color(t, int(stages.layer.max())),
            detail="layer:N",
            tooltip=[
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip("step:Q", title=t("pretrain.chart_pretrain_step")),
                alt.Tooltip("recon_loss:Q", title=t("pretrain.chart_recon_axis"), format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def loss_curves(steps: pd.DataFrame, t: Translator, *, height: int = 360) -> alt.Chart:
    """Fine-tuning loss of both arms over the same steps and batches."""
    if steps.empty:
        return empty_chart(t("charts.nothing_recorded"))
    return (
        alt.Chart(
            _named(steps, t),
            title=alt.Title(t("pretrain.chart_loss_title"), subtitle=t("pretrain.chart_loss_subtitle")),
        )
        .mark_line(strokeWidth=1.6)
        .encode(
            x=alt.X("step:Q", title=t("pretrain.chart_finetune_step")),
            y=alt.Y("loss:Q", title=t("charts.loss"), scale=alt.Scale(zero=False)),
            color=_arm_colour(t),
            tooltip=[
                alt.Tooltip("arm_name:N", title=t("pretrain.chart_arm")),
                alt.Tooltip("step:Q", title=t("pretrain.chart_finetune_step")),
                alt.Tooltip("loss:Q", title=t("charts.loss"), format=".4f"),
                alt.Tooltip("accuracy:Q", title=t("charts.accuracy"), format=".1%"),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def _per_layer(
    frame: pd.DataFrame, column: str, n_layers: int, t: Translator, title: alt.Title, axis: str, height: int
) -> alt.Chart:
    data = positive(frame, column)
    if data.empty:
        return empty_chart(t("charts.nothing_recorded"))
    return (
        alt.Chart(_named(data, t), title=title)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=60), strokeWidth=1.6)
        .encode(
            x=_layer_x(t, n_layers),
            y=alt.Y(f"{column}:Q", title=axis, scale=alt.Scale(type="log", domain=log_domain(data[column]))),
            color=_arm_colour(t),
            tooltip=[
                alt.Tooltip("arm_name:N", title=t("pretrain.chart_arm")),
                alt.Tooltip("layer:Q", title=t("charts.layer_axis")),
                alt.Tooltip(f"{column}:Q", title=axis, format=EXACT),
            ],
        )
        .properties(width=WIDTH, height=height)
    )


def start_signal(layers: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """‖∂L/∂z_l‖ of every layer at the first fine-tuning step, both arms (log axis)."""
    at = layers[layers.step == 0]
    n_layers = int(layers.layer.max()) if len(layers) else 1
    title = alt.Title(t("pretrain.chart_signal_title"), subtitle=t("pretrain.chart_signal_subtitle"))
    return _per_layer(at, "signal_norm", n_layers, t, title, t("charts.signal_norm"), height)


def start_weights(weights: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """‖W_l‖ of every layer when fine-tuning starts: what pretraining did to the weights."""
    n_layers = int(weights.layer.max()) if len(weights) else 1
    title = alt.Title(t("pretrain.chart_weights_title"), subtitle=t("pretrain.chart_weights_subtitle"))
    return _per_layer(weights, "weight_norm", n_layers, t, title, t("pretrain.chart_weight_norm"), height)


def mean_update_ratio(layers: pd.DataFrame, t: Translator, *, height: int = 380) -> alt.Chart:
    """Per layer, the mean ‖ΔW‖/‖W‖ over all fine-tuning updates, both arms (log axis)."""
    means = measures.mean_update_ratio(layers, by=("arm",)).reset_index()
    n_layers = int(layers.layer.max()) if len(layers) else 1
    title = alt.Title(t("pretrain.chart_ratio_title"), subtitle=t("pretrain.chart_ratio_subtitle"))
    return _per_layer(means, "update_ratio", n_layers, t, title, t("charts.update_ratio"), height)
