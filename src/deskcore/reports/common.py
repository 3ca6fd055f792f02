"""What the core reports share: the usual parameters, the date range as UTC instants (the
desk's days), ticket filters and the names of unassigned or unfinished things."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select

from ..contributions import Param
from ..desk_time import local_midnight
from ..models import Status, StatusCategory, Ticket, User, utcnow
from ..models._types import UTCDateTime
from .params import days_ago, today

#: Most rows a listing report returns; totals reports are never cut.
MAX_LIMIT = 5000


def start_param(days: int = 30) -> Param:
    return Param("date", _l("From"), default=days_ago(days))


END = Param("date", _l("To (inclusive)"), default=today)
AGENT = Param("agent", _l("Agent"))
QUEUE = Param("queue", _l("Queue"))
TYPE = Param("type", _l("Ticket type"))
LIMIT = Param("int", _l("Rows at most"), default=500, low=1, high=MAX_LIMIT)
FILTERS = {"agent": AGENT, "queue": QUEUE, "type": TYPE}


def period(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """The days from ``start`` to ``end`` (inclusive) as UTC instants [from, to): from the
    desk's midnight starting ``start`` to the one ending ``end``, in its time zone."""
    first = local_midnight(start) if start else None
    after = local_midnight(end + timedelta(days=1)) if end else None
    return first, after


def filtered(stmt, agent=None, queue=None, type=None):
    """Narrow a statement over tickets to one assignee, queue and/or type."""
    if agent is not None:
        stmt = stmt.where(Ticket.assignee_id == agent)
    if queue is not None:
        stmt = stmt.where(Ticket.queue_id == queue)
    if type is not None:
        stmt = stmt.where(Ticket.type_id == type)
    return stmt


def status_ids(*categories: StatusCategory):
    """The ids of the statuses in these categories, as a subquery the planner inlines."""
    return select(Status.id).where(Status.category.in_([c.value for c in categories]))


def unfinished_ids():
    return status_ids(StatusCategory.OPEN, StatusCategory.WAITING)


def agent_name(user=User):
    """The agent's name, or "Unassigned" for tickets nobody holds."""
    return func.coalesce(user.name, literal(_("Unassigned")))


def now_value():
    """This instant as a SQL value typed like the timestamp columns (UTC on every database)."""
    return literal(utcnow(), UTCDateTime())
