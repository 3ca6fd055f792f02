"""What enabled plugins add to the pages: menu links, panels, badges, actions, fields.

One broken plugin must not take a page down: its contribution is left out, the failure
logged, and the page says which plugin failed where a panel would have been.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from ..contributions import HistoryLabel, Panel
from ..errors import PluginError
from ..plugins import registry
from . import labels

log = logging.getLogger("deskcore.web")


def contributions(hook_name: str, **kwargs) -> list[tuple[str, object]]:
    """``(plugin, item)`` for every item the enabled plugins return, in plugin-name order."""
    reg = registry()
    found: list[tuple[str, object]] = []
    for name in sorted(reg.enabled_names()):
        try:
            result = reg.call_plugin(name, hook_name, **kwargs)
        except PluginError as exc:
            log.error("%s", exc)
            found.append((name, exc))
            continue
        for item in _as_list(result):
            found.append((name, item))
    return found


def _as_list(result) -> Iterable:
    if result is None:
        return ()
    return result if isinstance(result, list | tuple) else (result,)


def items(hook_name: str, **kwargs) -> list:
    """The contributed items alone; failing plugins are skipped (and logged)."""
    return [item for _, item in contributions(hook_name, **kwargs) if not _failed(item)]


def panels(hook_name: str, **kwargs) -> list[Panel]:
    """Panels in their order; a failing plugin gets a panel saying so instead of its own."""
    result = []
    for plugin, item in contributions(hook_name, **kwargs):
        if _failed(item):
            result.append(
                Panel(plugin, Markup('<p class="muted">{}</p>').format(item.message), 999)
            )
        else:
            result.append(item)
    return sorted(result, key=lambda p: p.order)


def _failed(item) -> bool:
    return isinstance(item, PluginError)


@dataclass(frozen=True)
class TimelineLabels:
    """How the timeline words history actions: core's, then the enabled plugins'."""

    actions: dict
    naming_their_field: frozenset


def timeline_labels() -> TimelineLabels:
    actions = dict(labels.HISTORY_ACTIONS)
    naming = set(labels.ACTIONS_NAMING_THEIR_FIELD)
    for item in items("history_labels"):
        if isinstance(item, HistoryLabel) and item.action not in labels.HISTORY_ACTIONS:
            actions[item.action] = item.label
            if item.names_field:
                naming.add(item.action)
    return TimelineLabels(actions, frozenset(naming))
