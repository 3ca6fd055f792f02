"""Days as the desk sees them: warranties end on a calendar day in the desk's time zone.

The rule is core's (``deskcore.desk_time``), so the warranty's "today" agrees with the
reports' and the dashboard's."""

from __future__ import annotations

from deskcore.desk_time import desk_today as today
from deskcore.desk_time import local_date

__all__ = ["local_date", "today"]
