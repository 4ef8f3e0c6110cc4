"""Entry point: `streamlit run explorer_app.py`. Page config and navigation only; the pages do the rest."""

import streamlit as st

from explorer import ui

st.set_page_config(page_title="Gradient explorer", page_icon="∇", layout="wide")
t = ui.translator()

# url_path is fixed per page, so links work in every language; only the titles are translated.
PAGES = {
    "material": [
        ("pages/why_gradient_descent.py", "why", "why-gradient-descent", True),
        ("pages/activation_derivatives.py", "activations", "activation-derivatives", False),
        ("pages/chain_rule.py", "chain", "chain-rule", False),
    ],
    "experiments": [
        ("pages/lab.py", "lab", "lab", False),
        ("pages/remedy_comparison.py", "compare", "remedy-comparison", False),
        ("pages/shallow_net.py", "shallow", "shallow-net", False),
        ("pages/rnn_vs_lstm.py", "rnn", "rnn-vs-lstm", False),
        ("pages/pretraining.py", "pretrain", "pretraining", False),
        ("pages/exploding_gradients.py", "exploding", "exploding-gradients", False),
        ("pages/activation_cost.py", "cost", "activation-cost", False),
    ],
    "papers": [
        ("pages/papers.py", "presets", "papers", False),
    ],
}

navigation = st.navigation(
    {
        t(f"nav.section_{section}"): [
            st.Page(path, title=t(f"nav.{key}"), url_path=url_path, default=default)
            for path, key, url_path, default in pages
        ]
        for section, pages in PAGES.items()
    }
)
navigation.run()
