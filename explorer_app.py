"""Entry point: `streamlit run explorer_app.py`. Page config and navigation only; the pages do the rest."""

import streamlit as st

from explorer import ui

st.set_page_config(page_title="Gradient explorer", page_icon="∇", layout="wide")
t = ui.translator()

# url_path is fixed per page, so links work in every language; only the titles are translated. It is
# the file's stem on purpose: on a fresh server's first script run Streamlit still treats pages/ the
# old way (one page per file, addressed by stem), and matching addresses let that run land on the page
# the link names (explorer/ui.py then reruns it through this entry).
PAGES = {
    "material": [
        ("pages/why_gradient_descent.py", "why", "why_gradient_descent", True),
        ("pages/activation_derivatives.py", "activations", "activation_derivatives", False),
        ("pages/chain_rule.py", "chain", "chain_rule", False),
    ],
    "experiments": [
        ("pages/lab.py", "lab", "lab", False),
        ("pages/remedy_comparison.py", "compare", "remedy_comparison", False),
        ("pages/shallow_net.py", "shallow", "shallow_net", False),
        ("pages/rnn_vs_lstm.py", "rnn", "rnn_vs_lstm", False),
        ("pages/pretraining.py", "pretrain", "pretraining", False),
        ("pages/exploding_gradients.py", "exploding", "exploding_gradients", False),
        ("pages/activation_cost.py", "cost", "activation_cost", False),
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
