"""explorer/i18n.py on its own (no Streamlit): catalogue loading and flattening, the translator's
formatting, its visible gap for a missing key, and its refusal of an unknown language."""

from __future__ import annotations

import pytest

from explorer import i18n


def test_languages_and_default():
    assert i18n.LANGUAGES == ("en", "zh")
    assert i18n.DEFAULT_LANGUAGE == "en"
    assert i18n.SENTENCE_SEPARATOR == {"en": " ", "zh": ""}


def test_catalogue_flattens_section_and_nested_tables(tmp_path, monkeypatch):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "alpha.toml").write_text('title = "A"\n[run]\nsteps = "S {n}"\n[run.deep]\nx = 3\n')
    (tmp_path / "en" / "beta.toml").write_text('title = "B"\n')
    (tmp_path / "en" / "notes.txt").write_text('title = "not a catalogue"\n')
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        entries = i18n.catalogue("en")
        assert entries == {"alpha.title": "A", "alpha.run.steps": "S {n}", "alpha.run.deep.x": "3", "beta.title": "B"}
        t = i18n.translator("en")
        assert t("alpha.run.steps", n=7) == "S 7"
        assert t("alpha.run.steps") == "S {n}"  # no values: the text as written
        assert t("alpha.missing") == "⟦alpha.missing⟧"
    finally:
        i18n.catalogue.cache_clear()


def test_catalogue_refuses_an_unknown_language_by_name():
    with pytest.raises(ValueError, match=r"lang: must be one of en, zh; got 'xx'"):
        i18n.catalogue("xx")


def test_real_catalogues_are_flat_strings_keyed_by_section():
    for lang in i18n.LANGUAGES:
        entries = i18n.catalogue(lang)
        assert entries["lab.title"]
        assert all(isinstance(value, str) for value in entries.values())
        assert all(key.count(".") >= 1 for key in entries)


def test_translator_formats_values_and_marks_missing_keys():
    en, zh = i18n.translator("en"), i18n.translator("zh")
    assert en("charts.at_end", step=120) != i18n.catalogue("en")["charts.at_end"]
    assert "120" in en("charts.at_end", step=120) and "120" in zh("charts.at_end", step=120)
    assert en("no.such_key", step=1) == "⟦no.such_key⟧"
    assert en("lab.title") == i18n.catalogue("en")["lab.title"]
    with pytest.raises(ValueError):
        i18n.translator("fr")
