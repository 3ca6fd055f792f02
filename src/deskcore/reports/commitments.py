"""Commitment reports: commitments due in a period per agent and commitment type (pending,
overdue, done), and every change of a commitment's due date."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..contributions import Column, Report
from ..models import Commitment, CommitmentDueChange, CommitmentType, Ticket, User, utcnow
from .common import AGENT, END, LIMIT, period, start_param
from .sql import between, hours_between, rows


def commitments_by_type(start=None, end=None, agent=None) -> list[dict]:
    """Per responsible and commitment type: commitments due in the period still to do (and
    how many of those are overdue), done, and the tickets with one still to do."""
    first, after = period(start, end)
    to_do = Commitment.done.is_(False)
    counts = (
        select(
            Commitment.responsible_id.label("agent_id"),
            Commitment.type_id.label("type_id"),
            func.count().filter(to_do).label("pending"),
            func.count().filter(to_do, Commitment.due_at < utcnow()).label("overdue"),
            func.count().filter(Commitment.done.is_(True)).label("done"),
            func.count(func.distinct(Commitment.ticket_id)).filter(to_do).label("tickets_pending"),
        )
        .where(between(Commitment.due_at, first, after))
        .group_by(Commitment.responsible_id, Commitment.type_id)
    )
    if agent is not None:
        counts = counts.where(Commitment.responsible_id == agent)
    counts = counts.subquery("counts")
    stmt = (
        select(
            User.name.label("agent"),
            CommitmentType.name.label("commitment_type"),
            counts.c.pending,
            counts.c.overdue,
            counts.c.done,
            counts.c.tickets_pending,
        )
        .join(User, User.id == counts.c.agent_id)
        .join(CommitmentType, CommitmentType.id == counts.c.type_id)
        .order_by(User.name, CommitmentType.position, CommitmentType.id)
    )
    return rows(stmt)


def commitment_date_changes(start=None, end=None, agent=None, limit=500) -> list[dict]:
    """Due dates moved in the period, the latest change first, with who moved them and why."""
    first, after = period(start, end)
    responsible = User.__table__.alias("responsible")
    changed_by = User.__table__.alias("changed_by")
    change = CommitmentDueChange
    stmt = (
        select(
            Ticket.number.label("number"),
            CommitmentType.name.label("commitment_type"),
            responsible.c.name.label("responsible"),
            change.old_due_at.label("old_due_at"),
            change.new_due_at.label("new_due_at"),
            (hours_between(change.new_due_at, change.old_due_at) / 24).label("days_moved"),
            change.reason.label("reason"),
            changed_by.c.name.label("changed_by"),
            change.changed_at.label("changed_at"),
        )
        .join(Commitment, Commitment.id == change.commitment_id)
        .join(Ticket, Ticket.id == Commitment.ticket_id)
        .join(CommitmentType, CommitmentType.id == Commitment.type_id)
        .join(responsible, responsible.c.id == Commitment.responsible_id)
        .join(changed_by, changed_by.c.id == change.changed_by_id)
        .where(between(change.changed_at, first, after))
    )
    if agent is not None:
        stmt = stmt.where(Commitment.responsible_id == agent)
    return rows(stmt.order_by(change.changed_at.desc(), change.id.desc()).limit(limit))


AGENT_COLUMN = Column("agent", _l("Agent"))
TYPE_COLUMN = Column("commitment_type", _l("Commitment type"))

REPORTS = [
    Report(
        name="commitments_by_type",
        title=_l("Commitments by type per agent"),
        description=_l(
            "Commitments due in a period per responsible and type: to do, overdue, done."
        ),
        run=commitments_by_type,
        params={"start": start_param(), "end": END, "agent": AGENT},
        columns=(
            AGENT_COLUMN,
            TYPE_COLUMN,
            Column("pending", _l("To do"), "int"),
            Column("overdue", _l("Overdue"), "int"),
            Column("done", _l("Done"), "int"),
            Column("tickets_pending", _l("Tickets with one to do"), "int"),
        ),
    ),
    Report(
        name="commitment_date_changes",
        title=_l("Changes of commitment dates"),
        description=_l("Every due date moved in a period, who moved it and why."),
        run=commitment_date_changes,
        params={"start": start_param(), "end": END, "agent": AGENT, "limit": LIMIT},
        columns=(
            Column("number", _l("Ticket"), "ticket"),
            TYPE_COLUMN,
            Column("responsible", _l("Responsible")),
            Column("old_due_at", _l("Was due"), "datetime"),
            Column("new_due_at", _l("Now due"), "datetime"),
            Column("days_moved", _l("Days moved"), "number"),
            Column("reason", _l("Reason")),
            Column("changed_by", _l("Changed by")),
            Column("changed_at", _l("Changed"), "datetime"),
        ),
    ),
]
