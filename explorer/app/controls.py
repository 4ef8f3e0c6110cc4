"""Sidebar controls read from a config's own rules, so a widget cannot produce an invalid config: `page_fields`
opens a page's config (URL -> session -> seeded widgets) and returns a `Fields` that draws one widget per
field with the rule's bounds or choices; `Fields.keep` stores the new config for the next view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

import streamlit as st

from explorer import i18n
from explorer.app import view
from explorer.app.url import config_from_url, seed_widgets
from explorer.engine.config import RunConfig
from explorer.engine.query import Config


@dataclass
class Fields:
    """Widgets for the fields of one config class, keyed "<prefix>.<field>" (seeded by `page_fields`)."""

    cls: type[Config]
    prefix: str
    rules: Mapping[str, Any] = default(default_factory=dict)  # a page's narrower rules for some fields

    def rule(self, name: str) -> Any:
        return self.rules.get(name, self.cls.RULES[name])

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def widget(self, kind: str, label: str, field: str, *bounds: Any, **kwargs: Any) -> Any:
        """One sidebar widget for `field`: keyed "<prefix>.<field>", disabled and marked when a link locks it."""
        disabled = kwargs.pop("disabled", False) or view.locked(field)
        if view.locked(field):
            kwargs["help"] = view.locked_help(kwargs.get("help"))
        return getattr(st.sidebar, kind)(
            view.label(label, field), *bounds, key=self.key(field), disabled=disabled, **kwargs
        )

    def slider(self, label: str, *, field: str, high: Any = None, **kwargs: Any) -> Any:
        """A slider over the rule's range (`high` narrows the top, e.g. to another field's value)."""
        low, top = self.rule(field).span()
        if high is not None:
            top = min(top, high)
            st.session_state[self.key(field)] = min(st.session_state[self.key(field)], top)
        return self.widget("slider", label, field, low, top, **kwargs)

    def number(self, label: str, *, field: str, **kwargs: Any) -> Any:
        low, high = self.rule(field).span()
        return type(low)(self.widget("number_input", label, field, low, high, **kwargs))

    def select(self, label: str, *, field: str, widget: str = "selectbox", **kwargs: Any) -> Any:
        """A selectbox (or radio, select_slider) over the rule's choices."""
        rule = self.rule(field)
        options = rule.options if hasattr(rule, "options") else list(range(rule.low, rule.high + 1))
        return self.widget(widget, label, field, options, **kwargs)

    def checkbox(self, label: str, *, field: str, **kwargs: Any) -> bool:
        return self.widget("checkbox", label, field, **kwargs)

    def keep(self, config: Config) -> Config:
        """The page's new config, kept in the session for the next view (`write_url` puts it in the URL)."""
        st.session_state[f"{self.prefix}_config"] = config
        return config

    def reset_button(self, t: i18n.Translator, defaults: Config | None = None) -> None:
        """Back to the defaults (and a clean URL)."""
        if st.sidebar.button(t("controls.reset"), key=f"{self.prefix}.reset"):
            for key in [k for k in st.session_state if str(k).startswith(f"{self.prefix}.")]:
                del st.session_state[key]
            st.session_state[f"{self.prefix}_config"] = defaults if defaults is not None else self.cls()
            st.rerun()


def page_fields(cls: type[Config], prefix: str, t: i18n.Translator, **from_query: Any) -> Fields:
    """A page's config from the URL the first time (then the session), its widgets seeded; the `Fields` that
    draws them. `from_query` passes a page's own defaults, narrower rules or old parameter names."""
    stored = config_from_url(cls, f"{prefix}_config", t, **from_query)
    seed_widgets(stored, prefix)
    return Fields(cls, prefix, dict(from_query.get("rules") or {}))


