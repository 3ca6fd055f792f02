"""Loading tickets and checking the references an agent sends (ids of types, queues, people)."""

from __future__ import annotations

from sqlalchemy import select

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import (
    CommitmentType,
    Customer,
    CustomerKind,
    Priority,
    Queue,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
    Topic,
    User,
)

#: Input field → (model, what an agent calls it). All must exist and be active.
REFERENCES = {
    "type_id": (TicketType, "ticket type"),
    "priority_id": (Priority, "priority"),
    "topic_id": (Topic, "topic"),
    "queue_id": (Queue, "queue"),
    "assignee_id": (User, "agent"),
    "customer_id": (Customer, "customer"),
    "consultant_id": (Customer, "consultant"),
    "status_id": (Status, "status"),
    "commitment_type_id": (CommitmentType, "commitment type"),
    "responsible_id": (User, "agent"),
}


def load_ticket(number: int) -> Ticket:
    """The ticket with human number ``number``; NotFound otherwise."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise NotFound(f"ticket #{number} not found")
    return ticket


def resolve(field: str, value: int | None):
    """The row an ``..._id`` input names, or a ValidationError on that field."""
    if value is None:
        return None
    model, label = REFERENCES[field]
    row = db.session.get(model, value)
    if row is None or not getattr(row, "active", True):
        raise ValidationError({field: [f"unknown or inactive {label}: {value}"]})
    if field == "consultant_id" and row.kind != CustomerKind.CONSULTANT:
        raise ValidationError({field: [f"customer {value} is not a consultant"]})
    return row


def default(model):
    """The default row of a classification: the one flagged, else the first active by order."""
    stmt = select(model).where(model.active.is_(True))
    row = db.session.scalar(stmt.order_by(model.is_default.desc(), model.position).limit(1))
    if row is None:
        raise ValidationError({"_schema": [f"no active {model.__tablename__} configured"]})
    return row


def first_status(category: StatusCategory) -> Status:
    """The default status of a category: flagged default first, then by order."""
    row = db.session.scalar(
        select(Status)
        .where(Status.category == category, Status.active.is_(True))
        .order_by(Status.is_default.desc(), Status.position)
        .limit(1)
    )
    if row is None:
        raise ValidationError({"status_id": [f"no active status in category {category}"]})
    return row
