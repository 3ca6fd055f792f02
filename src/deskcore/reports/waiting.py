"""Time spent waiting (on hold): each move into a status of the waiting category, from the
status history, lasts until the ticket's next status change (or until now).

History keeps the status *name* a ticket moved to, so a waiting status renamed later no
longer matches its older events; renaming statuses is rare and the report says "on hold
under the current names".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from ..contributions import Column, Report
from ..models import HistoryEvent, Status, StatusCategory, Ticket, User
from .charts import Chart
from .common import END, LIMIT, QUEUE, TYPE, agent_name, filtered, now_value, period, start_param
from .sql import between, hours_between, rows


def _periods(start, end, queue, type):
    """One row per waiting period that began in the period: ticket and hours."""
    first, after = period(start, end)
    began = HistoryEvent.__table__.alias("began")
    later = HistoryEvent.__table__.alias("later")
    ended = (
        select(func.min(later.c.created_at))
        .where(later.c.ticket_id == began.c.ticket_id, later.c.id > began.c.id)
        .where(later.c.field == "status")
        .scalar_subquery()
    )
    stmt = (
        select(
            began.c.ticket_id.label("ticket_id"),
            hours_between(func.coalesce(ended, now_value()), began.c.created_at).label("hours"),
            case((ended.is_(None), 1), else_=0).label("ongoing"),
        )
        .join(
            Status,
            and_(Status.name == began.c.new_value, Status.category == StatusCategory.WAITING.value),
        )
        .join(Ticket, Ticket.id == began.c.ticket_id)
        .where(began.c.field == "status", between(began.c.created_at, first, after))
    )
    return filtered(stmt, None, queue, type).subquery("periods")


def waiting_by_ticket(start=None, end=None, queue=None, type=None, limit=500) -> list[dict]:
    """Tickets by hours on hold in the period, the longest first."""
    periods = _periods(start, end, queue, type)
    per_ticket = (
        select(
            periods.c.ticket_id,
            func.count().label("periods"),
            func.sum(periods.c.hours).label("waiting_hours"),
            func.max(periods.c.ongoing).label("ongoing"),
        )
        .group_by(periods.c.ticket_id)
        .subquery("per_ticket")
    )
    stmt = (
        select(
            Ticket.number.label("number"),
            Ticket.subject.label("subject"),
            agent_name().label("agent"),
            per_ticket.c.periods,
            per_ticket.c.waiting_hours,
            per_ticket.c.ongoing.label("still_waiting"),
        )
        .join(Ticket, Ticket.id == per_ticket.c.ticket_id)
        .outerjoin(User, User.id == Ticket.assignee_id)
        .order_by(per_ticket.c.waiting_hours.desc(), Ticket.number)
        .limit(limit)
    )
    return rows(stmt)


def waiting_by_agent(start=None, end=None, queue=None, type=None) -> list[dict]:
    """Per agent holding the tickets: tickets put on hold, periods, hours on hold."""
    periods = _periods(start, end, queue, type)
    per_agent = (
        select(
            Ticket.assignee_id.label("agent_id"),
            func.count(func.distinct(periods.c.ticket_id)).label("tickets"),
            func.count().label("periods"),
            func.sum(periods.c.hours).label("waiting_hours"),
        )
        .select_from(periods)
        .join(Ticket, Ticket.id == periods.c.ticket_id)
        .group_by(Ticket.assignee_id)
        .subquery("per_agent")
    )
    name = agent_name()
    stmt = (
        select(
            name.label("agent"),
            per_agent.c.tickets,
            per_agent.c.periods,
            per_agent.c.waiting_hours,
            (per_agent.c.waiting_hours / per_agent.c.tickets).label("hours_per_ticket"),
        )
        .select_from(per_agent)
        .outerjoin(User, User.id == per_agent.c.agent_id)
        .order_by(per_agent.c.waiting_hours.desc(), name)
    )
    return rows(stmt)


PARAMS = {"start": start_param(), "end": END, "queue": QUEUE, "type": TYPE}
HOURS = Column("waiting_hours", _l("Hours on hold"), "hours")
PERIODS = Column("periods", _l("Times put on hold"), "int")

REPORTS = [
    Report(
        name="waiting_by_ticket",
        title=_l("Time on hold per ticket"),
        description=_l(
            "Hours each ticket spent in a waiting status, for periods on hold that began in"
            " the date range (under the statuses' current names)."
        ),
        run=waiting_by_ticket,
        params={**PARAMS, "limit": LIMIT},
        columns=(
            Column("number", _l("Ticket"), "ticket"),
            Column("subject", _l("Subject")),
            Column("agent", _l("Agent")),
            PERIODS,
            HOURS,
            Column("still_waiting", _l("Still on hold"), "bool"),
        ),
    ),
    Report(
        name="waiting_by_agent",
        title=_l("Time on hold per agent"),
        description=_l(
            "Hours the tickets each agent holds spent in a waiting status, for periods on hold"
            " that began in the date range."
        ),
        run=waiting_by_agent,
        params=PARAMS,
        columns=(
            Column("agent", _l("Agent")),
            Column("tickets", _l("Tickets"), "int"),
            PERIODS,
            HOURS,
            Column("hours_per_ticket", _l("Hours per ticket"), "hours"),
        ),
        chart=Chart("bar", "agent", ("waiting_hours",), _l("Hours on hold")),
    ),
]
