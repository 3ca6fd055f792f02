"""Resolution time (from received to resolved) of the tickets resolved in a period: count,
mean, median and 90th percentile per ticket type, per agent, and week by week."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..contributions import Column, Report
from ..models import Ticket, TicketType, User
from .charts import Chart
from .common import END, FILTERS, agent_name, filtered, period, start_param
from .sql import between, hours_between, local_week, monday_of, percentiles, rows


def _resolved(start, end, agent, queue, type, *keys):
    """Resolved tickets of the period with ``keys`` and their hours to resolution."""
    first, after = period(start, end)
    stmt = select(*keys, hours_between(Ticket.resolved_at, Ticket.received_at).label("value"))
    stmt = stmt.where(Ticket.resolved_at.is_not(None), between(Ticket.resolved_at, first, after))
    return filtered(stmt, agent, queue, type).cte("resolved")


def _named(stats, key: str, name):
    return select(
        name.label(key),
        stats.c.count.label("resolved"),
        stats.c.mean.label("mean_hours"),
        stats.c.median.label("median_hours"),
        stats.c.p90.label("p90_hours"),
    )


def resolution_by_type(start=None, end=None, agent=None, queue=None, type=None) -> list[dict]:
    resolved = _resolved(start, end, agent, queue, type, Ticket.type_id.label("type_id"))
    stats = percentiles(resolved, ["type_id"]).subquery("stats")
    stmt = _named(stats, "type", TicketType.name).join(TicketType, TicketType.id == stats.c.type_id)
    return rows(stmt.order_by(TicketType.position, TicketType.id))


def resolution_by_agent(start=None, end=None, agent=None, queue=None, type=None) -> list[dict]:
    resolved = _resolved(start, end, agent, queue, type, Ticket.assignee_id.label("agent_id"))
    stats = percentiles(resolved, ["agent_id"]).subquery("stats")
    name = agent_name()
    stmt = _named(stats, "agent", name).outerjoin(User, User.id == stats.c.agent_id)
    return rows(stmt.order_by(name))


def resolution_trend(start=None, end=None, agent=None, queue=None, type=None) -> list[dict]:
    """Week by week: the desk's weeks, from Monday 00:00 in its time zone."""
    week = local_week(Ticket.resolved_at, *period(start, end)).label("week")
    stats = percentiles(_resolved(start, end, agent, queue, type, week), ["week"]).subquery()
    return rows(_named(stats, "week", monday_of(stats.c.week)).order_by(stats.c.week))


RESOLUTION_PARAMS = {"start": start_param(30), "end": END, **FILTERS}
#: Twelve whole weeks and this one.
TREND_PARAMS = {**RESOLUTION_PARAMS, "start": start_param(84)}
STATS = (
    Column("resolved", _l("Resolved"), "int"),
    Column("mean_hours", _l("Mean (hours)"), "hours"),
    Column("median_hours", _l("Median (hours)"), "hours"),
    Column("p90_hours", _l("90th percentile (hours)"), "hours"),
)
BARS = ("median_hours", "p90_hours")

REPORTS = [
    Report(
        name="resolution_time_by_type",
        title=_l("Resolution time by ticket type"),
        description=_l("Hours from received to resolved of the tickets resolved in a period."),
        run=resolution_by_type,
        params=RESOLUTION_PARAMS,
        columns=(Column("type", _l("Type")), *STATS),
        chart=Chart("bar", "type", BARS, _l("Resolution time (hours)")),
    ),
    Report(
        name="resolution_time_by_agent",
        title=_l("Resolution time by agent"),
        description=_l("Hours from received to resolved, per agent holding the ticket."),
        run=resolution_by_agent,
        params=RESOLUTION_PARAMS,
        columns=(Column("agent", _l("Agent")), *STATS),
        chart=Chart("bar", "agent", BARS, _l("Resolution time (hours)")),
    ),
    Report(
        name="resolution_time_trend",
        title=_l("Resolution time week by week"),
        description=_l("Median and 90th percentile of the tickets resolved each week."),
        run=resolution_trend,
        params=TREND_PARAMS,
        columns=(Column("week", _l("Week of"), "date"), *STATS),
        chart=Chart("line", "week", BARS, _l("Resolution time (hours)")),
    ),
]
