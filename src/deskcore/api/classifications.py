"""The classifications a client needs to fill ids in: statuses (with their transitions),
ticket types, priorities, queues, topics and commitment types. Read-only: admins edit them in
the UI."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CommitmentType, Priority, Queue, Status, TicketType, Topic
from .blueprint import bp
from .endpoint import endpoint
from .resources import (
    ClassificationOutSchema,
    DefaultableOutSchema,
    QueueOutSchema,
    StatusOutSchema,
    items_of,
)


def _all(model, *load) -> dict:
    order = (model.name,) if model is Queue else (model.position, model.id)
    stmt = select(model).options(*map(selectinload, load)).order_by(*order)
    return {"items": list(db.session.scalars(stmt))}


@bp.get("/statuses")
@endpoint(response=items_of(StatusOutSchema, "StatusList"))
def statuses_list():
    """Ticket statuses in order, each with the statuses it may move to."""
    return _all(Status, Status.next_statuses)


@bp.get("/types")
@endpoint(response=items_of(DefaultableOutSchema, "TicketTypeList"))
def types_list():
    """Ticket types."""
    return _all(TicketType)


@bp.get("/priorities")
@endpoint(response=items_of(DefaultableOutSchema, "PriorityList"))
def priorities_list():
    """Priorities."""
    return _all(Priority)


@bp.get("/topics")
@endpoint(response=items_of(ClassificationOutSchema, "TopicList"))
def topics_list():
    """Topics."""
    return _all(Topic)


@bp.get("/commitment-types")
@endpoint(response=items_of(ClassificationOutSchema, "CommitmentTypeList"))
def commitment_types_list():
    """Kinds of commitment (call back, field visit …)."""
    return _all(CommitmentType)


@bp.get("/queues")
@endpoint(response=items_of(QueueOutSchema, "QueueList"))
def queues_list():
    """Queues tickets are assigned to."""
    return _all(Queue)
