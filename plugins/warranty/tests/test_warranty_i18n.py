"""Spanish and English: the plugin ships catalogs that are complete, reproducible and agree
with core's words, and its pages speak the agent's language."""

from __future__ import annotations

from pathlib import Path

import deskcore_warranty
import pytest

from deskcore.extensions import db
from deskcore.testing import translation_problems

PACKAGE = Path(deskcore_warranty.__file__).parent


def test_the_catalogs_are_complete_compiled_and_agree_with_core():
    assert translation_problems(PACKAGE / "translations", PACKAGE / "templates") == []


@pytest.mark.plugins("warranty")
def test_the_warranty_pages_speak_spanish(make_unit, make_ticket, make_claim, login, agent):
    unit = make_unit("SN-1")
    ticket = make_ticket(customer_id=unit.customer_id, serial_number="SN-1")
    claim = make_claim(ticket, "trade_in")
    agent.locale = "es"
    db.session.commit()
    client = login(agent)

    page = client.get(f"/plugins/warranty/claims/{claim.number}").text
    assert "Canje de producto usado" in page and "Abierta" in page and "Aprobar" in page
    assert "Pedido WO-1" in page and "500,00" in page  # Spanish decimal comma
    listing = client.get("/plugins/warranty/claims/").text
    assert "<h1>Garantías</h1>" in listing and "Casos" in listing  # core's words stay
    ticket_page = client.get(f"/tickets/{ticket.number}").text
    assert "Nueva garantía" in ticket_page
    assert "Bitácora de servicio de SN-1" in client.get("/plugins/warranty/serials/SN-1").text
