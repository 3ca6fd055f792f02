"""Plugins define hooks of their own and talk through them, never importing each other."""

import deskcore_erp_export.plugin as erp
import deskcore_orders.plugin as orders
import pytest


@pytest.fixture
def deskcore_config():
    return {
        "DESKCORE_PLUGIN_MODULES": [
            "deskcore_dummy.plugin",
            "deskcore_orders.plugin",
            "deskcore_erp_export.plugin",
        ]
    }


def test_a_plugin_implements_a_hook_another_plugin_defines(app, enable_plugin):
    infos = {i.name: i for i in app.extensions["deskcore"].all_plugins()}
    assert infos["erp_export"].error is None
    assert infos["erp_export"].hooks == ["order_registered"]
    enable_plugin("orders")
    enable_plugin("erp_export")
    erp.EXPORTED.clear()
    orders.register_order("P-100")
    assert erp.EXPORTED == ["P-100"]


def test_the_defined_hook_skips_disabled_plugins(app, enable_plugin, disable_plugin):
    enable_plugin("orders")
    enable_plugin("erp_export")
    disable_plugin("erp_export")
    erp.EXPORTED.clear()
    orders.register_order("P-101")
    assert erp.EXPORTED == []
