"""Fields plugins add to core resources, under ``"plugins": {"<plugin>": {...}}``.

Values come from ``ticket_api_fields(tickets)`` / ``customer_api_fields(customers)``, asked
once per page, never per row; their schemas come from ``api_field_schemas()``, so the OpenAPI
document shows them. Both follow the enabled set: a disabled plugin's fields disappear.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from flask import current_app
from marshmallow import Schema, fields, missing, pre_dump

from ..plugins import registry
from .resources import Out

#: Resource kind → the hook that gives its plugin values and that hook's argument.
VALUE_HOOKS = {
    "ticket": ("ticket_api_fields", "tickets"),
    "customer": ("customer_api_fields", "customers"),
}


#: kind → {row id → {plugin → values}} for the page being dumped (schemas are shared).
_page_values: ContextVar[dict[str, dict]] = ContextVar("deskcore_api_plugin_values")


def cached(key: str, build: Callable[[], type[Schema]]) -> type[Schema]:
    """A schema class built once per app and enabled set (plugin fields depend on both)."""
    cache = current_app.extensions["deskcore_api"].schemas
    full_key = (key, frozenset(registry().enabled_names()))
    if full_key not in cache:
        cache[full_key] = build()
    return cache[full_key]


class PluginValues(fields.Nested):
    """The ``plugins`` object of one row, from what the schema asked the plugins for its page."""

    def get_value(self, obj, attr, accessor=None, default=missing):
        return _page_values.get()[self.parent.kind][obj.id]


class WithPluginFields(Out):
    """Mixed into a resource schema extended with the enabled plugins' fields."""

    kind: str
    plugin_names: tuple[str, ...] = ()

    @pre_dump(pass_collection=True)
    def _ask_plugins(self, data, many: bool, **kwargs):
        rows = data if many else [data]
        page = {row.id: {name: {} for name in self.plugin_names} for row in rows}
        if self.plugin_names and rows:
            hook, argument = VALUE_HOOKS[self.kind]
            for plugin, answer in registry().each(hook, **{argument: rows}):
                for row_id, values in (answer or {}).items():
                    if row_id in page:
                        page[row_id][plugin] = values
        _page_values.set({**_page_values.get({}), self.kind: page})
        return data


def with_plugin_fields(base: type[Out], kind: str) -> type[Schema]:
    """``base`` plus a ``plugins`` object holding each enabled plugin's fields for ``kind``."""

    def build() -> type[Schema]:
        plugins = cached(f"{kind}-plugins", lambda: _plugins_schema(kind))
        attrs = {
            "kind": kind,
            "plugin_names": tuple(plugins._declared_fields),
            "plugins": PluginValues(plugins, metadata={"description": "fields added by plugins"}),
        }
        return type(base.__name__, (base, WithPluginFields), attrs)

    return cached(base.__name__, build)


def _plugins_schema(kind: str) -> type[Schema]:
    reg = registry()
    declared: dict[str, fields.Field] = {}
    for plugin, schemas in reg.each("api_field_schemas"):
        schema = (schemas or {}).get(kind)
        if schema is not None:
            declared[plugin] = fields.Nested(schema)
    enabled = reg.enabled_names()
    for impl in getattr(reg.pm.hook, VALUE_HOOKS[kind][0]).get_hookimpls():
        if impl.plugin_name in enabled:
            declared.setdefault(impl.plugin_name, fields.Dict(keys=fields.String()))
    return Out.from_dict(dict(sorted(declared.items())), name=f"{kind.title()}PluginFields")
