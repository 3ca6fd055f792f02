"""Plugin discovery, the per-deployment enabled set, and dispatch to enabled plugins only.

Installed is not enabled: every plugin found through the ``deskcore`` entry point group (or
named in ``DESKCORE_PLUGIN_MODULES``) is loaded and registered, but hooks reach only the
plugins marked enabled in the ``plugin_states`` table. That table is read once per request
(or CLI command), so toggling a plugin takes effect on the next request in every worker.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pluggy
from flask import Flask, current_app, g, has_app_context, request
from marshmallow import EXCLUDE
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, NotFound

from . import hookspecs
from .errors import DeskcoreError, PluginError, ValidationError, Veto
from .extensions import db
from .models import PluginState

log = logging.getLogger("deskcore.plugins")

#: Hooks that run once per app for every installed plugin, not per call on enabled ones.
REGISTRATION_HOOKS = ("register_blueprints", "register_api_routes", "register_commands")
#: Hooks called only on the plugin being switched on or off.
LIFECYCLE_HOOKS = ("plugin_enabled", "plugin_disabled", "settings_schema")


#: Read at the start of every request; precompiled (the ORM's query costs several times more).
_ENABLED_NAMES = select(PluginState.name).where(PluginState.enabled.is_(True))


@dataclass
class PluginInfo:
    """What is known about one installed plugin, whether or not it loaded."""

    name: str
    module_name: str
    distribution: str | None = None
    version: str | None = None
    module: ModuleType | None = None
    error: str | None = None
    requires: tuple[str, ...] = ()
    title: str = ""
    hooks: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.module is not None

    @property
    def path(self) -> Path | None:
        return Path(self.module.__file__).parent if self.module else None


class PluginRegistry:
    """The app's PluginManager plus the enabled set; lives in ``app.extensions["deskcore"]``."""

    def __init__(
        self, *, load_entrypoints: bool = True, modules: Iterable[str] = (), strict: bool = False
    ):
        self.pm = pluggy.PluginManager("deskcore")
        self.pm.add_hookspecs(hookspecs)
        self._hooktrace = self.pm.trace.root.get("hook")
        #: every plugin found, including those that failed to import
        self.installed: dict[str, PluginInfo] = {}
        #: the plugins that loaded and are registered with pluggy
        self.plugins: dict[str, PluginInfo] = {}
        self._subset_callers: dict[tuple[str, frozenset[str]], Any] = {}
        self.blueprint_owners: dict[str, str] = {}
        found = self._discover(load_entrypoints, modules)
        self.installed = {info.name: info for info in found}
        for info in found:
            self._load(info, strict)
        # pluggy calls the most recently registered plugin first: register in reverse name
        # order so every hook runs plugins in name order, whatever the import order was.
        for info in sorted(found, key=lambda i: i.name, reverse=True):
            if info.loaded:
                self._register(info, strict)
        if strict:
            self.pm.check_pending()
        self._skip_unknown_hooks()

    # -- discovery ------------------------------------------------------------------------

    @staticmethod
    def _discover(load_entrypoints: bool, modules) -> list[PluginInfo]:
        found: dict[str, PluginInfo] = {}
        if load_entrypoints:
            for ep in metadata.entry_points(group="deskcore"):
                dist = ep.dist
                found[ep.name] = PluginInfo(
                    name=ep.name,
                    module_name=ep.value,
                    distribution=dist.name if dist else None,
                    version=dist.version if dist else None,
                )
        for module_name in modules:
            # "deskcore_dummy.plugin" is named "dummy"; "pkg.mod:name" may name it explicitly.
            module_name, _, name = module_name.partition(":")
            name = name or module_name.split(".")[0].removeprefix("deskcore_")
            found[name] = PluginInfo(name=name, module_name=module_name)
        return list(found.values())

    def _load(self, info: PluginInfo, strict: bool) -> None:
        try:
            module = importlib.import_module(info.module_name)
        except Exception as exc:
            if strict:
                raise
            self._skip(info, f"{type(exc).__name__}: {exc}")
            return
        info.module = module
        # A plugin may define hooks of its own for other plugins (``hookspecs`` attribute,
        # usually its hookspecs submodule); added before any plugin registers.
        if getattr(module, "hookspecs", None) is not None:
            self.pm.add_hookspecs(module.hookspecs)
        info.requires = tuple(getattr(module, "requires", ()))
        info.title = getattr(module, "title", "") or info.name
        self.plugins[info.name] = info

    def _register(self, info: PluginInfo, strict: bool) -> None:
        try:
            self.pm.register(info.module, name=info.name)
        except pluggy.PluginValidationError as exc:
            # e.g. an argument the hook does not have: pluggy stops halfway through.
            if strict:
                raise
            self._skip(info, "; ".join(str(exc).splitlines()))
            return
        for caller in self.pm.get_hookcallers(info.module) or []:
            info.hooks.append(caller.name)
            for impl in caller.get_hookimpls():
                if impl.plugin is info.module and not (impl.wrapper or impl.hookwrapper):
                    impl.function = _naming_errors(impl.function, info.name, caller.name)
        info.hooks.sort()

    def _skip_unknown_hooks(self) -> None:
        """A misspelt hook would silently never run: report its plugin and leave it out."""
        callers = [c for name, c in vars(self.pm.hook).items() if not name.startswith("_")]
        known = [c.name for c in callers if c.has_spec()]
        for info in list(self.plugins.values()):
            unknown = sorted(
                caller.name
                for caller in self.pm.get_hookcallers(info.module) or []
                if not caller.has_spec()
                and any(
                    i.plugin is info.module and not i.optionalhook for i in caller.get_hookimpls()
                )
            )
            if unknown:
                self._skip(info, _unknown_hooks_message(unknown, known))

    def _skip(self, info: PluginInfo, error: str) -> None:
        """Report why a plugin cannot be used and leave it out; the desk runs without it."""
        info.error = error
        log.error("plugin %s failed to load: %s", info.name, error)
        if info.module is not None and self.pm.is_registered(info.module):
            self.pm.unregister(info.module)
        self.plugins.pop(info.name, None)
        info.module, info.hooks = None, []

    def all_plugins(self) -> list[PluginInfo]:
        """Every installed plugin in name order, including those that failed to load."""
        return sorted(self.installed.values(), key=lambda i: i.name)

    def get(self, name: str) -> PluginInfo:
        """The plugin called ``name``; an unknown name lists the installed ones."""
        try:
            return self.installed[name]
        except KeyError:
            installed = ", ".join(sorted(self.installed)) or "none"
            raise ValidationError(
                {"plugin": [f"unknown plugin '{name}'; installed: {installed}"]}
            ) from None

    # -- the enabled set -------------------------------------------------------------------

    def enabled_names(self) -> frozenset[str]:
        """Enabled plugins of this deployment, read once per request (or app context)."""
        cached = g.get("_deskcore_enabled") if has_app_context() else None
        if cached is None:
            rows = db.session.connection().execute(_ENABLED_NAMES).scalars()
            cached = frozenset(rows) & self.plugins.keys()
            if has_app_context():
                g._deskcore_enabled = cached
        return cached

    def forget_enabled(self) -> None:
        """Drop the cached enabled set (after enabling or disabling in this context)."""
        if has_app_context():
            g.pop("_deskcore_enabled", None)

    def is_enabled(self, name: str) -> bool:
        return name in self.enabled_names()

    # -- dispatch --------------------------------------------------------------------------

    @property
    def hook(self) -> _EnabledHooks:
        """``registry.hook.ticket_opened(...)`` calls the enabled plugins only."""
        return _EnabledHooks(self, self.enabled_names())

    def _caller_for(self, hook_name: str, enabled: frozenset[str]):
        disabled = frozenset(self.plugins) - enabled
        if not disabled:
            return getattr(self.pm.hook, hook_name)
        key = (hook_name, disabled)
        caller = self._subset_callers.get(key)
        if caller is None:
            modules = [self.plugins[n].module for n in disabled]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=modules)
            self._subset_callers[key] = caller
        return caller

    def each(self, hook_name: str, enabled_only: bool = True, **kwargs) -> Iterator[tuple]:
        """Yield ``(plugin_name, result)`` per implementation, in call order.

        For hooks whose results must be attributed to a plugin (blueprints, coverage).
        """
        enabled = self.enabled_names() if enabled_only else frozenset(self.plugins)
        for impl in self._impls(hook_name):
            if impl.plugin_name in enabled:
                yield impl.plugin_name, self._call(impl, hook_name, kwargs)

    def call_plugin(self, name: str, hook_name: str, **kwargs):
        """Call one plugin's implementation of a hook (None when it has none), and no other."""
        for impl in self._impls(hook_name):
            if impl.plugin_name == name:
                return self._call(impl, hook_name, kwargs)
        return None

    def _impls(self, hook_name: str) -> list[pluggy.HookImpl]:
        """A hook's plain implementations in call order (wrappers only make sense in pluggy)."""
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        return [i for i in reversed(impls) if not (i.wrapper or i.hookwrapper)]

    def _call(self, impl: pluggy.HookImpl, hook_name: str, kwargs: dict):
        # Traced like pluggy's own calls, so DESKCORE_TRACE_HOOKS shows these hooks too.
        self._hooktrace(hook_name, f"({impl.plugin_name})", kwargs)
        return impl.function(*[kwargs[a] for a in impl.argnames])

    # -- Flask wiring ---------------------------------------------------------------------

    def init_app(self, app: Flask) -> None:
        app.extensions["deskcore"] = self
        if app.config.get("DESKCORE_TRACE_HOOKS"):
            self.pm.trace.root.setwriter(lambda msg: log.warning("hook %s", msg.rstrip()))
            self.pm.enable_tracing()
        for name, blueprints in self.each("register_blueprints", enabled_only=False, app=app):
            self._mount(app, name, blueprints, f"/plugins/{name}")
        for name, blueprints in self.each("register_api_routes", enabled_only=False, app=app):
            self._mount(app, name, blueprints, f"/api/v1/{name}")
        for name in self.plugins:
            before = dict(app.cli.commands)
            self.call_plugin(name, "register_commands", cli=app.cli)
            for command_name, command in app.cli.commands.items():
                if before.get(command_name) is not command:
                    _gate_command(command, name)
        # A new request reads the enabled set afresh (tests reuse one app context).
        app.before_request(self.forget_enabled)
        app.before_request(self._refuse_disabled_blueprints)

    def _mount(self, app: Flask, plugin: str, blueprints, prefix: str) -> None:
        for bp in blueprints or []:
            app.register_blueprint(bp, url_prefix=prefix)
            self.blueprint_owners[bp.name] = plugin

    def _refuse_disabled_blueprints(self) -> None:
        for bp_name in request.blueprints:
            owner = self.blueprint_owners.get(bp_name)
            if owner is not None and not self.is_enabled(owner):
                raise NotFound()


