"""A ticket's timeline: comments, history, time entries and commitments merged in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Comment, Commitment, HistoryEvent, Ticket, TimeEntry


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline; ``kind`` is comment, history, time or commitment."""

    kind: str
    at: datetime
    item: Comment | HistoryEvent | TimeEntry | Commitment


def timeline(ticket: Ticket) -> list[TimelineEntry]:
    """Everything that happened on a ticket, oldest first: four queries, whatever its length."""
    entries = [
        TimelineEntry("comment", c.created_at, c) for c in _rows(Comment, ticket, Comment.author)
    ]
    entries += [
        TimelineEntry("history", e.created_at, e)
        for e in _rows(HistoryEvent, ticket, HistoryEvent.actor)
    ]
    entries += [
        TimelineEntry("time", t.created_at, t) for t in _rows(TimeEntry, ticket, TimeEntry.agent)
    ]
    entries += [
        TimelineEntry("commitment", c.created_at, c)
        for c in _rows(Commitment, ticket, Commitment.responsible)
    ]
    order = {"history": 0, "comment": 1, "time": 2, "commitment": 3}
    return sorted(entries, key=lambda e: (e.at, order[e.kind], e.item.id))


def _rows(model, ticket: Ticket, person):
    stmt = select(model).where(model.ticket_id == ticket.id).options(selectinload(person))
    return db.session.scalars(stmt.order_by(model.id))
