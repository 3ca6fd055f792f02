"""Workload reports: totals per agent and per type (pending, worked, resolved), statistics per
agent over a date range (covered customers apart), and pending tickets per agent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, distinct, func, literal, select, union_all

from ..contributions import Column, Report
from ..models import Coverage, Status, StatusCategory, Ticket, TicketType, TimeEntry, User
from .charts import Chart
from .common import (
    END,
    QUEUE,
    TYPE,
    agent_name,
    filtered,
    now_value,
    period,
    start_param,
    unfinished_ids,
)
from .sql import between, hours_between, on_days, rows

#: Coverage kinds paid by a contract or a warranty: the requirement's "con Contrato/Garantía".
COVERED = (Coverage.WARRANTY.value, Coverage.CONTRACT.value)


def _totals(key_ticket, key_entry, start, end, queue, type):
    """(key, pending, worked, resolved): three grouped counts stacked and summed per key."""
    first, after = period(start, end)

    def zero(name):
        # Each placeholder gets its own label: one shared anonymous literal made the outer
        # query read the same union column for "worked" and "resolved".
        return literal(0).label(name)

    # Grouping by "+ 0" keeps SQLite from walking a whole index of the key just to skip a
    # sort; each part reads only the rows its WHERE picks (a few thousand, not a million).
    entry_needs_ticket = key_entry.table is not TimeEntry.__table__
    key_ticket, key_entry = key_ticket + 0, key_entry + 0
    pending = select(key_ticket.label("k"), func.count().label("p"), zero("w"), zero("r"))
    pending = filtered(pending.where(Ticket.status_id.in_(unfinished_ids())), None, queue, type)
    worked = (
        select(
            key_entry.label("k"),
            zero("p"),
            func.count(distinct(TimeEntry.ticket_id)).label("w"),
            zero("r"),
        )
        .select_from(TimeEntry)
        .where(on_days(TimeEntry.spent_on, start, end))
    )
    if entry_needs_ticket or queue is not None or type is not None:
        # Only then is a ticket row read per time entry.
        worked = filtered(worked.join(Ticket, Ticket.id == TimeEntry.ticket_id), None, queue, type)
    resolved = select(key_ticket.label("k"), zero("p"), zero("w"), func.count().label("r"))
    resolved = resolved.where(
        Ticket.resolved_at.is_not(None), between(Ticket.resolved_at, first, after)
    )
    resolved = filtered(resolved, None, queue, type)
    parts = [
        stmt.group_by(key)
        for stmt, key in ((pending, key_ticket), (worked, key_entry), (resolved, key_ticket))
    ]
    stacked = union_all(*parts).subquery("parts")
    k, p, w, r = stacked.c
    return (
        select(
            k.label("key"),
            func.sum(p).label("pending"),
            func.sum(w).label("worked"),
            func.sum(r).label("resolved"),
        )
        .group_by(k)
        .subquery("totals")
    )


def totals_by_agent(start=None, end=None, queue=None, type=None) -> list[dict]:
    totals = _totals(Ticket.assignee_id, TimeEntry.agent_id, start, end, queue, type)
    name = agent_name()
    stmt = select(name.label("agent"), totals.c.pending, totals.c.worked, totals.c.resolved)
    return rows(stmt.select_from(totals).outerjoin(User, User.id == totals.c.key).order_by(name))


def totals_by_type(start=None, end=None, queue=None, type=None) -> list[dict]:
    totals = _totals(Ticket.type_id, Ticket.type_id, start, end, queue, type)
    stmt = select(
        TicketType.name.label("type"), totals.c.pending, totals.c.worked, totals.c.resolved
    )
    stmt = stmt.select_from(totals).join(TicketType, TicketType.id == totals.c.key)
    return rows(stmt.order_by(TicketType.position, TicketType.id))


def agent_statistics(start=None, end=None, queue=None, type=None) -> list[dict]:
    """Tickets worked and hours logged per agent in the period, customers with contract or
    warranty coverage apart from the rest."""
    covered = Ticket.coverage.in_(COVERED)
    hours = TimeEntry.minutes / 60.0
    per_agent = (
        select(
            TimeEntry.agent_id.label("agent_id"),
            func.count(distinct(case((covered, TimeEntry.ticket_id)))).label("covered_tickets"),
            func.coalesce(func.sum(case((covered, hours))), 0).label("covered_hours"),
            func.count(distinct(case((~covered, TimeEntry.ticket_id)))).label("other_tickets"),
            func.coalesce(func.sum(case((~covered, hours))), 0).label("other_hours"),
            func.count(distinct(TimeEntry.ticket_id)).label("tickets"),
            func.sum(hours).label("hours"),
        )
        .join(Ticket, Ticket.id == TimeEntry.ticket_id)
        .where(on_days(TimeEntry.spent_on, start, end))
        .group_by(TimeEntry.agent_id)
    )
    stats = filtered(per_agent, None, queue, type).subquery("stats")
    stmt = select(User.name.label("agent"), *(c for c in stats.c if c.name != "agent_id"))
    return rows(stmt.join(User, User.id == stats.c.agent_id).order_by(User.name))


def pending_per_agent(queue=None, type=None) -> list[dict]:
    """Unfinished tickets each agent holds: open, waiting, and the age of the oldest."""
    category = Status.category
    counts = filtered(
        select(
            Ticket.assignee_id.label("agent_id"),
            func.count().filter(category == StatusCategory.OPEN.value).label("open"),
            func.count().filter(category == StatusCategory.WAITING.value).label("waiting"),
            func.count().label("total"),
            func.min(Ticket.received_at).label("oldest"),
        )
        .join(Status, Status.id == Ticket.status_id)
        .where(Ticket.status_id.in_(unfinished_ids()))
        .group_by(Ticket.assignee_id),
        None,
        queue,
        type,
    ).subquery("counts")
    name = agent_name()
    stmt = select(
        name.label("agent"),
        counts.c.open,
        counts.c.waiting,
        counts.c.total,
        (hours_between(now_value(), counts.c.oldest) / 24).label("oldest_days"),
    ).select_from(counts)
    return rows(
        stmt.outerjoin(User, User.id == counts.c.agent_id).order_by(counts.c.total.desc(), name)
    )


PERIOD = {"start": start_param(), "end": END, "queue": QUEUE, "type": TYPE}
TOTALS = (
    Column("pending", _l("Pending now"), "int"),
    Column("worked", _l("Worked in the period"), "int"),
    Column("resolved", _l("Resolved in the period"), "int"),
)
TOTAL_BARS = ("pending", "worked", "resolved")

REPORTS = [
    Report(
        name="totals_by_agent",
        title=_l("Totals per agent"),
        description=_l(
            "Per agent: tickets pending now, tickets with time logged in the period, and tickets"
            " resolved in the period."
        ),
        run=totals_by_agent,
        params=PERIOD,
        columns=(Column("agent", _l("Agent")), *TOTALS),
        chart=Chart("bar", "agent", TOTAL_BARS, _l("Totals per agent")),
    ),
    Report(
        name="totals_by_type",
        title=_l("Totals per ticket type"),
        description=_l(
            "Per ticket type: pending now, worked in the period and resolved in the period."
        ),
        run=totals_by_type,
        params=PERIOD,
        columns=(Column("type", _l("Type")), *TOTALS),
        chart=Chart("bar", "type", TOTAL_BARS, _l("Totals per ticket type")),
    ),
    Report(
        name="agent_statistics",
        title=_l("Statistics per agent"),
        description=_l(
            "Tickets worked and hours logged per agent in a date range, customers with contract"
            " or warranty coverage apart from those without."
        ),
        run=agent_statistics,
        params=PERIOD,
        columns=(
            Column("agent", _l("Agent")),
            Column("covered_tickets", _l("Tickets with contract or warranty"), "int"),
            Column("covered_hours", _l("Hours with contract or warranty"), "hours"),
            Column("other_tickets", _l("Tickets without coverage"), "int"),
            Column("other_hours", _l("Hours without coverage"), "hours"),
            Column("tickets", _l("Tickets"), "int"),
            Column("hours", _l("Hours"), "hours"),
        ),
        chart=Chart("stacked_bar", "agent", ("covered_hours", "other_hours"), _l("Hours logged")),
    ),
    Report(
        name="pending_per_agent",
        title=_l("Pending per agent"),
        description=_l("Unfinished tickets each agent holds now, open and waiting."),
        run=pending_per_agent,
        params={"queue": QUEUE, "type": TYPE},
        columns=(
            Column("agent", _l("Agent")),
            Column("open", _l("Open"), "int"),
            Column("waiting", _l("Waiting"), "int"),
            Column("total", _l("Total"), "int"),
            Column("oldest_days", _l("Oldest (days)"), "number"),
        ),
        chart=Chart("stacked_bar", "agent", ("open", "waiting"), _l("Pending per agent")),
    ),
]
