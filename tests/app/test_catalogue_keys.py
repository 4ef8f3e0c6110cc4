"""Every catalogue key the code asks for exists in English AND Chinese, including keys built at run time.

The en/zh parity tests (test_i18n.py) compare the two catalogues with each other, so a key deleted from
BOTH passes them. Here the reference is the code: every literal `t("section.key")` and every member of
every key family built with an f-string (`t(f"lab.verdict_{kind}")`), its members enumerated from the
code that produces them (the kinds a verdict function returns, the remedies, the theory's reasons, the
surface's outcomes, the presets, ...). A new f-string family fails `test_every_key_family_is_enumerated`
until it is listed in FAMILIES below.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import re
from collections.abc import Callable, Iterable

import pytest

from explorer import i18n
from explorer.engine import config as engine_config
from explorer.engine import measures, theory
from explorer.lessons import chain, exploding, presets, remedies, surface
from tests.app_registry import REPO

SOURCES = sorted([*(REPO / "explorer").rglob("*.py"), *(REPO / "pages").glob("*.py")])
EN, ZH = i18n.catalogue("en"), i18n.catalogue("zh")


def _is_translator_call(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and node.args):
        return False
    func = node.func
    # t(key, ...) translates now; Sentence(key, ...) is a lesson's verdict, translated by the page
    names = ("t", "Sentence")
    return (isinstance(func, ast.Name) and func.id in names) or (isinstance(func, ast.Attribute) and func.attr in names)


def _literal_keys(node: ast.AST) -> list[str]:
    """The keys a key expression can take when it is literal: a constant, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