def run_config_controls(t: i18n.Translator, *, prefix: str = "run") -> RunConfig:
    """Sidebar controls for every RunConfig field, seeded from the URL/session; returns the new config."""
    fields = page_fields(RunConfig, prefix, t)
    key = fields.key
    if view.locked("clip_norm"):  # clipping on or off is part of the locked setting
        st.session_state[key("clip_on")] = st.session_state[key("clip_norm")] is not None
    if st.session_state[key("clip_norm")] is None:
        st.session_state[key("clip_on")] = st.session_state.get(key("clip_on"), False)
        st.session_state[key("clip_norm")] = 1.0
    else:
        st.session_state[key("clip_on")] = st.session_state.get(key("clip_on"), True)

    side = st.sidebar
    side.subheader(t("controls.network"))
    network = network_controls(t, fields)
    network["bias_std"] = fields.number(
        t("controls.bias_std"), field="bias_std", step=0.05, format="%.2f", help=t("controls.bias_std_help")
    )
    side.subheader(t("controls.remedies"))
    structure = structure_controls(t, fields)
    clip_on = side.checkbox(
        view.label(t("controls.clip"), "clip_norm"),
        key=key("clip_on"),
        help=view.locked_help(t("controls.clip_help")) if view.locked("clip_norm") else t("controls.clip_help"),
        disabled=view.locked("clip_norm"),
    )
    clip_norm = fields.number(t("controls.clip_norm"), field="clip_norm", step=0.1, format="%.3g", disabled=not clip_on)
    weight_decay = fields.number(
        t("controls.weight_decay"), field="weight_decay", step=1e-3, format="%.4g", help=t("controls.weight_decay_help")
    )
    side.subheader(t("controls.training"))
    training = training_controls(t, fields)
    freeze_first = fields.slider(
        t("controls.freeze_first"), field="freeze_first", high=network["depth"], help=t("controls.freeze_first_help")
    )
    config = RunConfig(
        **network,
        **structure,
        **training,
        clip_norm=clip_norm if clip_on else None,
        weight_decay=weight_decay,
        freeze_first=freeze_first,
    )
    return fields.keep(config)


# The sidebar controls of a network's fields, shared by every page that configures one; each returns the
# fields it drew.


def network_controls(t: i18n.Translator, fields: Fields) -> dict[str, Any]:
    return dict(
        depth=fields.slider(t("controls.depth"), field="depth", help=t("controls.depth_help")),
        width=fields.slider(t("controls.width"), field="width", help=t("controls.width_help")),
        activation=fields.select(
            t("controls.activation"), field="activation", format_func=lambda v: t(f"names.activation.{v}")
        ),
        init=fields.select(
            t("controls.init"), field="init", format_func=lambda v: t(f"names.init.{v}"), help=t("controls.init_help")
        ),
        init_scale=fields.number(
            t("controls.init_scale"), field="init_scale", step=0.05, format="%.2f", help=t("controls.init_scale_help")
        ),
    )


def structure_controls(t: i18n.Translator, fields: Fields) -> dict[str, Any]:
    return dict(
        norm=fields.select(
            t("controls.norm"),
            field="norm",
            widget="radio",
            format_func=lambda v: t(f"names.norm.{v}"),
            horizontal=True,
        ),
        residual=fields.checkbox(t("controls.residual"), field="residual", help=t("controls.residual_help")),
    )


def training_controls(t: i18n.Translator, fields: Fields) -> dict[str, Any]:
    return dict(
        optimizer=fields.select(
            t("controls.optimizer"), field="optimizer", format_func=lambda v: t(f"names.optimizer.{v}")
        ),
        lr=fields.number(t("controls.lr"), field="lr", step=0.01, format="%.4g"),
        steps=fields.slider(t("controls.steps"), field="steps"),
        batch_size=fields.slider(t("controls.batch_size"), field="batch_size"),
        dataset=fields.select(t("controls.dataset"), field="dataset", format_func=lambda v: t(f"names.dataset.{v}")),
        seed=fields.number(t("controls.seed"), field="seed", step=1),
    )


def reset_button(t: i18n.Translator, prefix: str = "run", defaults: Config | None = None) -> None:
    """Back to the defaults (a RunConfig's unless given) and a clean URL."""
    Fields(type(defaults) if defaults is not None else RunConfig, prefix).reset_button(t, defaults)
