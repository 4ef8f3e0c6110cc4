"""The article on every material page: the sentence a page examines, quoted exactly (article.toml), the
article's own slips in a marked "the article says… more precisely…" box, and the home page's table of
the article's sections and the pages that examine them."""

from __future__ import annotations

import streamlit as st

from explorer import i18n
from explorer.app.language import language
from explorer.app.navigation import ARTICLE_SECTIONS, PAGES, url_of
from explorer.app.view import hidden


def quote(t: i18n.Translator, page: str) -> None:
    """The article's sentence that `page` examines: in Chinese, and in English with a rendering below."""
    if hidden("prose"):  # a link for a projector: charts and verdicts only
        return
    text = t(f"article.quote_{page}")
    paragraphs = [line for line in text.split("\n") if line] + [t(f"article.where_{page}")]
    st.markdown("\n>\n".join(f"> {line}" for line in paragraphs))


def slip(t: i18n.Translator, name: str) -> None:
    """A marked box: what the article says (quoted) and, more precisely, what is true."""
    if hidden("prose"):  # a link for a projector: charts and verdicts only
        return
    box = st.container(border=True)
    box.markdown(
        f":material/edit_note: {t('article.slip_says')}\n\n> {t(f'article.slip_{name}_says')}\n\n"
        f"{t('article.slip_precisely')} {t(f'article.slip_{name}_precisely')}"
    )


def closing(t: i18n.Translator) -> None:
    """The article's closing point on pretraining: today one fine-tunes a model pretrained on large data."""
    if hidden("prose"):  # a link for a projector: charts and verdicts only
        return
    box = st.container(border=True)
    box.markdown(f"{t('article.closing_title')}\n\n> {t('article.closing_quote')}\n\n{t('article.closing_text')}")


def section_table(t: i18n.Translator) -> None:
    """Markdown table: the article's sections, in order, and links to the pages that examine each."""
    lang = language()
    rows = [f"| {t('article.table_section')} | {t('article.table_pages')} |", "|---|---|"]
    for section, pages in ARTICLE_SECTIONS:
        links = " · ".join(f"[{t(f'nav.{page}')}]({url_of(page)}?lang={lang})" for page in pages)
        rows.append(f"| {t(f'article.section_{section}')} | {links} |")
    further = [key for section in ("beyond", "papers") for _, key, _, _ in PAGES.get(section, [])]
    if further:  # pages that go beyond the article, and the papers, in navigation order
        links = " · ".join(f"[{t(f'nav.{page}')}]({url_of(page)}?lang={lang})" for page in further)
        rows.append(f"| *{t('nav.section_beyond')}* | {links} |")
    st.markdown("\n".join(rows))
