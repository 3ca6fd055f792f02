"""The supervisors' dashboard: a few counts the database makes in one query, two charts taken
from the core reports, and the tiles enabled plugins contribute."""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..contributions import Tile
from ..desk_time import local_date, local_midnight, monday_of
from ..errors import PluginError
from ..extensions import db
from ..models import Commitment, Status, StatusCategory, Ticket, utcnow
from ..plugins import registry as plugin_registry
from .common import unfinished_ids

log = logging.getLogger("deskcore.reports")


def start_of_day(at: datetime) -> datetime:
    """The desk's midnight (as a UTC instant) that began the day ``at`` falls in."""
    return local_midnight(local_date(at))


def start_of_week(at: datetime) -> datetime:
    """The desk's Monday 00:00 (as a UTC instant) that began the week ``at`` falls in."""
    return local_midnight(monday_of(local_date(at)))


def core_counts(moment: datetime):
    """The core tiles' numbers in one statement. Open and waiting are conditional counts over
    the unfinished tickets (one index range); received today, resolved this week and overdue
    commitments each count an index range of their own. One pass over the tickets with a
    filter per count reads every ticket instead: 26 ms against 1.2 ms at 100,000 on SQLite."""
    category = Status.category
    unfinished = (
        select(
            func.count().filter(category == StatusCategory.OPEN.value).label("open"),
            func.count().filter(category == StatusCategory.WAITING.value).label("waiting"),
        )
        .select_from(Ticket)
        .join(Status, Status.id == Ticket.status_id)
        .where(Ticket.status_id.in_(unfinished_ids()))
        .subquery("unfinished")
    )
    tickets = select(func.count(Ticket.id))
    received = tickets.where(Ticket.received_at >= start_of_day(moment))
    resolved = tickets.where(Ticket.resolved_at >= start_of_week(moment))
    overdue = select(func.count(Commitment.id)).where(
        Commitment.done.is_(False), Commitment.due_at < moment
    )
    stmt = select(
        unfinished.c.open,
        unfinished.c.waiting,
        received.scalar_subquery().label("received"),
        resolved.scalar_subquery().label("resolved"),
        overdue.scalar_subquery().label("overdue"),
    )
    return db.session.execute(stmt).one()


def core_tiles() -> list[Tile]:
    """Open and waiting tickets now, overdue commitments, received today, resolved this week."""
    counts = core_counts(utcnow())
    return [
        Tile(_l("Open now"), counts.open, order=10),
        Tile(_l("Waiting"), counts.waiting, tone="warn", order=20),
        Tile(_l("Overdue commitments"), counts.overdue, tone="danger", order=30),
        Tile(_l("Received today"), counts.received, order=40),
        Tile(_l("Resolved this week"), counts.resolved, tone="ok", order=50),
    ]


def plugin_tiles(user) -> list[Tile]:
    """Tiles of the enabled plugins by plugin name; a failing plugin's are left out (logged)."""
    reg = plugin_registry()
    found = []
    for name in sorted(reg.enabled_names()):
        try:
            contributed = reg.call_plugin(name, "dashboard_tiles", user=user) or []
        except PluginError as exc:
            log.error("%s", exc)
            continue
        found.extend(tile for tile in contributed if isinstance(tile, Tile))
    return sorted(found, key=lambda tile: (tile.order, str(tile.label)))
