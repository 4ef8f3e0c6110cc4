"""The app's pages: file, title key (nav.toml), address and section. Pure data, read by the entry,
the home page's map and the tests, so the page list exists once.
"""

from __future__ import annotations

# url_path is fixed per page, so links work in every language; only the titles are translated. It is
# the file's stem on purpose: on a fresh server's first script run Streamlit still treats pages/ the
# old way (one page per file, addressed by stem), and matching addresses let that run land on the page
# the link names (explorer/ui.py then reruns it through this entry).
PAGES = {
    "tour": [
        ("pages/tour.py", "tour", "tour", False),
    ],
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


def other_pages() -> list[tuple[str, str]]:
    """(file, title key) of every page but the home page, in navigation order."""
    return [(path, key) for entries in PAGES.values() for path, key, _, default in entries if not default]
