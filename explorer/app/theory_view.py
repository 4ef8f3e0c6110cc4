"""The step-0 comparison of measured signal and mean-field prediction, in words: what the lab and the
order-to-chaos page say under their theory chart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import i18n
from explorer.engine import theory


def show_agreement(layers: pd.DataFrame, prediction: theory.Prediction, t: i18n.Translator) -> None:
    """Why there is no prediction, or both per-layer factors and the largest gap, with a verdict on it."""
    found = theory.agreement(layers, prediction)
    if not prediction.applicable:
        st.info(t(f"theory.reason_{prediction.reason}"))
    elif found is not None:
        worst = f"{10**found.max_log10_error:.2g}"
        st.markdown(
            t(
                "theory.agreement",
                predicted_factor=f"{found.predicted_factor:.3g}",
                predicted_ratio=f"{found.predicted_ratio:.1e}",
                measured_factor=f"{found.measured_factor:.3g}",
                measured_ratio=f"{found.measured_ratio:.1e}",
                worst=worst,
                layer=found.worst_layer,
            )
        )
        closeness = "close" if found.max_log10_error < 0.3 else "far"  # within a factor 2 at every layer
        st.caption(t(f"theory.agreement_{closeness}", worst=worst, layer=found.worst_layer))
