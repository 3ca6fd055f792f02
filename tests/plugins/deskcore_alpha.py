"""Test plugin "alpha": needs dummy and sorts before it, to prove call order is by name and
that lifecycle hooks reach only the plugin being switched."""

from __future__ import annotations

from deskcore import hookimpl
from deskcore.contributions import MenuLink

requires = ["dummy"]

#: (hook name, keyword arguments) of every lifecycle call; tests clear it.
CALLS: list[tuple[str, dict]] = []


@hookimpl
def plugin_enabled(app):
    CALLS.append(("plugin_enabled", {"app": app}))


@hookimpl
def plugin_disabled(app):
    CALLS.append(("plugin_disabled", {"app": app}))


@hookimpl
def menu_links(user):
    return [MenuLink("Alpha", "/plugins/alpha/")]