class _EnabledHooks:
    """Attribute access yields a hook caller restricted to the enabled plugins."""

    def __init__(self, registry: PluginRegistry, enabled: frozenset[str]):
        self._registry = registry
        self._enabled = enabled

    def __getattr__(self, hook_name: str):
        return self._registry._caller_for(hook_name, self._enabled)


def _unknown_hooks_message(unknown: list[str], known: list[str]) -> str:
    """The error a plugin with misspelt hooks gets, with the closest real hook as a hint."""
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        parts.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    return "unknown hook " + ", ".join(parts)


def _naming_errors(function, plugin: str, hook: str):
    """Wrap a hook implementation so its exceptions name the plugin that raised them."""

    @functools.wraps(function)
    def call(*args):
        try:
            return function(*args)
        except Veto as exc:
            raise PluginError(plugin, hook, str(exc), refused=True) from exc
        except (DeskcoreError, HTTPException, click.exceptions.Exit):
            raise
        except Exception as exc:
            raise PluginError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc

    return call


def _gate_command(command: click.Command, plugin: str) -> None:
    """Make a plugin's CLI command refuse to run while the plugin is disabled."""
    original = command.callback
    if getattr(original, "__deskcore_plugin__", None) == plugin:
        return  # the same command object was gated by an earlier app

    @functools.wraps(original or (lambda: None))
    def run(*args, **kwargs):
        if not registry().is_enabled(plugin):
            raise click.ClickException(
                f"plugin '{plugin}' is disabled; enable it with: deskcore plugins enable {plugin}"
            )
        if original is not None:
            return original(*args, **kwargs)
        return None

    run.__deskcore_plugin__ = plugin
    command.callback = run


def registry(app: Flask | None = None) -> PluginRegistry:
    """The plugin registry of ``app`` (default: the current app)."""
    return (app or current_app).extensions["deskcore"]


def hook() -> _EnabledHooks:
    """Hook callers for the enabled plugins of the current app."""
    return registry().hook


def plugin_settings(name: str) -> dict:
    """A plugin's settings, complete with defaults, validated by its settings schema."""
    reg = registry()
    reg.get(name)
    state = db.session.get(PluginState, name)
    stored = dict(state.settings) if state and state.settings else {}
    schema_cls = reg.call_plugin(name, "settings_schema")
    if schema_cls is None:
        return stored
    schema = schema_cls()
    # Stored values went through dump(); load them back into rich types (Decimal, dates).
    # A setting a newer version of the plugin dropped must not make every read fail.
    return schema.load(stored, unknown=EXCLUDE)
