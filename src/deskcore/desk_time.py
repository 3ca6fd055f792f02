"""Days and weeks as the desk counts them: in its time zone (``DESKCORE_TIME_ZONE``, UTC
unless set), whatever the server's clock says. Timestamps stay UTC in the database; these
helpers turn the desk's days into UTC instants for queries, and UTC instants into its days.
Core reports and the dashboard use them; plugins should too, so every "today" agrees."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import get_timezone

from .models import utcnow


def desk_timezone() -> ZoneInfo:
    """The desk's time zone, as Flask-Babel knows it (the forms read typed dates in it)."""
    return ZoneInfo(get_timezone().zone)


def local_date(moment: datetime) -> date:
    """The day ``moment`` (timezone-aware) falls on in the desk's time zone."""
    return moment.astimezone(desk_timezone()).date()


def desk_today(now: datetime | None = None) -> date:
    """The desk's date at ``now`` (default: this instant)."""
    return local_date(now or utcnow())


def local_midnight(day: date) -> datetime:
    """The instant (UTC) ``day`` begins at the desk. Where midnight is skipped by a clock
    change (Santiago in September: 00:00 becomes 01:00) that is the change itself."""
    # fold=0 reads a skipped time with the offset before the change: exactly the change.
    return datetime.combine(day, time(), desk_timezone()).astimezone(UTC)


def monday_of(day: date) -> date:
    """The Monday of the week ``day`` is in (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def utc_offsets(first: datetime, after: datetime) -> list[tuple[datetime | None, int]]:
    """The desk's UTC offsets (seconds) from ``first`` until ``after``: ``(None, offset)`` in
    force at ``first``, then ``(instant, offset)`` for each clock change in between. A range
    of months holds a few changes at most; a desk without daylight saving, none."""
    zone = desk_timezone()

    def offset(second: int) -> int:
        return int(datetime.fromtimestamp(second, zone).utcoffset().total_seconds())

    start, end = math.floor(first.timestamp()), math.ceil(after.timestamp())
    found: list[tuple[datetime | None, int]] = [(None, offset(start))]
    # Clock changes are months apart: compare day by day, then bisect to the second.
    low = start
    while low < end:
        high = min(low + 86400, end)
        if offset(high) != found[-1][1]:
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == found[-1][1] else (low, middle)
            found.append((datetime.fromtimestamp(high, UTC), offset(high)))
        low = high
    return found
