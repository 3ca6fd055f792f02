"""The plugin registry: discovery, load errors, strict mode, call order, requires, tracing.

Tiny test plugins live next to the dummy in tests/plugins: alpha (needs dummy), zulu (needs
alpha), broken (fails to import), misspelt (implements a hook that does not exist) and
misargued (takes an argument its hook does not pass).
"""

import inspect
import logging

import deskcore_dummy.plugin as dummy
import pluggy
import pytest

from deskcore import create_app, hookspecs
from deskcore.errors import Conflict
from deskcore.plugins import PluginRegistry, registry

SPECS = {
    name: function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, "deskcore_spec")
}
DUMMY = "deskcore_dummy.plugin"
CHAIN = {"DESKCORE_PLUGIN_MODULES": [DUMMY, "deskcore_alpha", "deskcore_zulu"]}


def arguments(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_dummy_implements_every_hook_with_the_spec_arguments(app):
    implemented = {name: getattr(dummy, name) for name in SPECS if hasattr(dummy, name)}
    assert {name: arguments(f) for name, f in implemented.items()} == {
        name: arguments(spec) for name, spec in SPECS.items()
    }
    assert registry().get("dummy").hooks == sorted(SPECS)


@pytest.mark.plugins("dummy", "alpha", "zulu")
@pytest.mark.parametrize(
    "deskcore_config",
    [
        {"DESKCORE_PLUGIN_MODULES": ["deskcore_zulu", DUMMY, "deskcore_alpha"]},
        {"DESKCORE_PLUGIN_MODULES": ["deskcore_alpha", DUMMY, "deskcore_zulu"]},
    ],
    ids=["imported-backwards", "imported-in-order"],
)
def test_hooks_run_in_plugin_name_order_whatever_the_import_order(app, agent):
    with app.test_request_context():
        links = registry().hook.menu_links(user=agent)
        attributed = [name for name, _ in registry().each("menu_links", user=agent)]
    assert [link.label for [link] in links] == ["Alpha", "Dummy", "Zulu"]
    assert attributed == ["alpha", "dummy", "zulu"]


@pytest.mark.parametrize(
    "deskcore_config", [{"DESKCORE_PLUGIN_MODULES": ["deskcore_broken", DUMMY]}]
)
def test_a_plugin_that_fails_to_import_is_reported_and_skipped(app, enable_plugin, make_ticket):
    broken = registry().get("broken")
    assert broken.error == (
        "ModuleNotFoundError: No module named 'deskcore_dependency_that_is_not_installed'"
    )
    assert not broken.loaded
    assert {"broken", "dummy"} <= {info.name for info in registry().all_plugins()}
    assert "broken" not in registry().plugins
    with pytest.raises(Conflict, match="plugin 'broken' cannot be enabled: it failed to load"):
        enable_plugin("broken")
    enable_plugin("dummy")
    dummy.CALLS.clear()
    make_ticket()
    assert "ticket_opened" in [name for name, _ in dummy.CALLS]


def test_strict_mode_raises_when_a_plugin_fails_to_import():
    with pytest.raises(ModuleNotFoundError, match="deskcore_dependency_that_is_not_installed"):
        PluginRegistry(load_entrypoints=False, modules=["deskcore_broken"], strict=True)


def test_strict_mode_is_read_from_the_app_config(tmp_path):
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'deskcore.sqlite'}",
        "SECRET_KEY": "test-secret",
        "DESKCORE_INSTANCE_PATH": str(tmp_path),
        "DESKCORE_PLUGIN_MODULES": ["deskcore_broken"],
        "DESKCORE_STRICT_PLUGINS": True,
    }
    with pytest.raises(ModuleNotFoundError):
        create_app(config)


MISTAKES = pytest.mark.parametrize(
    ("module", "error"),
    [
        ("deskcore_misspelt", "unknown hook 'ticket_opend' (did you mean 'ticket_opened'?)"),
        (
            "deskcore_misargued",
            "Plugin 'misargued' for hook 'ticket_closed'; "
            "hookimpl definition: ticket_closed(ticket, user); "
            "Argument(s) {'user'} are declared in the hookimpl "
            "but can not be found in the hookspec",
        ),
    ],
    ids=["misspelt-hook", "unknown-argument"],
)


@MISTAKES
def test_a_hook_mistake_stops_the_registry_in_strict_mode(module, error):
    with pytest.raises(pluggy.PluginValidationError, match=r"'ticket_(opend|closed)'"):
        PluginRegistry(load_entrypoints=False, modules=[module], strict=True)


@MISTAKES
def test_a_hook_mistake_is_reported_and_its_plugin_left_out(module, error):
    reg = PluginRegistry(load_entrypoints=False, modules=[module, DUMMY])
    [info] = [info for info in reg.all_plugins() if info.name != "dummy"]
    assert info.error == error
    assert (info.loaded, info.hooks) == (False, [])
    assert list(reg.plugins) == ["dummy"]
    reg.pm.check_pending()


@pytest.mark.plugins()
@pytest.mark.parametrize("deskcore_config", [CHAIN])
def test_enabling_a_plugin_whose_requirement_is_disabled_fails_naming_it(app, enable_plugin):
    with pytest.raises(Conflict) as exc:
        enable_plugin("alpha")
    assert str(exc.value) == (
        "plugin 'alpha' needs dummy enabled first: deskcore plugins enable dummy"
    )
    assert registry().enabled_names() == frozenset()


@pytest.mark.plugins("dummy", "alpha", "zulu")
@pytest.mark.parametrize("deskcore_config", [CHAIN])
def test_disabling_a_required_plugin_names_its_dependents_and_changes_nothing(app, disable_plugin):
    with pytest.raises(Conflict, match=r"^zulu, alpha need 'dummy'"):
        disable_plugin("dummy")
    assert registry().enabled_names() == {"dummy", "alpha", "zulu"}


@pytest.mark.plugins("dummy", "alpha", "zulu")
@pytest.mark.parametrize("deskcore_config", [CHAIN])
def test_forcing_disables_the_dependents_too(app, disable_plugin):
    assert disable_plugin("dummy", force=True) == ["zulu", "alpha", "dummy"]
    assert registry().enabled_names() == frozenset()


@pytest.mark.plugins("dummy")
@pytest.mark.parametrize("deskcore_config", [{"DESKCORE_TRACE_HOOKS": True}])
def test_trace_hooks_logs_every_hook_call(make_ticket, caplog):
    with caplog.at_level(logging.WARNING, logger="deskcore.plugins"):
        make_ticket(serial_number="DUMMY-1")
    traced = caplog.text
    assert "ticket_opening [hook]" in traced
    assert "ticket_coverage (dummy) [hook]" in traced
    assert "ticket_opened [hook]" in traced
    assert "extra: {}" in traced


@pytest.mark.plugins("dummy")
def test_hooks_are_not_traced_by_default(make_ticket, caplog):
    with caplog.at_level(logging.DEBUG, logger="deskcore.plugins"):
        make_ticket(serial_number="DUMMY-1")
    assert "[hook]" not in caplog.text
