"""The warranty's say in how a ticket is paid for, through core's coverage decision."""

from __future__ import annotations

import pytest

from deskcore.services import override_coverage

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