def _template(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


SECTIONS = sorted(path.stem for path in (i18n.LOCALES / "en").glob("*.toml"))
KEY_SHAPE = re.compile(r"^(" + "|".join(SECTIONS) + r")\.[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


def _widget_keys(tree: ast.AST) -> set[int]:
    """ids of string nodes used as widget or session-state keys (`key="chain.x"`, `state["lab.x"]`)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "key":
            found |= {id(inner) for inner in ast.walk(node.value)}
        elif isinstance(node, ast.Subscript):
            found |= {id(inner) for inner in ast.walk(node.slice)}
        elif (  # st.session_state.get("chaos.map"), .pop(...), .setdefault(...)
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and ast.unparse(node.func.value).endswith("session_state")
            and node.args
        ):
            found |= {id(inner) for inner in ast.walk(node.args[0])}
    return found


def scan() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({literal key: [where]}, {f-string template "lab.verdict_{}": [where]}) over explorer/ and pages/.

    Literal keys: the first argument of every `t(...)` call, and any other string shaped like a key of an
    existing section ("rnn.trend_grew" kept in a variable, a verdict's key returned as data), widget keys
    aside. Templates: every f-string passed to `t(...)` or shaped like a key."""
    literal: dict[str, list[str]] = {}
    templates: dict[str, list[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        widget_keys = _widget_keys(tree)
        in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
            if _is_translator_call(node):
                key = node.args[0]
                if isinstance(key, ast.JoinedStr):
                    templates.setdefault(_template(key), []).append(where)
                for inner in ast.walk(key):
                    if id(inner) not in in_fstrings:
                        for text in _literal_keys(inner):
                            literal.setdefault(text, []).append(where)
            elif isinstance(node, ast.JoinedStr) and id(node) not in widget_keys:
                template = _template(node)
                if KEY_SHAPE.match(template.replace("{}", "x")) and not template.endswith("{}"):
                    templates.setdefault(template, []).append(where)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and KEY_SHAPE.match(node.value)
                and id(node) not in widget_keys
                and id(node) not in in_fstrings
            ):
                literal.setdefault(node.value, []).append(where)
    return literal, templates


LITERAL, TEMPLATES = scan()


def returned_strings(function: Callable) -> set[str]:
    """The string constants a function can return: `return "x"`, either branch of an if-else, and module
    constants returned by name (`return CRITICAL`)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and node.value:
            for inner in ast.walk(node.value):
                found |= set(_literal_keys(inner))
                value = function.__globals__.get(inner.id) if isinstance(inner, ast.Name) else None
                if isinstance(value, str):
                    found.add(value)
    return found


def assigned_strings(function: Callable, name: str) -> set[str]:
    """The string constants a function assigns to `name` (either branch of nested if-else expressions)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found |= {text for inner in ast.walk(node.value) for text in _literal_keys(inner)}
    return found


def first_arguments(function: Callable, callee: str) -> set[str]:
    """The string constants a function passes first to `callee(...)` (a verdict's kind)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == callee
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def first_keyword_strings(function: Callable, callee: str, keyword: str) -> set[str]:
    """The string constants a function passes as `keyword=` to `callee(...)` (a result's reason code)."""
    tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
    return {
        kw.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == callee
        for kw in node.keywords
        if kw.arg == keyword and isinstance(kw.value, ast.Constant)
    }


def theory_reasons() -> set[str]:
    """Every reason code `theory` passes to `_not_applicable` (module constants or literals)."""
    tree = ast.parse(inspect.getsource(theory))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_not_applicable":
            argument = node.args[0]
            found.add(getattr(theory, argument.id) if isinstance(argument, ast.Name) else argument.value)
    return found


def chain_keys() -> list[str]:
    result = chain.compute(chain.ChainConfig())
    return list(result.factors.key)


def chain_columns() -> list[str]:
    return ["factor", "value", "product", "running", "autograd", *chain.compute(chain.ChainConfig()).neurons.columns]


def page_verdicts(page: str, family: str) -> set[str]:
    """The kinds a page's own f-string verdict can take: the string constants assigned to `kind` there."""
    tree = ast.parse((REPO / "pages" / page).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == family for t in node.targets):
            found |= set(_literal_keys(node.value))
    return found


def tour_keys() -> list[str]:
    from explorer.lessons import tour

    return [step.key for step in tour.STEPS]


def tour_options() -> list[tuple[str, str]]:
    from explorer.lessons import tour

    return [(step.key, str(i)) for step in tour.STEPS for i in range(len(step.options))]


def tour_references() -> list[tuple[str, str]]:
    """(step, name) of every reference run a step's measurement names: the keywords of its `_pairs(...)`
    passed as `references=` or assigned to `references` in tour_runs.MEASURES[step]."""
    from explorer.lessons import tour_runs

    found = []
    for key, function in tour_runs.MEASURES.items():
        tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
        calls = [
            kw.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            for kw in node.keywords
            if kw.arg == "references"
        ]
        calls += [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "references" for t in node.targets)
        ]
        for call in calls:
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "_pairs":
                found += [(key, kw.arg) for kw in call.keywords]
    return found


def tour_with_theory() -> list[str]:
    """The steps whose measurement carries a theory value (a second argument or `theory=` to Measurement)."""
    from explorer.lessons import tour_runs

    found = []
    for key, function in tour_runs.MEASURES.items():
        tree = ast.parse(inspect.cleandoc("\n" + inspect.getsource(function)))
        for node in ast.walk(tree):
            is_measurement = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Measurement"
            if is_measurement and (len(node.args) >= 2 or any(kw.arg == "theory" for kw in node.keywords)):
                found.append(key)
    return found


def navigation_keys() -> list[str]:
    from explorer.app.navigation import PAGES

    return [key for entries in PAGES.values() for _, key, _, _ in entries]


def settings_names() -> list[tuple[str, str]]:
    choices = {
        "activation": engine_config.ACTIVATIONS,
        "init": engine_config.INITS,
        "norm": engine_config.NORMS,
        "optimizer": engine_config.OPTIMIZERS,
        "dataset": engine_config.DATASETS,
    }
    return [(field, value) for field, values in choices.items() for value in values]


# Rendered: families whose members are fixed by the calling code (a chart's own column or part names), so
# the default view of every page shows all of them, and test_every_page finds a missing one as ⟦key⟧.
RENDERED = None

# template -> its members: a callable returning the values (or tuples of values) that fill the braces.
FAMILIES: dict[str, Callable[[], Iterable] | None] = {
    # verdicts, outcomes and reasons: what a measurement decides, so a default view shows only one
    # (flow_kind's "undefined", a NaN ratio, gets no verdict: pages/lab.py skips it)
    "lab.verdict_{}": lambda: returned_strings(measures.flow_kind) - {"undefined"},
    "chain.verdict_{}": lambda: (
        assigned_strings(chain.verdict, "kind") | first_arguments(chain.verdict, "ChainVerdict")
    ),
    "chain.moves_{}": lambda: assigned_strings(chain.verdict, "moves"),
    "why.outcome_{}": lambda: returned_strings(surface._outcome),
    "theory.reason_{}": theory_reasons,
    "theory.agreement_{}": lambda: assigned_strings(
        __import__("explorer.app.theory_view", fromlist=["show_agreement"]).show_agreement, "closeness"
    ),
    "shallow.{}_title": lambda: ("vanishing", "flowing"),
    "lab.section_{}": lambda: __import__("explorer.charts.lab", fromlist=["SECTIONS"]).SECTIONS,
    # remedies, arms, presets, pages, languages, settings
    "compare.remedy_{}": lambda: remedies.REMEDIES,
    "compare.how_{}": lambda: remedies.REMEDIES,
    "exploding.{}": lambda: exploding.REMEDY_FIELDS,
    "exploding.{}_help": lambda: exploding.REMEDY_FIELDS,
    "pretrain.metric_flow_{}": lambda: __import__("explorer.lessons.pretrain", fromlist=["ARMS"]).ARMS,
    "pretrain.arm_{}": lambda: __import__("explorer.charts.pretrain", fromlist=["ARM_ORDER"]).ARM_ORDER,
    "exploding.arm_{}": lambda: __import__("explorer.charts.exploding", fromlist=["ARM_ORDER"]).ARM_ORDER,
    "papers.{}.title": lambda: presets.PRESETS,
    "papers.{}.claim": lambda: presets.PRESETS,
    "papers.{}.citation": lambda: presets.PRESETS,
    "papers.{}.figure": lambda: presets.PRESETS,
    "papers.{}.pass_rule": lambda: presets.PRESETS,
    "papers.{}.config": lambda: presets.PRESETS,
    "papers.{}.chart_title": lambda: presets.PRESETS,
    "papers.{}.chart_subtitle": lambda: presets.PRESETS,
    "papers.{}.x_axis": lambda: presets.PRESETS,
    "papers.{}.y_axis": lambda: presets.PRESETS,
    "papers.run.{}": lambda: {name for preset in presets.PRESETS.values() for name in preset.configs},
    "nav.{}": navigation_keys,
    "why.map_{}": lambda: [key for _, key in __import__("explorer.app.navigation", fromlist=["x"]).other_pages()],
    "ui.language_{}": lambda: i18n.LANGUAGES,
    "controls.{}": lambda: [f.name for f in dataclasses.fields(engine_config.RunConfig)],
    "names.{}.{}": settings_names,
    "board.field.{}": lambda: [
        f.name
        for f in dataclasses.fields(engine_config.RunConfig)
        if f.name not in ("residual", *__import__("explorer.app.board", fromlist=["x"]).NAMED_ALONE)
    ],
    "names.activation.{}": lambda: {*engine_config.ACTIVATIONS, *chain.CHAIN_ACTIVATIONS},
    "names.dataset.{}": lambda: engine_config.DATASETS,
    "names.init.{}": lambda: engine_config.INITS,
    "names.norm.{}": lambda: engine_config.NORMS,
    "names.optimizer.{}": lambda: engine_config.OPTIMIZERS,
    "chain.factor_{}": chain_keys,
    "chain.running_{}": chain_keys,
    "chain.col_{}": chain_columns,
    "cost.part_{}": lambda: __import__("explorer.charts.cost", fromlist=["PARTS"]).PARTS,
    # the guided tour: its steps, their options and reference runs, the summary's marks
    **{
        f"tour.{{}}.{part}": tour_keys
        for part in ("title", "quote", "where", "rendering", "setup", "question", "chart_title", "explain")
    },  # fmt: skip
    "tour.{}.theory": tour_with_theory,  # shown only where a theory applies
    "tour.{}.option_{}": tour_options,
    "tour.{}.ref_{}": tour_references,
    "tour.mark_{}": lambda: page_verdicts("tour.py", "mark"),
    "norm.bn_verdict_{}": lambda: returned_strings(
        __import__("explorer.lessons.normres", fromlist=["x"]).batchnorm_verdict
    ),
    "spectrum.verdict_{}": lambda: assigned_strings(
        __import__("explorer.lessons.isometry", fromlist=["x"]).verdict, "kind"
    ),
    "spectrum.variant_{}": lambda: __import__("explorer.engine.spectrum", fromlist=["x"]).VARIANTS,
    "spectrum.no_law_{}": lambda: first_keyword_strings(
        __import__("explorer.lessons.isometry", fromlist=["x"]).predicted_law, "Law", "reason"
    ),
    "chaos.verdict_{}": lambda: returned_strings(__import__("explorer.engine.chaos", fromlist=["x"]).phase),
    "correlation.verdict_{}": lambda: returned_strings(
        __import__("explorer.lessons.order_chaos", fromlist=["x"]).correlation_kind
    ),
    "export.download_{}": lambda: __import__("explorer.app.export", fromlist=["x"]).DOWNLOADS,
    "export.download_{}_help": lambda: __import__("explorer.app.export", fromlist=["x"]).DOWNLOADS,
    "share.hide_{}": lambda: __import__("explorer.app.view", fromlist=["x"]).HIDE,
    "hist.axis_{}": lambda: __import__("explorer.engine.histograms", fromlist=["x"]).QUANTITIES,
    "hist.title_{}": lambda: __import__("explorer.engine.histograms", fromlist=["x"]).QUANTITIES,
    # the article's quote, source and slip boxes: each page passes its own fixed names, shown on every view
    "article.quote_{}": RENDERED,
    "article.where_{}": RENDERED,
    "article.slip_{}_says": RENDERED,
    "article.slip_{}_precisely": RENDERED,
    "article.section_{}": RENDERED,
    # the normalisation page has no settings: its default view is its only view
    "norm.variant_{}": RENDERED,
    "norm.series_{}": RENDERED,
    "norm.diagram_{}": RENDERED,
    "norm.col_{}": RENDERED,
    "norm.metric_spread_{}": RENDERED,
    "norm.metric_saturation_{}": RENDERED,
    "norm.kind_{}": RENDERED,
    "norm.{}": RENDERED,
    # chart families: the members are the column/part names the calling page passes, shown on every view
    "activations.all_{}_subtitle": RENDERED,
    "activations.all_{}_title": RENDERED,
    "activations.series_{}": RENDERED,
    "activations.col_{}": RENDERED,
    "charts.{}": RENDERED,
    "charts.{}_title": RENDERED,
    "charts.history_{}": RENDERED,
    "cost.inputs_{}": RENDERED,
    "exploding.after_{}": RENDERED,
    "exploding.before_{}": RENDERED,
    "exploding.axis_{}": RENDERED,
    "exploding.chart_{}_clip_subtitle": RENDERED,
    "exploding.chart_{}_clip_title": RENDERED,
    "exploding.chart_{}_subtitle": RENDERED,
    "exploding.chart_{}_title": RENDERED,
    "papers.series.{}": RENDERED,
}


def members(template: str) -> list[str]:
    found = FAMILIES[template]()
    values = [value if isinstance(value, tuple) else (value,) for value in found]
    assert values, f"{template}: the code yields no member (did the enumeration break?)"
    return sorted(template.format(*value) for value in values)


def test_every_key_family_is_enumerated():
    unlisted = {template: where for template, where in TEMPLATES.items() if template not in FAMILIES}
    assert not unlisted, f"f-string catalogue keys without a member list in FAMILIES: {unlisted}"
    stale = set(FAMILIES) - set(TEMPLATES)
    assert not stale, f"FAMILIES lists templates the code no longer builds: {stale}"


def test_the_scan_finds_the_families_it_must():
    # the scanner itself: it must see the verdict families the issue names, and plain literal keys
    assert {"lab.verdict_{}", "compare.remedy_{}", "theory.reason_{}", "why.outcome_{}"} <= set(TEMPLATES)
    assert "lab.title" in LITERAL and "ui.url_ignored" in LITERAL
    assert returned_strings(measures.flow_kind) >= {"vanishing", "exploding", "stable"}


ENUMERATED = [template for template, source in FAMILIES.items() if source is not RENDERED]


@pytest.mark.parametrize("template", ENUMERATED)
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_member_of_a_key_family_exists(template, lang):
    catalogue = i18n.catalogue(lang)
    missing = [key for key in members(template) if key not in catalogue]
    assert not missing, f"{lang}: {template} built by {TEMPLATES.get(template)} lacks {missing}"


@pytest.mark.parametrize("template", [t for t, source in FAMILIES.items() if source is RENDERED])
def test_a_rendered_family_has_members_in_both_languages(template):
    # members are checked on the rendered pages; here at least the family must exist in both catalogues
    prefix, _, suffix = template.partition("{}")
    suffix = suffix.replace("{}", "")
    for catalogue in (EN, ZH):
        assert any(k.startswith(prefix) and k.endswith(suffix) for k in catalogue), template


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_literal_key_exists(lang):
    catalogue = i18n.catalogue(lang)
    missing = {key: where for key, where in LITERAL.items() if "." in key and key not in catalogue}
    assert not missing, f"{lang}: keys the code asks for that the catalogue lacks: {missing}"


def test_a_key_deleted_from_both_languages_is_caught(monkeypatch):
    """The check above, run against catalogues that both lost one literal and one run-time key."""
    literal_key, family_key = "ui.url_ignored", "lab.verdict_exploding"
    for lang in i18n.LANGUAGES:
        trimmed = {k: v for k, v in i18n.catalogue(lang).items() if k not in (literal_key, family_key)}
        assert literal_key not in trimmed and family_key not in trimmed
        lost_literal = [key for key in LITERAL if "." in key and key not in trimmed]
        lost_family = [key for key in itertools.chain(*(members(t) for t in ENUMERATED)) if key not in trimmed]
        assert lost_literal == [literal_key] and lost_family == [family_key]
