"""Ticket operations: numbers, defaults, workflow, history, reassignment, time and comments."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from deskcore.errors import Conflict, NotFound, ValidationError
from deskcore.extensions import db
from deskcore.models import HistoryEvent, Queue, Status, Ticket
from deskcore.services import (
    add_comment,
    change_status,
    close_ticket,
    link_ticket,
    log_time,
    open_ticket,
    reassign_ticket,
    reopen_ticket,
    update_ticket,
)


def status(code: str) -> Status:
    return db.session.scalar(select(Status).where(Status.code == code))


def history(ticket: Ticket) -> list[tuple]:
    rows = db.session.scalars(
        select(HistoryEvent).where(HistoryEvent.ticket_id == ticket.id).order_by(HistoryEvent.id)
    )
    return [(e.action, e.field, e.old_value, e.new_value) for e in rows]


@pytest.fixture
def queue(app):
    q = Queue(name="Soporte técnico")
    db.session.add(q)
    db.session.commit()
    return q


def test_tickets_get_consecutive_numbers(make_ticket):
    assert [make_ticket().number for _ in range(3)] == [1, 2, 3]


def test_new_ticket_takes_the_default_classifications(make_ticket, agent):
    ticket = make_ticket()
    assert (ticket.status.code, ticket.type.name, ticket.priority.name) == (
        "pending",
        "Complaint",
        "Normal",
    )
    assert ticket.entered_by == agent
    assert ticket.channel == "phone"
    assert ticket.received_at.tzinfo is not None
    assert history(ticket) == [("opened", "status", None, "Pending")]


def test_new_ticket_keeps_every_field_given(make_customer, agent, queue):
    customer = make_customer()
    consultant = make_customer(kind="consultant")
    earlier = open_ticket({"customer_id": customer.id, "subject": "Antes"}, agent)
    ticket = open_ticket(
        {
            "customer_id": customer.id,
            "consultant_id": consultant.id,
            "subject": "Lavadora no centrifuga",
            "symptom": "Hace ruido y se detiene",
            "channel": "email",
            "received_at": "2026-03-01T10:30:00-03:00",
            "estimated_close_on": "2026-03-05",
            "serial_number": "LV-2231",
            "order_ref": "P-100",
            "payment_ref": "PG-7",
            "dispatch_ref": "D-9",
            "queue_id": queue.id,
            "assignee_id": agent.id,
            "related": [earlier.number],
        },
        agent,
    )
    db.session.expire_all()
    assert ticket.consultant == consultant
    assert ticket.received_at == datetime(2026, 3, 1, 13, 30, tzinfo=UTC)
    assert ticket.estimated_close_on == date(2026, 3, 5)
    assert (ticket.serial_number, ticket.order_ref, ticket.payment_ref, ticket.dispatch_ref) == (
        "LV-2231",
        "P-100",
        "PG-7",
        "D-9",
    )
    assert (ticket.queue, ticket.assignee, ticket.related) == (queue, agent, [earlier])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"customer_id": None}, "customer_id"),
        ({"customer_id": 999, "subject": "x"}, "customer_id"),
        ({"subject": ""}, "subject"),
        ({"type_id": 999}, "type_id"),
        ({"priority_id": "alta"}, "priority_id"),
        ({"channel": "fax"}, "channel"),
        ({"received_at": "ayer"}, "received_at"),
        ({"assignee_id": 999}, "assignee_id"),
    ],
)
def test_bad_ticket_input_names_the_field_writes_nothing_and_keeps_the_number(
    make_customer, agent, data, field
):
    customer = make_customer()
    with pytest.raises(ValidationError) as exc:
        open_ticket({"customer_id": customer.id, "subject": "ok", **data}, agent)
    assert field in exc.value.messages
    assert Ticket.query.count() == 0
    assert open_ticket({"customer_id": customer.id, "subject": "ok"}, agent).number == 1


def test_a_customer_is_not_a_consultant(make_customer, agent):
    customer = make_customer()
    with pytest.raises(ValidationError) as exc:
        open_ticket(
            {"customer_id": customer.id, "consultant_id": customer.id, "subject": "x"}, agent
        )
    assert "not a consultant" in exc.value.messages["consultant_id"][0]


def test_update_records_each_changed_field(make_ticket, agent):
    ticket = make_ticket(serial_number="A1")
    update_ticket(
        ticket.number,
        {"subject": "Pantalla negra", "serial_number": "B2", "diagnosis": "Fuente quemada"},
        agent,
    )
    assert ticket.subject == "Pantalla negra"
    assert history(ticket)[1:] == [
        ("updated", "subject", "No enciende", "Pantalla negra"),
        ("updated", "serial_number", "A1", "B2"),
        ("updated", "diagnosis", "", "Fuente quemada"),
    ]


def test_update_without_changes_records_nothing(make_ticket, agent):
    ticket = make_ticket()
    update_ticket(ticket.number, {"subject": "No enciende"}, agent)
    assert len(history(ticket)) == 1


def test_update_cannot_remove_the_customer(make_ticket, agent):
    ticket = make_ticket()
    with pytest.raises(ValidationError):
        update_ticket(ticket.number, {"customer_id": None}, agent)


def test_status_moves_along_allowed_transitions(make_ticket, agent):
    ticket = make_ticket()
    change_status(ticket.number, {"status_id": status("on_hold").id}, agent)
    change_status(ticket.number, {"status_id": status("pending").id}, agent)
    assert history(ticket)[1:] == [
        ("status", "status", "Pending", "On hold"),
        ("status", "status", "On hold", "Pending"),
    ]


def test_a_transition_outside_the_workflow_is_refused(make_ticket, agent):
    ticket = make_ticket()
    close_ticket(ticket.number, {"resolution": "Reparado"}, agent)
    with pytest.raises(Conflict, match="allowed: Pending"):
        change_status(ticket.number, {"status_id": status("on_hold").id}, agent)


def test_resolving_needs_a_resolution(make_ticket, agent):
    ticket = make_ticket()
    with pytest.raises(ValidationError) as exc:
        change_status(ticket.number, {"status_id": status("resolved").id}, agent)
    assert "resolution" in exc.value.messages
    assert ticket.status.code == "pending"
    change_status(
        ticket.number, {"status_id": status("resolved").id, "resolution": "Cambio de placa"}, agent
    )
    assert ticket.resolution == "Cambio de placa"
    assert ticket.resolved_at is not None and ticket.closed_at is None


def test_close_needs_a_resolution_and_stamps_the_time(make_ticket, agent):
    ticket = make_ticket()
    with pytest.raises(ValidationError) as exc:
        close_ticket(ticket.number, {}, agent)
    assert "resolution" in exc.value.messages
    close_ticket(ticket.number, {"resolution": "Se reemplazó el equipo"}, agent)
    assert ticket.status.code == "closed"
    assert ticket.closed_at is not None and ticket.resolved_at is not None
    assert history(ticket)[-1] == ("closed", "status", "Pending", "Closed")
    with pytest.raises(Conflict, match="already closed"):
        close_ticket(ticket.number, {"resolution": "otra vez"}, agent)


def test_close_into_a_status_that_is_not_closed_is_refused(make_ticket, agent):
    ticket = make_ticket()
    with pytest.raises(ValidationError):
        close_ticket(ticket.number, {"resolution": "x", "status_id": status("on_hold").id}, agent)


def test_reopen_brings_a_closed_ticket_back(make_ticket, agent):
    ticket = make_ticket()
    close_ticket(ticket.number, {"resolution": "Listo"}, agent)
    reopen_ticket(ticket.number, {}, agent)
    assert ticket.status.code == "pending"
    assert ticket.closed_at is None and ticket.resolved_at is None
    assert history(ticket)[-1] == ("reopened", "status", "Closed", "Pending")


def test_only_finished_tickets_reopen(make_ticket, agent):
    ticket = make_ticket()
    with pytest.raises(Conflict, match="not resolved or closed"):
        reopen_ticket(ticket.number, {}, agent)


def test_reassign_records_queue_and_agent(make_ticket, agent, make_user, queue):
    ticket = make_ticket()
    other = make_user("agent", name="Tomás Técnico")
    reassign_ticket(ticket.number, {"queue_id": queue.id, "assignee_id": other.id}, agent)
    assert (ticket.queue, ticket.assignee) == (queue, other)
    assert history(ticket)[1:] == [
        ("reassigned", "queue", None, "Soporte técnico"),
        ("reassigned", "assignee", None, "Tomás Técnico"),
    ]
    reassign_ticket(ticket.number, {"assignee_id": None}, agent)
    assert ticket.assignee is None and ticket.queue == queue


def test_reassign_needs_a_target(make_ticket, agent):
    with pytest.raises(ValidationError):
        reassign_ticket(make_ticket().number, {}, agent)


def test_reassign_to_an_inactive_agent_is_refused(make_ticket, agent, make_user):
    gone = make_user("agent")
    gone.active = False
    db.session.commit()
    with pytest.raises(ValidationError, match="inactive"):
        reassign_ticket(make_ticket().number, {"assignee_id": gone.id}, agent)


def test_comments_are_internal_unless_said_otherwise(make_ticket, agent):
    ticket = make_ticket()
    note = add_comment(ticket.number, {"body": "Cliente molesto"}, agent)
    reply = add_comment(ticket.number, {"body": "Lo llamamos", "visibility": "public"}, agent)
    assert (note.visibility, reply.visibility, reply.author) == ("internal", "public", agent)
    with pytest.raises(ValidationError):
        add_comment(ticket.number, {"body": "  "}, agent)


def test_time_is_logged_per_agent_and_day(make_ticket, agent):
    ticket = make_ticket()
    entry = log_time(ticket.number, {"minutes": 45, "spent_on": "2026-11-20"}, agent)
    assert (entry.minutes, entry.spent_on, entry.agent) == (45, date(2026, 11, 20), agent)
    today = log_time(ticket.number, {"minutes": 5}, agent)
    assert today.spent_on == datetime.now(UTC).date()
    for bad in (0, -5, 2000, "diez"):
        with pytest.raises(ValidationError):
            log_time(ticket.number, {"minutes": bad}, agent)


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_TIMEZONE": "America/Santiago"}])
def test_time_logged_without_a_day_counts_on_the_desks_day(make_ticket, agent, monkeypatch):
    ticket = make_ticket()
    evening = datetime(2026, 1, 16, 1, 30, tzinfo=UTC)  # 22:30 on the 15th in Santiago
    monkeypatch.setattr("deskcore.desk_time.utcnow", lambda: evening)
    assert log_time(ticket.number, {"minutes": 5}, agent).spent_on == date(2026, 1, 15)


def test_related_tickets_are_linked_once(make_ticket, agent):
    first, second = make_ticket(), make_ticket()
    link_ticket(second.number, first.number, agent)
    link_ticket(second.number, first.number, agent)
    assert second.related == [first]
    assert history(second)[-1] == ("linked", "related", None, f"#{first.number}")
    with pytest.raises(ValidationError):
        link_ticket(first.number, first.number, agent)


def test_unknown_ticket_is_not_found(app, agent):
    with pytest.raises(NotFound, match="#42"):
        add_comment(42, {"body": "hola"}, agent)
