"""The service log of a serial number: every ticket and every claim for it, in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from deskcore.extensions import db
from deskcore.models import Ticket

from ..models import Claim, Unit
from .catalog import find_unit, serial_key

#: More than a unit's lifetime of service; a log longer than this shows the latest entries.
MAX_ENTRIES = 500


@dataclass(frozen=True)
class LogEntry:
    at: datetime
    kind: str  # "ticket" | "claim"
    item: Ticket | Claim


@dataclass(frozen=True)
class ServiceLog:
    serial_number: str
    unit: Unit | None
    entries: list[LogEntry]


def service_log(serial_number: str) -> ServiceLog:
    """Two queries whatever the length: the tickets and the claims of the serial, merged by
    time (a ticket by when it was received, a claim by when it was made)."""
    serial = serial_key(serial_number)
    if serial is None:
        return ServiceLog(serial_number.strip(), None, [])
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.serial_number == serial)
        .options(joinedload(Ticket.status), joinedload(Ticket.customer))
        .order_by(Ticket.received_at.desc())
        .limit(MAX_ENTRIES)
    )
    claims = db.session.scalars(
        select(Claim)
        .where(Claim.serial_number == serial)
        .options(joinedload(Claim.ticket), joinedload(Claim.agent), joinedload(Claim.cause))
        .order_by(Claim.created_at.desc())
        .limit(MAX_ENTRIES)
    )
    entries = [LogEntry(t.received_at, "ticket", t) for t in tickets]
    entries += [LogEntry(c.created_at, "claim", c) for c in claims]
    entries.sort(key=lambda entry: entry.at)
    return ServiceLog(serial, find_unit(serial), entries)
