"""Warranty claims through the services: every kind and rule, the boundaries, the status flow
in the ticket's history, the order each claim is registered as and the hooks announcing it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import warranty_listener as listener
from deskcore_warranty import services
from deskcore_warranty.models import Claim, Order
from sqlalchemy import select

from deskcore.errors import Conflict, PluginError, ValidationError
from deskcore.extensions import db
from deskcore.models import HistoryEvent, Sequence
from deskcore.services.plugin_admin import configure_plugin
from deskcore.services.tickets import update_ticket

pytestmark = pytest.mark.plugins("warranty")

#: Units in these tests are sold on 2024-01-15 with 12 months: the last day is 2025-01-15.
LAST_DAY = "2025-01-15T15:00:00Z"
DAY_AFTER = "2025-01-16T15:00:00Z"


@pytest.fixture
def sold(make_unit, make_ticket):
    """A unit sold at 1,000.00 and a ticket about it received inside the warranty."""
    unit = make_unit("SN-1", sale_price="1000.00")
    ticket = make_ticket(
        customer_id=unit.customer_id, serial_number="SN-1", received_at="2024-06-01T10:00:00Z"
    )
    return unit, ticket


def fresh(claim: Claim) -> Claim:
    """The claim as stored: what the database gives back, not what Python kept."""
    db.session.expire_all()
    return db.session.scalar(select(Claim).where(Claim.number == claim.number))


def test_trade_in_of_a_unit_sold_at_1000_credits_exactly_500_on_the_claim_and_its_order(
    sold, make_claim
):
    _, ticket = sold
    claim = fresh(make_claim(ticket, "trade_in"))

    assert claim.credit == Decimal("500.00")
    assert isinstance(claim.credit, Decimal)
    assert str(claim.credit) == "500.00"
    assert claim.trade_in_share == Decimal("0.50")
    assert claim.order.credit == Decimal("500.00")
    assert isinstance(claim.order.credit, Decimal)
    (line,) = claim.order.lines
    assert (line.kind, line.value, line.credit) == (
        "trade_in",
        Decimal("1000.00"),
        Decimal("500.00"),
    )
    assert line.description == "Refrigerador RX-200"


@pytest.mark.parametrize(("share", "credit"), [("0", "0.00"), ("1", "1000.00"), ("0.40", "400.00")])
def test_the_trade_in_share_is_a_setting(sold, make_claim, share, credit):
    configure_plugin("warranty", {"trade_in_share": share})
    claim = fresh(make_claim(sold[1], "trade_in"))
    assert claim.credit == claim.order.credit == Decimal(credit)


def test_the_trade_in_share_stays_between_0_and_1(app):
    for share in ("-0.01", "1.01", "half"):
        with pytest.raises(ValidationError, match="trade_in_share"):
            configure_plugin("warranty", {"trade_in_share": share})


def test_a_trade_in_of_a_unit_we_never_sold_credits_a_share_of_the_value_the_agent_enters(
    make_ticket, make_claim
):
    ticket = make_ticket(serial_number="OTHER-9")
    claim = fresh(make_claim(ticket, "trade_in", declared_value="250.25"))
    assert claim.unit is None
    assert claim.declared_value == Decimal("250.25")
    assert claim.credit == claim.order.credit == Decimal("125.13")  # 125.125 half up
    assert claim.order.lines[0].description == "Unit not sold by us"


def test_a_trade_in_of_a_unit_we_never_sold_needs_its_value(make_ticket, make_claim):
    ticket = make_ticket(serial_number="OTHER-9")
    with pytest.raises(ValidationError) as error:
        make_claim(ticket, "trade_in")
    assert "we never sold OTHER-9" in error.value.messages["declared_value"][0]
    assert db.session.scalar(select(Claim.id)) is None


def test_a_unit_we_sold_is_worth_its_sale_price_not_a_declared_value(sold, make_claim):
    with pytest.raises(ValidationError, match="its sale price is its value"):
        make_claim(sold[1], "trade_in", declared_value="2000.00")


def test_only_a_trade_in_takes_a_declared_value(sold, make_claim):
    with pytest.raises(ValidationError, match="only a trade-in"):
        make_claim(sold[1], "exchange", declared_value="10.00")


@pytest.mark.parametrize(
    ("received_at", "covered", "note"),
    [
        (LAST_DAY, True, "warranty until 2025-01-15"),
        (DAY_AFTER, False, "warranty expired on 2025-01-15"),
    ],
)
def test_a_defect_return_is_covered_up_to_the_last_day_of_the_warranty(
    make_unit, make_ticket, make_claim, received_at, covered, note
):
    unit = make_unit("SN-1")
    ticket = make_ticket(
        customer_id=unit.customer_id, serial_number="SN-1", received_at=received_at
    )
    claim = make_claim(ticket, "defect_return")
    assert (claim.covered, claim.coverage_note) == (covered, note)
    assert claim.credit == claim.order.credit == Decimal("0.00")


def test_a_defect_return_of_a_unit_we_never_sold_is_not_covered(make_ticket, make_claim):
    claim = make_claim(make_ticket(serial_number="OTHER-9"), "defect_return")
    assert (claim.covered, claim.coverage_note) == (False, "unit not sold by us")


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_LOCALE": "es"}])
def test_a_spanish_desk_stores_the_claims_coverage_note_in_spanish(make_ticket, make_claim):
    claim = make_claim(make_ticket(serial_number="OTHER-9"), "defect_return")
    assert (claim.covered, claim.coverage_note) == (False, "unidad no vendida por nosotros")


def test_misuse_damage_is_not_covered_and_makes_the_ticket_billable(sold, make_claim, agent):
    _, ticket = sold
    assert ticket.coverage == "warranty"
    claim = make_claim(ticket, "misuse_damage")

    assert claim.covered is False
    assert (ticket.coverage, ticket.coverage_plugin) == ("billable", "warranty")
    assert ticket.coverage_reason == f"misuse damage, claim {claim.label}"
    coverage_events = [e for e in history(ticket) if e.field == "coverage"]
    assert coverage_events[-1].new_value == f"billable: misuse damage, claim {claim.label}"
    assert coverage_events[-1].source == "warranty"


def test_a_rejected_misuse_claim_gives_the_ticket_its_warranty_back(sold, make_claim, agent):
    _, ticket = sold
    claim = make_claim(ticket, "misuse_damage")
    services.transition_claim(claim.number, {"status": "rejected", "note": "it fell"}, agent)
    assert (ticket.coverage, ticket.coverage_reason) == ("warranty", "warranty until 2025-01-15")


def test_an_exchange_for_another_reason(sold, make_claim):
    claim = make_claim(sold[1], "exchange", reason="Quiere otro color")
    assert (claim.kind, claim.covered, claim.credit) == ("exchange", None, Decimal("0.00"))
    assert claim.order.lines[0].kind == "exchange"


def test_a_claim_records_date_agent_reason_cause_ticket_customer_and_unit(sold, make_claim, agent):
    unit, ticket = sold
    cause = services.list_causes()[0]
    claim = make_claim(ticket, cause_id=cause.id, claimed_on="2024-06-02", reason="No enciende")
    assert claim.claimed_on == date(2024, 6, 2)
    assert (claim.agent, claim.reason, claim.cause) == (agent, "No enciende", cause)
    assert (claim.ticket, claim.customer_id, claim.unit) == (ticket, ticket.customer_id, unit)
    assert claim.order.customer_id == ticket.customer_id


def test_the_claim_date_is_today_when_none_is_given(sold, make_claim):
    from deskcore_warranty.dates import today

    assert make_claim(sold[1]).claimed_on == today()


def test_a_claim_needs_a_serial_number_a_known_ticket_and_an_active_cause(
    make_ticket, make_claim, agent
):
    ticket = make_ticket()
    with pytest.raises(ValidationError, match="serial_number"):
        make_claim(ticket)
    with pytest.raises(ValidationError, match="ticket #999 not found"):
        services.create_claim(
            {"ticket_number": 999, "kind": "exchange", "reason": "x", "serial_number": "A"}, agent
        )
    cause = services.save_cause({"name": "Retired cause", "active": False})
    with pytest.raises(ValidationError, match="cause_id"):
        make_claim(ticket, serial_number="A", cause_id=cause.id)
    with pytest.raises(ValidationError, match="kind"):
        make_claim(ticket, "refund", serial_number="A")


def test_a_claim_with_a_serial_gives_a_ticket_without_one_its_serial(
    make_unit, make_ticket, make_claim
):
    unit = make_unit("SN-1")
    ticket = make_ticket(customer_id=unit.customer_id, received_at="2024-06-01T10:00:00Z")
    assert ticket.coverage == "billable"
    make_claim(ticket, serial_number="SN-1")
    assert ticket.serial_number == "SN-1"
    assert ticket.coverage == "warranty"


def history(ticket) -> list[HistoryEvent]:
    return list(
        db.session.scalars(
            select(HistoryEvent)
            .where(HistoryEvent.ticket_id == ticket.id)
            .order_by(HistoryEvent.id)
        )
    )


def test_every_step_of_a_claim_is_in_the_ticket_history(sold, make_claim, agent, supervisor):
    _, ticket = sold
    claim = make_claim(ticket, "trade_in")
    services.transition_claim(claim.number, {"status": "approved", "note": "ok"}, supervisor)
    services.transition_claim(claim.number, {"status": "completed"}, agent)

    steps = [
        (e.action, e.field, e.old_value, e.new_value, e.actor_id, e.source)
        for e in history(ticket)
        if e.source == "warranty" and e.action.startswith("warranty")
    ]
    assert steps == [
        ("warranty_claim_opened", "W-1", None, "Trade-in", agent.id, "warranty"),
        ("warranty", "W-1", "open", "approved: ok", supervisor.id, "warranty"),
        ("warranty", "W-1", "approved", "completed", agent.id, "warranty"),
    ]
    claim = fresh(claim)
    assert claim.status == claim.order.status == "completed"
    assert claim.decision_note == "ok"
    assert claim.decided_at is not None and claim.completed_at is not None


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_LOCALE": "es"}])
def test_a_spanish_desk_words_the_claim_history_in_spanish(
    sold, make_claim, agent, supervisor, login
):
    _, ticket = sold
    claim = make_claim(ticket, "trade_in")
    services.transition_claim(claim.number, {"status": "approved"}, supervisor)
    steps = [(e.old_value, e.new_value) for e in history(ticket) if e.source == "warranty"]
    assert steps == [(None, "Canje de producto usado"), ("abierta", "aprobada")]
    page = login(agent).get(f"/tickets/{ticket.number}", headers={"Accept-Language": "en"}).text
    assert "registered the warranty claim" in page and "moved the warranty claim" in page


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["completed"], "cannot go from 'open' to 'completed'; allowed: approved, rejected"),
        (["rejected", "completed"], "cannot go from 'rejected' to 'completed'; allowed: none"),
        (["approved", "rejected"], "cannot go from 'approved' to 'rejected'; allowed: completed"),
        (["approved", "completed", "approved"], "from 'completed' to 'approved'"),
    ],
)
def test_only_approved_claims_are_completed_and_final_states_stay(
    sold, make_claim, agent, path, refused
):
    claim = make_claim(sold[1])
    *allowed, last = path
    for status in allowed:
        services.transition_claim(claim.number, {"status": status}, agent)
    with pytest.raises(Conflict, match=refused):
        services.transition_claim(claim.number, {"status": last}, agent)
    with pytest.raises(ValidationError, match="status"):
        services.transition_claim(claim.number, {"status": "open"}, agent)


def test_claim_and_order_numbers_are_consecutive(make_ticket, make_claim):
    ticket = make_ticket(serial_number="SN-X")
    claims = [make_claim(ticket, "exchange") for _ in range(3)]
    assert [c.label for c in claims] == ["W-1", "W-2", "W-3"]
    assert [c.order.label for c in claims] == ["WO-1", "WO-2", "WO-3"]


def test_claims_are_listed_newest_first_and_filtered(sold, make_claim):
    _, ticket = sold
    make_claim(ticket, "exchange")
    make_claim(ticket, "trade_in")
    make_claim(ticket, "exchange")
    page = services.list_claims({"kind": "exchange", "limit": 1})
    assert [c.number for c in page.claims] == [3]
    assert page.next_before == 3
    assert [c.number for c in services.list_claims({"kind": "exchange", "before": 3}).claims] == [1]
    assert len(services.list_claims({"ticket_number": ticket.number}).claims) == 3
    assert services.list_claims({"serial_number": "nope"}).claims == []


def test_changing_a_tickets_serial_asks_the_warranty_again(make_unit, make_ticket, agent):
    make_unit("SN-1")
    ticket = make_ticket(serial_number="SN-0", received_at="2024-06-01T10:00:00Z")
    assert ticket.coverage == "billable"
    update_ticket(ticket.number, {"serial_number": "SN-1"}, agent)
    assert (ticket.coverage, ticket.coverage_reason) == ("warranty", "warranty until 2025-01-15")


# -- the hooks the plugin defines ---------------------------------------------------------------


@pytest.fixture
def deskcore_config():
    return {"DESKCORE_PLUGIN_MODULES": ["warranty_listener"]}


@pytest.fixture
def heard():
    listener.HEARD.clear()
    listener.RAISE.clear()
    yield listener.HEARD
    listener.RAISE.clear()


@pytest.mark.plugins("warranty", "warranty_listener")
def test_every_claim_is_announced_as_an_order_to_other_plugins(sold, make_claim, agent, heard):
    claim = make_claim(sold[1], "trade_in")
    services.transition_claim(claim.number, {"status": "approved"}, agent)
    assert heard == [
        ("warranty_order_registered", ("WO-1", "W-1", Decimal("500.00"))),
        ("warranty_claim_changed", ("W-1", "open", "approved", agent.id)),
    ]


@pytest.mark.plugins("warranty", "warranty_listener")
def test_a_listener_failing_rolls_the_claim_back_and_leaves_no_gap(sold, make_claim, heard):
    _, ticket = sold
    make_claim(ticket)
    listener.RAISE["warranty_order_registered"] = RuntimeError("ERP is down")
    with pytest.raises(PluginError, match="plugin 'warranty_listener' failed in warranty_order"):
        make_claim(ticket)
    listener.RAISE.clear()
    third = make_claim(ticket)

    assert third.label == "W-2"
    assert db.session.scalars(select(Order.number).order_by(Order.number)).all() == [1, 2]
    assert db.session.get(Sequence, "warranty_claims").last_value == 2
    assert db.session.get(Sequence, "warranty_orders").last_value == 2


@pytest.mark.plugins("warranty", "warranty_listener")
def test_a_disabled_listener_hears_nothing(sold, make_claim, heard, disable_plugin):
    disable_plugin("warranty_listener")
    make_claim(sold[1])
    assert heard == []
