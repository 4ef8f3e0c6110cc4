"""The app's pages: file, title key (nav.toml), address and section, in the article's order; and the
article's sections with the pages that examine them (the home page's table). Pure data, read by the entry,
the home page and the tests, so the page list exists once.
"""

from __future__ import annotations

# url_path is fixed per page, so links work in every language; only the titles are translated. It is
# the file's stem on purpose: on a fresh server's first script run Streamlit still treats pages/ the
# old way (one page per file, addressed by stem), and matching addresses let that run land on the page
# the link names (explorer/ui.py then reruns it through this entry).
#
# Order: the article's own (§1 why gradient descent, §3 its chain-rule network and σ′, §2 the effect,
# measured in the lab), then the remedies in the article's order (§4.1 … §4.5), then pages that go beyond
# the article, then the papers. The guided tour comes first; an empty section is not shown.
PAGES = {
    "tour": [
        ("pages/tour.py", "tour", "tour", False),
    ],
    "article": [
        ("pages/why_gradient_descent.py", "why", "why_gradient_descent", True),
        ("pages/chain_rule.py", "chain", "chain_rule", False),
        ("pages/activation_derivatives.py", "activations", "activation_derivatives", False),
        ("pages/shallow_net.py", "shallow", "shallow_net", False),
        ("pages/lab.py", "lab", "lab", False),
    ],
    "remedies": [
        ("pages/activation_cost.py", "cost", "activation_cost", False),  # §4.1
        ("pages/normalisation_residual.py", "norm", "normalisation_residual", False),  # §4.2, §4.3
        ("pages/rnn_vs_lstm.py", "rnn", "rnn_vs_lstm", False),  # §4.4 LSTM
        ("pages/pretraining.py", "pretrain", "pretraining", False),  # §4.4 pretraining
        ("pages/exploding_gradients.py", "exploding", "exploding_gradients", False),  # §4.5
        ("pages/remedy_comparison.py", "compare", "remedy_comparison", False),  # §4, side by side
    ],
    "beyond": [
        ("pages/jacobian_spectrum.py", "spectrum", "jacobian_spectrum", False),
        ("pages/order_to_chaos.py", "chaos", "order_to_chaos", False),
        ("pages/run_board.py", "board", "run_board", False),
    ],
    "papers": [
        ("pages/papers.py", "presets", "papers", False),
    ],
}

# The article's sections (keys of article.toml: section_<id>) and the pages that examine each, in order.
ARTICLE_SECTIONS = (
    ("1", ("why",)),
    ("2", ("shallow", "lab")),
    ("3", ("chain", "activations", "lab")),
    ("4", ("compare",)),
    ("4_1", ("activations", "cost", "compare")),
    ("4_2", ("norm", "compare")),
    ("4_3", ("norm", "compare")),
    ("4_4_lstm", ("rnn",)),
    ("4_4_pretrain", ("pretrain",)),
    ("4_5", ("exploding", "compare")),
)


def shown_sections() -> dict[str, list[tuple[str, str, str, bool]]]:
    """PAGES without its empty sections (Streamlit's navigation has no use for a heading without pages)."""
    return {section: entries for section, entries in PAGES.items() if entries}


def url_of(key: str) -> str:
    """The address of the page whose title key is `key`."""
    return next(url for entries in PAGES.values() for _, k, url, _ in entries if k == key)


def other_pages() -> list[tuple[str, str]]:
    """(file, title key) of every page but the home page, in navigation order."""
    return [(path, key) for entries in PAGES.values() for path, key, _, default in entries if not default]
