"""Switching plugins on and off for this deployment, and changing their settings.

The same rules hold for the CLI and the admin page: a plugin needs its ``requires`` enabled
first; disabling one that others need names them unless forced; disabling never deletes data.
"""

from __future__ import annotations

import json

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as SchemaError

from .. import migrate
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import PluginState
from ..plugins import PluginInfo, registry
from .unit_of_work import unit_of_work


def _state(name: str) -> PluginState:
    state = db.session.get(PluginState, name)
    if state is None:
        state = PluginState(name=name, enabled=False, settings={})
        db.session.add(state)
    return state


def enable_plugin(name: str) -> PluginInfo:
    """Run the plugin's migrations, mark it enabled and tell it so. Idempotent."""
    reg = registry()
    info = reg.get(name)
    if not info.loaded:
        raise Conflict(
            _l(
                "plugin '%(name)s' cannot be enabled: it failed to load (%(error)s)",
                name=name,
                error=info.error,
            )
        )
    missing = [r for r in info.requires if not reg.is_enabled(r)]
    if missing:
        commands = "; ".join(f"deskcore plugins enable {r}" for r in missing)
        raise Conflict(
            _l(
                "plugin '%(name)s' needs %(missing)s enabled first: %(commands)s",
                name=name,
                missing=", ".join(missing),
                commands=commands,
            )
        )
    if reg.is_enabled(name):
        return info
    migrate.upgrade_plugin(current_app, name)
    try:
        with unit_of_work():
            _state(name).enabled = True
            reg.forget_enabled()
            reg.call_plugin(name, "plugin_enabled", app=current_app._get_current_object())
    finally:
        reg.forget_enabled()
    return info


def disable_plugin(name: str, force: bool = False) -> list[str]:
    """Mark the plugin disabled, keeping all its data; returns every plugin disabled.

    Plugins that need it are named and nothing changes, unless ``force`` disables them too.
    """
    reg = registry()
    reg.get(name)
    dependents = _dependents(name)
    if dependents and not force:
        raise Conflict(
            _l(
                "%(dependents)s need '%(name)s'; disable them first or use --force",
                dependents=", ".join(dependents),
                name=name,
            )
        )
    disabled = [*dependents, name]
    try:
        with unit_of_work():
            for plugin in disabled:
                if reg.is_enabled(plugin):
                    _state(plugin).enabled = False
                    reg.call_plugin(
                        plugin, "plugin_disabled", app=current_app._get_current_object()
                    )
    finally:
        reg.forget_enabled()
    return disabled


def _dependents(name: str) -> list[str]:
    """Enabled plugins that need ``name``, directly or through another, deepest first."""
    reg = registry()
    enabled = reg.enabled_names()
    found: list[str] = []

    def visit(target: str) -> None:
        for info in reg.all_plugins():
            if info.name in enabled and target in info.requires and info.name not in found:
                visit(info.name)
                found.append(info.name)

    visit(name)
    return found


def dependency_order(names) -> list[str]:
    """``names`` sorted so every plugin comes after the plugins it requires."""
    reg = registry()
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered or name not in reg.plugins:
            return
        if name in path:
            raise Conflict(
                _l("plugins require each other in a cycle: %(path)s", path=" → ".join(path))
            )
        for required in reg.plugins[name].requires:
            visit(required, (*path, name))
        ordered.append(name)

    for name in sorted(names):
        visit(name, ())
    return [n for n in ordered if n in set(names)]


def configure_plugin(name: str, changes: dict) -> dict:
    """Validate ``changes`` with the plugin's settings schema, merge and store them."""
    reg = registry()
    reg.get(name)
    schema_cls = reg.call_plugin(name, "settings_schema")
    if schema_cls is None:
        raise ValidationError({"settings": [_l("plugin '%(name)s' has no settings", name=name)]})
    schema = schema_cls()
    unknown = sorted(set(changes) - set(schema.fields))
    if unknown:
        known = ", ".join(sorted(schema.fields))
        raise ValidationError(
            {key: [_l("unknown setting; known: %(known)s", known=known)] for key in unknown}
        )
    with unit_of_work():
        state = _state(name)
        # Keys a newer version of the plugin dropped are forgotten, not refused.
        stored = {k: v for k, v in (state.settings or {}).items() if k in schema.fields}
        try:
            loaded = schema.load({**stored, **changes})
        except SchemaError as exc:
            raise ValidationError(exc.messages) from None
        state.settings = _json_ready(schema.dump(loaded))
    return loaded


def _json_ready(values: dict) -> dict:
    """Settings live in a JSON column: decimals and dates are kept as their text, which the
    schema loads back."""
    return json.loads(json.dumps(values, default=str))
