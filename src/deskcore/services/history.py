"""The ticket history: every change as who, when, what, old → new."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

from sqlalchemy import insert

from ..extensions import db
from ..models import HistoryEvent, Ticket, User, utcnow

#: A plain INSERT: history rows are only written here and read back by queries, so the ORM's
#: unit of work (identity map, flush ordering) would only add cost.
_INSERT = insert(HistoryEvent.__table__)


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
) -> None:
    """Write one history event in the current unit of work (the ticket must be flushed)."""
    db.session.connection().execute(
        _INSERT,
        {
            "ticket_id": ticket.id,
            "actor_id": agent.id if agent else None,
            "source": source,
            "action": action,
            "field": field,
            "old_value": display(old),
            "new_value": display(new),
            "created_at": utcnow(),
        },
    )
