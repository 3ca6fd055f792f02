"""The ticket history: every change as who, when, what, old → new."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from ..extensions import db
from ..models import HistoryEvent, Ticket, User


def display(value) -> str | None:
    """How a value is kept in history: readable, and still true if it is renamed later."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if hasattr(value, "number"):
        return f"#{value.number}"
    if hasattr(value, "name"):
        return value.name
    return str(value)


def record(
    ticket: Ticket,
    action: str,
    agent: User | None,
    *,
    field: str | None = None,
    old=None,
    new=None,
    source: str = "core",
) -> HistoryEvent:
    """Add one history event to the current unit of work (the ticket must be flushed)."""
    event = HistoryEvent(
        ticket_id=ticket.id,
        actor_id=agent.id if agent else None,
        source=source,
        action=action,
        field=field,
        old_value=display(old),
        new_value=display(new),
    )
    db.session.add(event)
    return event
