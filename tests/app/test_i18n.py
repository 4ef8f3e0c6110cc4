"""Both languages, everywhere: the catalogues mirror each other key for key and placeholder for
placeholder, no page holds a user-facing string of its own, and every page renders in Chinese.

The catalogue and rendering tests cover every section, so they fail while a section is still
untranslated: the failure names the missing keys.
"""

from __future__ import annotations

import ast
import re
import string

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from explorer import i18n
from tests import app_registry
from tests.app.helpers import quote_problem

PAGES_DIR = app_registry.REPO / "pages"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LETTER = re.compile(r"[A-Za-z]")

# Keys whose Chinese is, rightly, the same Latin text as the English: proper names and formulas.
# Keep it minimal; a key only belongs here if no Chinese word would make it better.
SAME_IN_BOTH = {
    "ui.language_en",
    "names.activation.sigmoid",
    "names.activation.tanh",
    "names.activation.relu",
    "names.activation.leaky_relu",
    "names.activation.elu",
    "names.activation.gelu",
    "names.activation.silu",
    "names.init.xavier",
    "names.init.he",
    "names.optimizer.sgd",
    "names.optimizer.adam",
    "charts.signal_norm",
    "charts.grad_norm",
    "charts.update_ratio",
    "charts.log_update_ratio",
    "compare.remedy_elu",
    # the chain rule's factors, used as tick labels: formulas, where words would crowd the axis
    "chain.factor_error",
    "chain.factor_out",
    "chain.factor_w4",
    "chain.factor_w3",
    "chain.factor_w2",
    "chain.factor_x",
    "chain.running_error",
    "chain.running_out",
    "chain.running_w4",
    "chain.running_w3",
    "chain.running_w2",
    "chain.running_x",
}

EN, ZH = i18n.catalogue("en"), i18n.catalogue("zh")


# ----- the catalogues ---------------------------------------------------------------------------------


def placeholders(text: str) -> set[str] | str:
    """The {field} names str.format would fill (or the parse error, which must then match too)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as error:
        return f"unparseable: {error}"


def by_section(keys: set[str]) -> str:
    """ "why: 57 keys (why.axis_b, why.axis_w, ...); ...": short enough to read in a failure."""
    sections: dict[str, list[str]] = {}
    for key in sorted(keys):
        sections.setdefault(key.split(".")[0], []).append(key)
    return "; ".join(f"{name}: {len(keys)} keys ({', '.join(keys[:3])}, ...)" for name, keys in sections.items())


def test_every_english_key_has_chinese():
    missing = set(EN) - set(ZH)
    assert not missing, f"keys without Chinese, by section: {by_section(missing)}"


def test_every_chinese_key_has_english():
    extra = set(ZH) - set(EN)
    assert not extra, f"Chinese keys the English catalogue lacks: {by_section(extra)}"


def test_same_placeholders_per_key():
    differ = {
        key: (placeholders(EN[key]), placeholders(ZH[key]))
        for key in sorted(set(EN) & set(ZH))
        if placeholders(EN[key]) != placeholders(ZH[key])
    }
    assert not differ, f"placeholders differ (en, zh): {differ}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_empty_values(lang):
    empty = [key for key, text in i18n.catalogue(lang).items() if not text.strip()]
    assert not empty


def test_chinese_is_written_in_chinese():
    untranslated = {
        key: ZH[key]
        for key in sorted(set(EN) & set(ZH))
        if LETTER.search(EN[key]) and not CJK.search(ZH[key]) and key not in SAME_IN_BOTH
    }
    assert not untranslated, f"Chinese values without Chinese text: {untranslated}"


def test_same_in_both_allow_list_is_minimal():
    assert set(EN) >= SAME_IN_BOTH, f"stale allow-list entries: {SAME_IN_BOTH - set(EN)}"
    translated = {key for key in SAME_IN_BOTH if key in ZH and CJK.search(ZH[key])}
    assert not translated, f"now translated, drop from SAME_IN_BOTH: {translated}"


def test_language_names_are_the_same_in_both():
    for catalogue in (EN, ZH):
        assert catalogue["ui.language_zh"] == "中文"
        assert catalogue["ui.language_en"] == "English"


def test_chinese_uses_the_material_terms():
    # The source material's terms (seed/gradient-vanishing-exploding.zh.txt), not ad-hoc synonyms.
    assert "梯度消失" in ZH["lab.verdict_vanishing"] and "梯度爆炸" in ZH["lab.verdict_exploding"]
    assert ZH["controls.activation"] == "激活函数"
    assert ZH["compare.remedy_batch_norm"].startswith("批归一化")
    assert "梯度剪切" in ZH["compare.remedy_clipping"] and "残差" in ZH["compare.remedy_residual"]


# ----- the translator ---------------------------------------------------------------------------------


def test_translator_formats_chinese():
    t = i18n.translator("zh")
    assert t("charts.at_end", step=120) == "第 120 步（结束）"
    assert "`spirals`" in t("ui.url_problem", field="dataset", value="spirals", allowed="moons, xor")
    assert "约需 95 秒" in t("ui.too_large", seconds="95", limit="60")
    verdict = t("lab.verdict_vanishing", factor="0.25", ratio="1.0e-06", decades="6.0", factors=9)
    assert all(figure in verdict for figure in ("0.25", "1.0e-06", "6.0", "9")) and "{" not in verdict
    assert t("compare.with", remedy=t("compare.remedy_residual")) == "采用 残差连接"
    assert t("lab.title") == "梯度流实验室"


def test_missing_key_is_visible_and_unknown_language_raises():
    assert i18n.translator("zh")("lab.no_such_key") == "⟦lab.no_such_key⟧"
    with pytest.raises(ValueError):
        i18n.translator("xx")


def test_chart_subtitle_lines_split_alike():
    # Chart builders split on "\n" (multi-line subtitles); a translation keeps the same number of lines.
    differ = [
        key for key in set(EN) & set(ZH) if key.startswith("charts.") and EN[key].count("\n") != ZH[key].count("\n")
    ]
    assert not differ


# ----- no hard-coded strings in pages ------------------------------------------------------------------

# Streamlit calls that put text on screen (on st, st.sidebar, columns, expanders, ...): any call of an
# attribute with one of these names.
TEXT_CALLS = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "info", "warning", "error",
    "success", "metric", "button", "download_button", "checkbox", "radio", "selectbox", "slider",
    "select_slider", "number_input", "text_input", "expander", "tabs", "toggle", "page_link", "latex",
}  # fmt: skip
TEXT_KEYWORDS = {"label", "help", "body", "caption", "placeholder", "text", "title", "value", "delta"}
FILE_NAME = re.compile(r"^[\w.-]+\.[A-Za-z0-9]{1,5}$")
MIME_TYPE = re.compile(r"^[a-z]+/[\w.+-]+$")
PERCENT_SPEC = re.compile(r"%(\(\w+\))?[-+ #0]*(\d+|\*)?(\.(\d+|\*))?[diouxXeEfFgGcrsa%]")
LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
LATEX_FUNCTIONS = {"exp", "log", "max", "min", "sin", "cos", "tanh", "std", "var", "softmax"}


def _literal_texts(node: ast.AST, options_formatted: bool) -> list[str]:
    """The literal text an argument expression contributes (format fields and f-string values dropped)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):  # only its literal parts; {value:.2e} specs are not text
        return ["".join(part.value for part in node.values if isinstance(part, ast.Constant))]
    if isinstance(node, ast.IfExp):
        return _literal_texts(node.body, options_formatted) + _literal_texts(node.orelse, options_formatted)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _literal_texts(node.left, options_formatted) + _literal_texts(node.right, options_formatted)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_texts(node.func.value, options_formatted)  # "Hello {}".format(x)
    if isinstance(node, ast.List | ast.Tuple | ast.Set) and not options_formatted:
        return [text for element in node.elts for text in _literal_texts(element, options_formatted)]
    return []


