"""The ticket list: every filter the desk offers, a stable sort and keyset pagination.

One query builder serves the web list, the API and reports, so a filter means the same
everywhere. Pages are cut with a cursor (the last row's sort key), never OFFSET, so page 5,000
of a million tickets costs what page 1 does.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, any_, exists, false, func, literal_column, or_, select, table
from sqlalchemy.orm import selectinload

from ..errors import ValidationError
from ..extensions import db
from ..models import (
    Commitment,
    Customer,
    Status,
    StatusCategory,
    Ticket,
    User,
    utcnow,
)
from ..models.tickets import SUBJECT_FTS
from ..schemas import EARLIEST, LATEST, MAX_ID, TicketFilterSchema
from .customers import named_ids
from .unit_of_work import validate as validate_with

#: sort name → (column, descending)
SORTS = {
    "-number": (Ticket.number, True),
    "number": (Ticket.number, False),
    "-received_at": (Ticket.received_at, True),
    "received_at": (Ticket.received_at, False),
}

#: Text this long has a trigram, so the subject index can answer; shorter text is scanned for.
TRIGRAM = 3
#: A subject text matching this many tickets is common: see ``_fts_match``.
COMMON_MATCHES = 5000
#: The most customers whose tickets a name search lists (see ``_customer_named``).
NAMED_CUSTOMERS = 200


@dataclass
class TicketPage:
    tickets: list[Ticket]
    next_cursor: str | None


def parse_filters(args) -> dict:
    """Validate query parameters (a dict or a werkzeug MultiDict); unknown keys are ignored."""
    data = {key: args.get(key) for key in TicketFilterSchema().fields if args.get(key) is not None}
    return validate_with(TicketFilterSchema, data)


def search_tickets(filters: dict, user: User | None = None) -> TicketPage:
    """One page of tickets matching ``filters`` (as returned by ``parse_filters``)."""
    column, descending = SORTS[filters.get("sort", "-number")]
    limit = filters.get("limit", 50)
    stmt = _filtered(select(Ticket), filters, user)
    if filters.get("cursor"):
        stmt = stmt.where(_after(filters["cursor"], column, descending))
    order = (column.desc(), Ticket.id.desc()) if descending else (column.asc(), Ticket.id.asc())
    stmt = (
        stmt.order_by(*order)
        .limit(limit + 1)
        .options(
            # A list shows the customer's name only: not the phones the model loads with it.
            selectinload(Ticket.customer).lazyload(Customer.phones),
            selectinload(Ticket.status),
            selectinload(Ticket.type),
            selectinload(Ticket.priority),
            selectinload(Ticket.assignee),
            selectinload(Ticket.queue),
        )
    )
    rows = list(db.session.scalars(stmt))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _cursor(getattr(rows[-1], column.key), rows[-1].id)
    return TicketPage(rows, next_cursor)


def _filtered(stmt: Select, f: dict, user: User | None) -> Select:
    equal = (
        "type_id", "status_id", "priority_id", "queue_id", "assignee_id", "customer_id",
        "consultant_id", "entered_by_id", "order_ref", "payment_ref", "dispatch_ref",
        "serial_number", "coverage",
    )  # fmt: skip
    for key in equal:
        if f.get(key) is not None:
            stmt = stmt.where(getattr(Ticket, key) == f[key])
    if f.get("received_from"):
        stmt = stmt.where(Ticket.received_at >= _start_of(f["received_from"]))
    if f.get("received_to"):
        stmt = stmt.where(Ticket.received_at < _start_of(f["received_to"] + timedelta(days=1)))
    if f.get("status_category"):
        stmt = stmt.where(Ticket.status_id.in_(_status_ids(f["status_category"])))
    if f.get("q"):
        stmt = stmt.where(_text_match(f["q"]))
    view = f.get("view")
    unfinished = [StatusCategory.OPEN, StatusCategory.WAITING]
    if view == "mine":
        stmt = stmt.where(Ticket.assignee_id == (user.id if user else None))
        stmt = stmt.where(Ticket.status_id.in_(_status_ids(*unfinished)))
    elif view == "unassigned":
        stmt = stmt.where(Ticket.assignee_id.is_(None))
        stmt = stmt.where(Ticket.status_id.in_(_status_ids(*unfinished)))
    elif view == "waiting":
        stmt = stmt.where(Ticket.status_id.in_(_status_ids(StatusCategory.WAITING)))
    elif view == "open":
        stmt = stmt.where(Ticket.status_id.in_(_status_ids(*unfinished)))
    elif view == "overdue_commitments":
        stmt = stmt.where(
            exists().where(
                Commitment.ticket_id == Ticket.id,
                Commitment.done.is_(False),
                Commitment.due_at < utcnow(),
            )
        )
    return stmt


def _status_ids(*categories) -> list[int]:
    """Status ids of the categories: a handful of rows, so the ticket index stays usable."""
    return list(db.session.scalars(select(Status.id).where(Status.category.in_(categories))))


def _text_match(q: str):
    """A ticket number, or the text found in the subject or words of the customer's name."""
    q = q.strip().lstrip("#")
    if q.isascii() and q.isdigit():
        same_ref = [Ticket.order_ref == q, Ticket.serial_number == q]
        if int(q) <= MAX_ID:
            return or_(Ticket.number == int(q), *same_ref)
        return or_(*same_ref)
    return or_(
        _subject_contains(q),
        Ticket.serial_number == q,
        Ticket.order_ref == q,
        _customer_named(q),
    )


