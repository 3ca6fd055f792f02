"""The warranty's say in how a ticket is paid for, through core's coverage decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import HistoryEvent, Ticket
from deskcore.services import override_coverage
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("warranty")


@pytest.fixture
def unit(make_unit):
    """Sold on 2024-01-15 with 12 months: the last day of warranty is 2025-01-15."""
    return make_unit("SN-1")


@pytest.mark.parametrize(
    ("received_at", "coverage", "reason"),
    [
        ("2024-01-15T12:00:00Z", "warranty", "warranty until 2025-01-15"),
        ("2025-01-15T23:59:00Z", "warranty", "warranty until 2025-01-15"),
        ("2025-01-16T00:00:00Z", "billable", "warranty expired on 2025-01-15"),
    ],
)
def test_a_ticket_for_a_unit_we_sold_is_covered_up_to_the_last_day(
    unit, make_ticket, received_at, coverage, reason
):
    ticket = make_ticket(serial_number="SN-1", received_at=received_at)
    assert (ticket.coverage, ticket.coverage_plugin, ticket.coverage_reason) == (
        coverage,
        "warranty",
        reason,
    )


def test_a_serial_we_never_sold_leaves_the_decision_to_others(unit, make_ticket):
    ticket = make_ticket(serial_number="NEVER-SOLD")
    assert (ticket.coverage, ticket.coverage_plugin) == ("billable", "core")
    assert make_ticket().coverage_plugin == "core"


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_TIMEZONE": "America/Santiago"}])
def test_the_last_day_is_a_day_in_the_desks_time_zone(unit, make_ticket):
    # 02:00 UTC on the 16th is still the 15th in Santiago (UTC-3 in January).
    ticket = make_ticket(serial_number="SN-1", received_at="2025-01-16T02:00:00Z")
    assert ticket.coverage == "warranty"


def test_a_supervisors_override_stands_over_a_misuse_claim(
    unit, make_ticket, make_claim, supervisor
):
    ticket = make_ticket(serial_number="SN-1", received_at="2024-06-01T10:00:00Z")
    override_coverage(ticket.number, {"kind": "courtesy", "reason": "cliente antiguo"}, supervisor)
    make_claim(ticket, "misuse_damage")
    assert (ticket.coverage, ticket.coverage_reason) == ("courtesy", "cliente antiguo")


@pytest.mark.plugins()
def test_a_disabled_plugin_has_no_say(unit, make_ticket):
    ticket = make_ticket(serial_number="SN-1", received_at="2024-06-01T10:00:00Z")
    assert (ticket.coverage, ticket.coverage_plugin) == ("billable", "core")


def _api(client, user, language: str):
    """POST to the API as ``user`` with a client that reads ``language``."""
    _, token = create_token(user, "tests")
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}
    return lambda path, body: client.post(f"/api/v1{path}", json=body, headers=headers)


def _coverage_events(ticket) -> list[HistoryEvent]:
    return db.session.scalars(
        select(HistoryEvent)
        .where(HistoryEvent.ticket_id == ticket.id, HistoryEvent.action == "coverage")
        .order_by(HistoryEvent.id)
    ).all()


@pytest.mark.parametrize(
    ("deskcore_config", "request_language", "covered", "expired"),
    [
        (
            {"BABEL_DEFAULT_LOCALE": "es"},
            "en",
            "garantía hasta el 2025-01-15",
            "garantía vencida el 2025-01-15",
        ),
        (
            {"BABEL_DEFAULT_LOCALE": "en"},
            "es",
            "warranty until 2025-01-15",
            "warranty expired on 2025-01-15",
        ),
    ],
)
def test_reasons_are_stored_in_the_desks_language_whoever_asks(
    unit, client, agent, request_language, covered, expired
):
    post = _api(client, agent, request_language)
    for received_at, reason in (
        ("2024-06-01T10:00:00Z", covered),
        ("2025-02-01T10:00:00Z", expired),
    ):
        body = {
            "customer_id": unit.customer_id,
            "subject": "No enfría",
            "serial_number": "SN-1",
            "received_at": received_at,
        }
        answer = post("/tickets", body)
        assert answer.status_code == 201, answer.json
        assert answer.json["coverage"]["reason"] == reason
        assert db.session.get(Ticket, answer.json["id"]).coverage_reason == reason


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_LOCALE": "es"}])
def test_a_spanish_desk_records_the_misuse_claim_in_spanish(unit, make_ticket, client, agent):
    ticket = make_ticket(serial_number="SN-1", received_at="2024-06-01T10:00:00Z")
    answer = _api(client, agent, "en")(
        "/warranty/claims",
        {"ticket_number": ticket.number, "kind": "misuse_damage", "reason": "se cayó"},
    )
    assert answer.status_code == 201, answer.json
    db.session.refresh(ticket)
    assert ticket.coverage_reason == f"deterioro por mal uso, garantía {answer.json['label']}"
    assert _coverage_events(ticket)[-1].old_value == "warranty: garantía hasta el 2025-01-15"


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_LOCALE": "es"}])
def test_an_unchanged_warranty_records_no_history_on_refresh(unit, make_ticket, client, agent):
    ticket = make_ticket(serial_number="SN-1", received_at="2024-06-01T10:00:00Z")
    assert ticket.coverage_reason == "garantía hasta el 2025-01-15"
    # Opening a trade-in asks the plugins again, here from an English-speaking API client.
    answer = _api(client, agent, "en")(
        "/warranty/claims", {"ticket_number": ticket.number, "kind": "trade_in", "reason": "x"}
    )
    assert answer.status_code == 201, answer.json
    db.session.refresh(ticket)
    assert ticket.coverage_reason == "garantía hasta el 2025-01-15"
    assert _coverage_events(ticket) == []