def _is_words(text: str) -> bool:
    """Natural language left once format fields, %-specs, file names and mime types are set aside."""
    if FILE_NAME.match(text) or MIME_TYPE.match(text):
        return False
    try:
        literal = "".join(part for part, *_ in string.Formatter().parse(text))
    except ValueError:
        literal = text
    return any(ch.isalpha() for ch in PERCENT_SPEC.sub("", literal))


def _is_latex_words(formula: str) -> bool:
    """A formula may use commands and one-/two-letter symbols, not words (\\text{loss} is a word)."""
    words = re.findall(r"[A-Za-z]{3,}", LATEX_COMMAND.sub(" ", formula))
    return any(word not in LATEX_FUNCTIONS for word in words) or bool(CJK.search(formula))


def hardcoded_strings(source: str, filename: str = "<page>") -> list[tuple[int, str]]:
    """(line, text) of every literal a page passes as text to a Streamlit display or widget call."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in TEXT_CALLS or isinstance(node.func.value, ast.Constant | ast.JoinedStr):
            continue  # not a Streamlit call ("abc".title() is str.title)
        formatted = any(keyword.arg == "format_func" for keyword in node.keywords)
        arguments = list(node.args) + [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        is_words = _is_latex_words if node.func.attr == "latex" else _is_words
        for argument in arguments:
            found += [(node.lineno, text) for text in _literal_texts(argument, formatted) if is_words(text)]
    return found


HARDCODED = [
    'st.title("Hello")',
    'st.sidebar.slider("Depth", 1, 64, key="lab.depth")',
    'cols = st.columns(2)\ncols[0].metric(t("lab.metric"), f"{v:.2f} layers")',
    'with st.expander("Details"):\n    pass',
    'st.selectbox(t("x"), ["Apple", "Banana"])',
    'st.tabs(["One", "Two"])',
    'st.markdown("Loss: {}".format(loss))',
    'st.info(t("a") + " (approx.)")',
    'st.button(label="Go", key="go")',
    'st.markdown("你好")',
    'st.latex(r"\\text{loss} = \\sum_i \\ell_i")',
    'st.warning("—" if bad else "No data")',
    'st.metric(t("x"), 3, help="Mean over the run")',
]
CLEAN = [
    'st.title(t("lab.title"))',
    'cols = st.columns(4)\ncols[0].metric(t("lab.m"), f"{ratio:.1e}", help=t("lab.m_help"))',
    'left.metric(t("lab.s"), "—" if speed != speed else f"{speed:.2g}×")',
    'st.sidebar.number_input(t("c.lr"), 1e-5, 10.0, format="%.4g", key="run.lr")',
    'st.metric(t("x"), "×{:.3g}".format(factor))',
    'st.metric(t("x"), "%.2f" % value)',
    'st.selectbox(t("c.act"), ["relu", "tanh"], key="a", format_func=lambda v: t(f"names.activation.{v}"))',
    'st.download_button(t("ui.download"), data, "gradient-run.csv", "text/csv", key="dl")',
    'st.latex(r"\\frac{\\partial L}{\\partial w_1} = \\sigma\'(z_4)\\, w_4 \\cdots \\exp(x)")',
    'left.altair_chart(chart, width="stretch")',
    'st.markdown(" ".join(parts))',
    "name.title()",
]


@pytest.mark.parametrize("source", HARDCODED)
def test_checker_flags_hardcoded_text(source):
    assert hardcoded_strings(source), source


@pytest.mark.parametrize("source", CLEAN)
def test_checker_passes_catalogue_text(source):
    assert hardcoded_strings(source) == []


@pytest.mark.parametrize("path", sorted(PAGES_DIR.glob("*.py")), ids=lambda path: path.name)
def test_page_has_no_hardcoded_text(path):
    assert hardcoded_strings(path.read_text(encoding="utf-8"), str(path)) == []


# ----- every page in Chinese (AppTest) ----------------------------------------------------------------


def _strings(message: Message) -> list[str]:
    """Every string field of a protobuf message, nested ones included (text, labels, help, chart specs)."""
    found = []
    for _, value in message.ListFields():
        repeated = not isinstance(value, str | bytes | Message) and hasattr(value, "__iter__")
        for item in value if repeated else [value]:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, Message):
                found += _strings(item)
    return found


def shown_text(at: AppTest) -> list[str]:
    """All text the run put on screen, main area and sidebar, charts included."""
    texts, stack = [], [at.main, at.sidebar]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            texts += _strings(proto)
        stack += list(getattr(node, "children", {}).values())
    return texts


def open_page(path: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(app_registry.ENTRY), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    # the home page wrote its own settings (lr, steps, ...) into the URL; Streamlit clears the query
    # parameters on a page change, so the page opens on its defaults, as from the sidebar
    at.query_params.clear()
    at.query_params["lang"] = lang
    at.switch_page(path)
    return at.run()


@pytest.mark.slow
@pytest.mark.parametrize("page", app_registry.pages(), ids=lambda page: page.url_path)
def test_page_renders_in_chinese(page):
    at = open_page(page.path, "zh")
    assert not at.exception, [e.value for e in at.exception]
    titles = [title.value for title in at.title]
    assert titles and CJK.search(titles[0]), f"title not in Chinese: {titles}"
    gaps = sorted({marker for text in shown_text(at) for marker in re.findall(r"⟦[^⟧]*⟧", text)})
    assert not gaps, f"untranslated keys on {page.path}: {gaps}"
    assert quote_problem(at, page.key, "zh") is None  # a material page opens with its article quote


def test_unknown_language_in_url_warns_and_shows_english():
    at = AppTest.from_file(str(app_registry.ENTRY), default_timeout=120)
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception
    assert i18n.translator("en")("ui.lang_ignored", value="xx") in [warning.value for warning in at.warning]
    assert at.title and not CJK.search(at.title[0].value)
    assert at.sidebar.selectbox(key="lang").value == "en"


def test_chinese_in_url_switches_the_sidebar_and_navigation():
    at = AppTest.from_file(str(app_registry.ENTRY), default_timeout=120)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    picker = at.sidebar.selectbox(key="lang")
    assert picker.value == "zh" and picker.label == ZH["ui.language"]
    assert picker.options == ["English", "中文"]


def test_page_files_are_all_registered():
    # A page that is not registered would escape the rendering test above.
    registered = {page.path for page in app_registry.pages()}
    assert {f"pages/{path.name}" for path in PAGES_DIR.glob("*.py")} == registered


def test_language_survives_switching_pages():
    # The picker is a widget on every page; Streamlit drops a widget's state when the page changes, so
    # the language must be kept apart from the widget's own key.
    at = AppTest.from_file(str(app_registry.ENTRY), default_timeout=120)
    at.run()
    at.sidebar.selectbox(key="lang").set_value("zh").run()
    at.switch_page("pages/lab.py")
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="lang").value == "zh"
    assert at.title[0].value == ZH["lab.title"]
