"""The supervisors' dashboard: a few counts the database makes in one query each, two charts
taken from the core reports, and the tiles enabled plugins contribute."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..contributions import Tile
from ..errors import PluginError
from ..extensions import db
from ..models import Commitment, StatusCategory, Ticket, utcnow
from ..plugins import registry as plugin_registry
from .common import status_ids

log = logging.getLogger("deskcore.reports")


def start_of_day(at: datetime) -> datetime:
    return datetime.combine(at.date(), time(), UTC)


def start_of_week(at: datetime) -> datetime:
    """Monday 00:00 UTC of the week ``at`` falls in."""
    return start_of_day(at) - timedelta(days=at.weekday())


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def _in_category(category: StatusCategory):
    return select(func.count(Ticket.id)).where(Ticket.status_id.in_(status_ids(category)))


def core_tiles() -> list[Tile]:
    """Open and waiting tickets now, overdue commitments, received today, resolved this week."""
    moment = utcnow()
    tickets = select(func.count(Ticket.id))
    overdue = select(func.count(Commitment.id)).where(
        Commitment.done.is_(False), Commitment.due_at < moment
    )
    received = tickets.where(Ticket.received_at >= start_of_day(moment))
    resolved = tickets.where(Ticket.resolved_at >= start_of_week(moment))
    return [
        Tile(_l("Open now"), _count(_in_category(StatusCategory.OPEN)), order=10),
        Tile(_l("Waiting"), _count(_in_category(StatusCategory.WAITING)), tone="warn", order=20),
        Tile(_l("Overdue commitments"), _count(overdue), tone="danger", order=30),
        Tile(_l("Received today"), _count(received), order=40),
        Tile(_l("Resolved this week"), _count(resolved), tone="ok", order=50),
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
