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


@pytest.fixture
def spanish_desk(make_unit, make_ticket, make_claim, agent):
    """An approved trade-in of a unit we sold (SN-1) and a Spanish-speaking agent."""
    from deskcore_warranty import services

    unit = make_unit("SN-1")
    ticket = make_ticket(customer_id=unit.customer_id, serial_number="SN-1")
    claim = make_claim(ticket, "trade_in")
    services.transition_claim(claim.number, {"status": "approved"}, agent)
    agent.locale = "es"
    db.session.commit()
    return ticket, claim


@pytest.mark.plugins("warranty")
def test_a_spanish_agent_reads_a_refused_transition_in_spanish(spanish_desk, login, agent):
    _, claim = spanish_desk
    page = login(agent).post(
        f"/plugins/warranty/claims/{claim.number}/transition", data={"status": "rejected"}
    )
    assert page.status_code == 409
    # The statuses are the reader's words too, not the stored codes.
    assert (
        "La garantía W-1 no puede pasar de &#39;aprobada&#39; a &#39;rechazada&#39;; "
        "solo puede pasar a: completada."
    ) in page.text
    assert "cannot go from" not in page.text


@pytest.mark.plugins("warranty")
def test_a_spanish_agent_reads_bad_input_in_spanish(spanish_desk, login, agent):
    ticket, _ = spanish_desk
    client = login(agent)
    claim_form = {"ticket_number": str(ticket.number), "kind": "trade_in", "reason": "viejo"}

    never_sold = client.post(
        "/plugins/warranty/claims/new", data=claim_form | {"serial_number": "NEVER-SOLD"}
    )
    assert never_sold.status_code == 400
    assert "Nunca vendimos NEVER-SOLD: indique el valor de la unidad." in never_sold.text
    # A schema's own check (marshmallow) speaks Spanish as well.
    cents = client.post(
        "/plugins/warranty/claims/new",
        data=claim_form | {"serial_number": "NEVER-SOLD", "declared_value": "1.999"},
    )
    assert "Como máximo 2 decimales." in cents.text
    sold = client.post(
        "/plugins/warranty/claims/new", data=claim_form | {"declared_value": "300.00"}
    )
    assert "Vendimos SN-1: su valor es su precio de venta." in sold.text
    assert "we sold" not in sold.text.lower() and "decimals" not in cents.text


@pytest.mark.plugins("warranty")
def test_an_order_line_of_a_unit_we_never_sold_reads_in_spanish(
    make_ticket, make_claim, login, agent
):
    ticket = make_ticket(serial_number="NEVER-SOLD")
    claim = make_claim(ticket, "defect_return")
    agent.locale = "es"
    db.session.commit()
    page = login(agent).get(f"/plugins/warranty/claims/{claim.number}").text
    assert "Devolución por mal estado o mal funcionamiento: Unidad no vendida por nosotros" in page
    assert "Unit not sold by us" not in page


@pytest.mark.plugins("warranty")
def test_the_api_answers_a_spanish_token_user_in_spanish(spanish_desk, client, make_user):
    from deskcore.services.tokens import create_token

    ticket, claim = spanish_desk

    def post(user, path, body):
        _, token = create_token(user, "i18n")
        headers = {"Authorization": f"Bearer {token}"}
        return client.post(f"/api/v1/warranty{path}", headers=headers, json=body)

    spanish = make_user(locale="es")
    refused = post(spanish, f"/claims/{claim.number}/transition", {"status": "rejected"})
    assert refused.status_code == 409
    assert refused.json["error"] == (
        "la garantía W-1 no puede pasar de 'aprobada' a 'rechazada'; solo puede pasar a: completada"
    )
    bad = post(
        spanish,
        "/claims",
        {"ticket_number": ticket.number, "kind": "exchange", "reason": "x", "cause_id": 999},
    )
    assert bad.status_code == 400
    assert bad.json["errors"] == {"cause_id": ["motivo de garantía desconocido o desactivado: 999"]}
    missing = client.get(
        "/api/v1/warranty/units/NOPE",
        headers={"Authorization": f"Bearer {create_token(spanish, 'i18n')[1]}"},
    )
    assert missing.json["error"] == "no hay una unidad vendida con el número de serie 'NOPE'"

    english = make_user(locale=None)
    refused = post(english, f"/claims/{claim.number}/transition", {"status": "rejected"})
    assert refused.json["error"] == (
        "claim W-1 cannot go from 'approved' to 'rejected'; allowed: completed"
    )


@pytest.mark.plugins("warranty")
def test_a_final_status_is_refused_in_both_languages(spanish_desk, agent):
    from deskcore_warranty import services
    from flask_babel import force_locale

    from deskcore.errors import Conflict

    _, claim = spanish_desk
    services.transition_claim(claim.number, {"status": "completed"}, agent)
    with pytest.raises(Conflict) as refused:
        services.transition_claim(claim.number, {"status": "rejected"}, agent)
    # Outside a request (the CLI, the logs): English, as before.
    assert str(refused.value) == (
        "claim W-1 cannot go from 'completed' to 'rejected'; allowed: none"
    )
    with force_locale("es"):
        assert str(refused.value) == (
            "la garantía W-1 no puede pasar de 'completada' a 'rechazada'; ya no admite cambios"
        )
