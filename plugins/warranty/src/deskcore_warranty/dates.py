"""Days as the desk sees them: warranties end on a calendar day in the desk's time zone."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import get_timezone

from deskcore.models import utcnow


def local_date(moment: datetime) -> date:
    """The day ``moment`` falls on in the desk's time zone (``BABEL_DEFAULT_TIMEZONE``)."""
    return moment.astimezone(get_timezone()).date()


def today() -> date:
    return local_date(utcnow())
