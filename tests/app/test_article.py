"""The article on every page: quotes are the article's exact words, slips quote it exactly, the navigation
follows the article's order, and the home page's table links each section to its pages."""

from __future__ import annotations

import re

import pytest

from explorer import i18n
from explorer.app.navigation import ARTICLE_SECTIONS, PAGES
from tests.app.helpers import open_page, quote_problem, quoted_lines, text_of
from tests.app_registry import pages
from tests.conftest import article_text

EN, ZH = i18n.catalogue("en"), i18n.catalogue("zh")
QUOTED = sorted(key.removeprefix("article.quote_") for key in ZH if key.startswith("article.quote_"))
SLIPS = sorted(key[len("article.slip_") : -len("_says")] for key in ZH if re.fullmatch(r"article\.slip_\w+_says", key))


def article() -> str:
    return article_text()


@pytest.mark.parametrize("page", QUOTED)
def test_every_quote_is_the_articles_exact_words(page):
    lines = quoted_lines(ZH[f"article.quote_{page}"])
    assert lines, ZH[f"article.quote_{page}"]
    for line in lines:
        assert line in article(), line
    assert EN[f"article.quote_{page}"].startswith(ZH[f"article.quote_{page}"])  # Chinese first, then English


@pytest.mark.parametrize("name", SLIPS)
def test_every_slip_quotes_the_article_exactly(name):
    for catalogue in (EN, ZH):
        said = catalogue[f"article.slip_{name}_says"].strip("“”")
        assert said in article()


def test_closing_point_is_quoted_exactly():
    assert ZH["article.closing_quote"].strip("“”") in article()


def test_every_quote_belongs_to_a_registered_page():
    """Each material page is opened in English by test_every_page.py::test_page_runs_cleanly and in Chinese
    by test_i18n.py::test_page_renders_in_chinese; both check that it opens with its quote (quote_problem)."""
    assert {p.key for p in pages() if p.key in QUOTED} == set(QUOTED)


def test_navigation_follows_the_article():
    order = [key for entries in PAGES.values() for _, key, _, _ in entries]
    article_part = ["why", "chain", "activations", "shallow", "lab"]
    remedies = ["cost", "norm", "rnn", "pretrain", "exploding", "compare"]
    assert [k for k in order if k in article_part + remedies] == article_part + remedies
    sections = list(PAGES)
    assert sections[0] == "tour" and sections[-1] == "papers"  # the guided tour first, the papers last
    assert sections.index("beyond") == len(sections) - 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_home_table_links_each_section_in_order(lang):
    t = i18n.translator(lang)
    at = open_page("pages/why_gradient_descent.py", {"lang": lang})
    assert not at.exception, at.exception
    assert quote_problem(at, "why", lang) is None  # the home page opens with its own quote
    assert quote_problem(at, "lab", lang) is not None  # and quote_problem tells another page's from it
    text = text_of(at)
    positions = [text.index(t(f"article.section_{section}")) for section, _ in ARTICLE_SECTIONS]
    assert positions == sorted(positions)
    for section, keys in ARTICLE_SECTIONS:
        row = next(line for line in text.splitlines() if line.startswith(f"| {t(f'article.section_{section}')} |"))
        for key in keys:
            assert f"[{t(f'nav.{key}')}](" in row and f"?lang={lang})" in row
    beyond = next(line for line in text.splitlines() if line.startswith(f"| *{t('nav.section_beyond')}* |"))
    for key in [key for section in ("beyond", "papers") for _, key, _, _ in PAGES[section]]:
        assert f"[{t(f'nav.{key}')}](" in beyond


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_slip_boxes_are_on_their_pages(lang):
    t = i18n.translator(lang)
    where = {
        "zero": "pages/activation_derivatives.py",
        "sigmoid": "pages/activation_derivatives.py",
        "global": "pages/pretraining.py",
        "lstm": "pages/rnn_vs_lstm.py",
        "bn": "pages/normalisation_residual.py",
    }
    assert set(where) == set(SLIPS)
    for name, path in where.items():
        at = open_page(path, {"lang": lang})
        assert t(f"article.slip_{name}_precisely") in text_of(at), (name, lang)
