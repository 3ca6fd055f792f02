"""Plugin settings: validated by the plugin's schema, stored as JSON, read back complete."""

from datetime import date
from decimal import Decimal

import pytest

from deskcore.extensions import db
from deskcore.models import PluginState
from deskcore.plugins import plugin_settings
from deskcore.services.plugin_admin import configure_plugin


@pytest.fixture
def deskcore_config():
    return {"DESKCORE_PLUGIN_MODULES": ["deskcore_dummy.plugin", "deskcore_pricing.plugin"]}


def test_settings_of_any_type_are_stored_and_read_back(app):
    configure_plugin("pricing", {"hourly_rate": "31.50", "price_list_from": "2027-01-01"})
    assert plugin_settings("pricing") == {
        "hourly_rate": Decimal("31.50"),
        "price_list_from": date(2027, 1, 1),
    }


def test_settings_start_from_the_defaults(app):
    assert plugin_settings("pricing") == {"hourly_rate": Decimal("25.00"), "price_list_from": None}


def test_a_setting_the_plugin_dropped_does_not_block_changes(app):
    db.session.add(PluginState(name="pricing", settings={"old_discount": "5"}))
    db.session.commit()
    configure_plugin("pricing", {"hourly_rate": "40"})
    assert plugin_settings("pricing")["hourly_rate"] == Decimal("40")
    assert "old_discount" not in db.session.get(PluginState, "pricing").settings
