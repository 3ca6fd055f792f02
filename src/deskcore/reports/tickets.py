"""Ticket reports: by status, pending to close with their age, closed in a period, and every
ticket of one customer with its state."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..contributions import Column, Param, Report
from ..models import Customer, Status, Ticket, TicketType, User
from .charts import Chart
from .common import (
    END,
    FILTERS,
    LIMIT,
    agent_name,
    filtered,
    now_value,
    period,
    start_param,
    unfinished_ids,
)
from .sql import between, hours_between, rows


def tickets_by_status(agent=None, queue=None, type=None) -> list[dict]:
    """How many tickets each status holds now (statuses without tickets show 0)."""
    counts = filtered(
        select(Ticket.status_id, func.count(Ticket.id).label("n")).group_by(Ticket.status_id),
        agent,
        queue,
        type,
    ).subquery()
    stmt = (
        select(
            Status.name.label("status"),
            Status.category.label("category"),
            func.coalesce(counts.c.n, 0).label("tickets"),
        )
        .outerjoin(counts, counts.c.status_id == Status.id)
        .order_by(Status.position, Status.id)
    )
    return rows(stmt)


def _listing(*columns):
    assignee = User.__table__.alias("assignee")
    stmt = (
        select(
            Ticket.number.label("number"),
            Ticket.subject.label("subject"),
            Customer.name.label("customer"),
            *columns,
            agent_name(assignee.c).label("agent"),
        )
        .join(Customer, Customer.id == Ticket.customer_id)
        .join(Status, Status.id == Ticket.status_id)
        .outerjoin(assignee, assignee.c.id == Ticket.assignee_id)
    )
    return stmt


def pending_tickets(agent=None, queue=None, type=None, limit=500) -> list[dict]:
    """Tickets not yet resolved or closed, the oldest first, with their age in days."""
    age = (hours_between(now_value(), Ticket.received_at) / 24).label("age_days")
    stmt = _listing(Status.name.label("status"), Ticket.received_at.label("received_at"), age)
    stmt = stmt.where(Ticket.status_id.in_(unfinished_ids()))
    return rows(filtered(stmt, agent, queue, type).order_by(Ticket.received_at).limit(limit))


def closed_tickets(start=None, end=None, agent=None, queue=None, type=None, limit=500):
    """Tickets closed between two days (inclusive), the latest first, with days they took."""
    first, after = period(start, end)
    days_open = (hours_between(Ticket.closed_at, Ticket.received_at) / 24).label("days_open")
    stmt = _listing(
        TicketType.name.label("type"),
        Ticket.received_at.label("received_at"),
        Ticket.closed_at.label("closed_at"),
        days_open,
    ).join(TicketType, TicketType.id == Ticket.type_id)
    stmt = stmt.where(Ticket.closed_at.is_not(None), between(Ticket.closed_at, first, after))
    return rows(filtered(stmt, agent, queue, type).order_by(Ticket.closed_at.desc()).limit(limit))


def customer_tickets(customer=None, limit=500) -> list[dict]:
    """Every ticket of one customer, the newest first, with its current status."""
    stmt = _listing(
        Status.name.label("status"),
        Status.category.label("category"),
        Ticket.received_at.label("received_at"),
        Ticket.closed_at.label("closed_at"),
    ).where(Ticket.customer_id == customer)
    return rows(stmt.order_by(Ticket.received_at.desc(), Ticket.id.desc()).limit(limit))


NUMBER = Column("number", _l("Ticket"), "ticket")
SUBJECT = Column("subject", _l("Subject"))
CUSTOMER = Column("customer", _l("Customer"))
AGENT = Column("agent", _l("Agent"))
STATUS = Column("status", _l("Status"))
RECEIVED = Column("received_at", _l("Received"), "datetime")

REPORTS = [
    Report(
        name="tickets_by_status",
        title=_l("Tickets by status"),
        description=_l("How many tickets each status holds now."),
        run=tickets_by_status,
        params=dict(FILTERS),
        columns=(
            STATUS,
            Column("category", _l("Category")),
            Column("tickets", _l("Tickets"), "int"),
        ),
        chart=Chart("donut", "status", ("tickets",), _l("Tickets by status")),
    ),
    Report(
        name="pending_tickets",
        title=_l("Pending to close"),
        description=_l("Tickets not resolved or closed yet, the oldest first, with their age."),
        run=pending_tickets,
        params={**FILTERS, "limit": LIMIT},
        columns=(
            NUMBER,
            SUBJECT,
            CUSTOMER,
            STATUS,
            RECEIVED,
            Column("age_days", _l("Age (days)"), "number"),
            AGENT,
        ),
    ),
    Report(
        name="closed_tickets",
        title=_l("Closed in a period"),
        description=_l("Tickets closed between two days, with the days each one took."),
        run=closed_tickets,
        params={"start": start_param(), "end": END, **FILTERS, "limit": LIMIT},
        columns=(
            NUMBER,
            SUBJECT,
            CUSTOMER,
            Column("type", _l("Type")),
            RECEIVED,
            Column("closed_at", _l("Closed"), "datetime"),
            Column("days_open", _l("Days open"), "number"),
            AGENT,
        ),
    ),
    Report(
        name="customer_tickets",
        title=_l("Tickets of a customer"),
        description=_l("Every ticket of one customer with its current status."),
        run=customer_tickets,
        params={"customer": Param("customer", _l("Customer id"), required=True), "limit": LIMIT},
        columns=(
            NUMBER,
            SUBJECT,
            STATUS,
            Column("category", _l("Category")),
            RECEIVED,
            Column("closed_at", _l("Closed"), "datetime"),
            AGENT,
        ),
    ),
]
