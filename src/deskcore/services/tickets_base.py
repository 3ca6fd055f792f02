"""Loading tickets and checking the references an agent sends (ids of types, queues, people)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

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
from .rows import attach, column_values, load_by_id

#: Input field → (model, what an agent calls it). All must exist and be active.
REFERENCES = {
    "type_id": (TicketType, _l("ticket type")),
    "priority_id": (Priority, _l("priority")),
    "topic_id": (Topic, _l("topic")),
    "queue_id": (Queue, _l("queue")),
    "assignee_id": (User, _l("agent")),
    "customer_id": (Customer, _l("customer")),
    "consultant_id": (Customer, _l("consultant")),
    "status_id": (Status, _l("status")),
    "commitment_type_id": (CommitmentType, _l("commitment type")),
    "responsible_id": (User, _l("agent")),
}


def load_ticket(number: int) -> Ticket:
    """The ticket with human number ``number``; NotFound otherwise."""
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise NotFound(_l("ticket #%(number)s not found", number=number))
    return ticket


def resolve(field: str, value: int | None):
    """The row an ``..._id`` input names, or a ValidationError on that field."""
    if value is None:
        return None
    model, label = REFERENCES[field]
    row = load_by_id(model, value)
    if row is None or not getattr(row, "active", True):
        raise ValidationError(
            {field: [_l("unknown or inactive %(label)s: %(value)s", label=label, value=value)]}
        )
    if field == "consultant_id" and row.kind != CustomerKind.CONSULTANT:
        raise ValidationError({field: [_l("customer %(id)s is not a consultant", id=value)]})
    return row


def default(model):
    """The default row of a classification: the one flagged, else the first active by order."""

    def load():
        stmt = select(model).where(model.active.is_(True))
        return db.session.scalar(stmt.order_by(model.is_default.desc(), model.position).limit(1))

    row = _cached(("default", model), model, load)
    if row is None:
        raise ValidationError(
            {"_schema": [_l("no active %(kind)s configured", kind=model.__tablename__)]}
        )
    return row


def first_status(category: StatusCategory) -> Status:
    """The default status of a category: flagged default first, then by order."""

    def load():
        return db.session.scalar(
            select(Status)
            .where(Status.category == category, Status.active.is_(True))
            .order_by(Status.is_default.desc(), Status.position)
            .limit(1)
        )

    row = _cached(("first_status", category), Status, load)
    if row is None:
        raise ValidationError(
            {"status_id": [_l("no active status in category %(category)s", category=category)]}
        )
    return row


# -- defaults cached per worker --------------------------------------------------------------
#
# Every ticket needs the default type, priority and status; reading them costs three queries
# per ticket. Each worker keeps their columns instead, under a version number in the
# ``sequences`` table that every flush changing a classification bumps (in the same
# transaction), so the next ticket in any worker sees an edit. One indexed read replaces
# three; without the version row nothing is cached.

#: The ``sequences`` row counting classification changes (not a human number).
VERSION_ROW = "classifications-version"
CACHED_MODELS = (TicketType, Priority, Status)
_READ_VERSION = text("SELECT last_value FROM sequences WHERE name = :name")
_BUMP_VERSION = text(
    "INSERT INTO sequences (name, last_value) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET last_value = sequences.last_value + 1"
)
_VERSION_MEMO = "deskcore_classifications_version"


@event.listens_for(Session, "after_flush")
def _bump_version(session: Session, flush_context) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, CACHED_MODELS) for obj in changed):
        session.connection().execute(_BUMP_VERSION, {"name": VERSION_ROW})
        session.info.pop(_VERSION_MEMO, None)


def _cached(key, model, load: Callable[[], object]):
    """``load()``'s row, from this worker's cache while the classifications are unchanged."""
    version = _version()
    if version is None:
        return load()
    cache = current_app.extensions.setdefault("deskcore_defaults", {})
    entry = cache.get(key)
    if entry is None or entry[0] != version:
        row = load()
        columns = None if row is None else column_values(model, row)
        # Read again: loading may have flushed a change of this transaction (a new version
        # that a rollback would take back, so what was read is never filed under the old one).
        cache[key] = (_version(), columns)
        return row
    return None if entry[1] is None else attach(model, entry[1])


def _version() -> int | None:
    """The classifications' version, read once per transaction (after flushing pending
    changes, as the queries it replaces would have: the flush bumps it)."""
    session = db.session()
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    transaction = session.get_transaction()
    memo = session.info.get(_VERSION_MEMO)
    if memo is not None and memo[0] is transaction and transaction is not None:
        return memo[1]
    version = session.connection().execute(_READ_VERSION, {"name": VERSION_ROW}).scalar()
    session.info[_VERSION_MEMO] = (session.get_transaction(), version)
    return version
