"""Disabling the plugin keeps every claim; enabling it again shows them all."""

from __future__ import annotations

import pytest
from deskcore_warranty import services
from deskcore_warranty.models import Claim, Order, Unit
from sqlalchemy import func, select

from deskcore.extensions import db
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("warranty")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_disabling_keeps_every_claim_and_enabling_again_shows_them_all(
    app, make_unit, make_ticket, make_claim, login, agent, disable_plugin, enable_plugin
):
    unit = make_unit("SN-1")
    ticket = make_ticket(customer_id=unit.customer_id, serial_number="SN-1")
    made = [make_claim(ticket, kind) for kind in ("trade_in", "defect_return", "exchange")]
    _, secret = create_token(agent)
    client = login(agent)
    api = {"Authorization": f"Bearer {secret}"}

    disable_plugin("warranty")
    assert (count(Claim), count(Order), count(Unit)) == (3, 3, 1)
    assert client.get("/plugins/warranty/claims/").status_code == 404
    assert client.get("/api/v1/warranty/claims", headers=api).status_code == 404

    enable_plugin("warranty")
    page = client.get("/plugins/warranty/claims/").text
    assert all(f">{claim.label}<" in page for claim in made)
    listed = client.get("/api/v1/warranty/claims", headers=api).json["items"]
    assert [c["label"] for c in listed] == ["W-3", "W-2", "W-1"]
    assert "W-1" in client.get(f"/tickets/{ticket.number}").text
    # Numbering goes on where it stopped; the seeded causes were not seeded twice.
    assert make_claim(ticket).label == "W-4"
    assert len(services.list_causes()) == len(services.catalog.DEFAULT_CAUSES)


def test_enabling_seeds_the_default_causes_once(app, enable_plugin, disable_plugin):
    enable_plugin("warranty")
    services.save_cause({"name": "Pantalla rota"})
    disable_plugin("warranty")
    enable_plugin("warranty")
    names = [c.name for c in services.list_causes()]
    assert names.count("Does not power on") == 1 and "Pantalla rota" in names