def _subject_contains(q: str):
    """The subject contains ``q``, ignoring case: through the trigram index when q has one."""
    dialect = db.session.get_bind().dialect.name
    if len(q) >= TRIGRAM and dialect == "sqlite":
        return _fts_match(q)
    # PostgreSQL's trigram index serves ILIKE itself (its planner knows how many rows match);
    # shorter text has no trigram to look up and is scanned for.
    return Ticket.subject.ilike(f"%{_escape_like(q)}%", escape="\\")


def _fts_match(q: str):
    """Tickets whose subject contains ``q``, from the FTS5 trigram table.

    SQLite cannot tell how many rows a MATCH gives, so we count up to ``COMMON_MATCHES``
    first. Fewer: read those tickets and sort them. More: read the list in order and keep
    the matches (``id + 0`` stops SQLite from reading the matches first), which finds a page
    after a few rows, where sorting tens of thousands of tickets would take a second.
    """
    phrase = '"' + q.replace('"', '""') + '"'
    ids = (
        select(literal_column("rowid"))
        .select_from(table(SUBJECT_FTS))
        .where(literal_column(SUBJECT_FTS).op("MATCH")(phrase))
    )
    counted = select(func.count()).select_from(ids.limit(COMMON_MATCHES).subquery())
    common = db.session.scalar(counted) >= COMMON_MATCHES
    return (Ticket.id + 0 if common else Ticket.id).in_(ids)


def _customer_named(q: str):
    """The customer's name has words starting with each word of ``q`` (accents ignored).

    The customer search's word index answers (``customers.named_ids``); at most
    ``NAMED_CUSTOMERS`` customers, so a word most names share cannot pull in half the desk.
    """
    ids = named_ids(q)
    if ids is None:
        return false()
    ids = ids.distinct().limit(NAMED_CUSTOMERS).scalar_subquery()
    if db.session.get_bind().dialect.name == "postgresql":
        # "= ANY(ARRAY(...))" is an index condition, so PostgreSQL can OR it with the
        # subject's index; "IN (SELECT ...)" inside an OR makes it read every ticket.
        return Ticket.customer_id == any_(func.array(ids))
    return Ticket.customer_id.in_(ids)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _cursor(value, row_id: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _fits(value) -> bool:
    return isinstance(value, int) and 0 <= value <= MAX_ID


def _after(cursor: str, column, descending: bool):
    """The keyset condition for rows after the cursor's row."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, row_id = json.loads(base64.urlsafe_b64decode(padded))
        if column is Ticket.received_at:
            value = datetime.fromisoformat(value)
            if value.tzinfo is None or not EARLIEST <= value <= LATEST:
                raise ValueError
        elif not _fits(value):
            raise ValueError
        if not _fits(row_id):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise ValidationError({"cursor": [_l("not a cursor this list gave out")]}) from None
    if descending:
        return or_(column < value, and_(column == value, Ticket.id < row_id))
    return or_(column > value, and_(column == value, Ticket.id > row_id))
