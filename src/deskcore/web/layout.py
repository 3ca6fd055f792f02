"""What every page shares: the navigation (core sections and plugin links), formatting."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..contributions import MenuLink
from ..models import Role
from . import labels
from .plugin_ui import items, timeline_labels

#: (label, endpoint, least role) of the core sections, in menu order.
CORE_SECTIONS = (
    (_l("Customers"), "customers.lookup", Role.AGENT),
    (_l("Tickets"), "tickets.index", Role.AGENT),
    (_l("New ticket"), "tickets.new", Role.AGENT),
    (_l("Dashboard"), "dashboard.index", Role.SUPERVISOR),
    (_l("Reports"), "reports.index", Role.SUPERVISOR),
    (_l("Admin"), "admin.index", Role.ADMIN),
)


def navigation() -> list[MenuLink]:
    """Core sections the user may open, then the links enabled plugins contribute."""
    links = [
        MenuLink(str(label), url_for(endpoint), order=i)
        for i, (label, endpoint, role) in enumerate(CORE_SECTIONS)
        if current_user.has_role(role)
    ]
    plugin_links = [
        link for link in items("menu_links", user=current_user) if isinstance(link, MenuLink)
    ]
    return links + sorted(plugin_links, key=lambda link: (link.order, link.label))


def current_link(links: list[MenuLink]) -> str | None:
    """The URL of the menu entry this page belongs to: the longest one the path starts with."""
    path = request.path
    matching = [
        link.url
        for link in links
        if path == link.url or (link.url != "/" and path.startswith(link.url.rstrip("/") + "/"))
    ]
    return max(matching, key=len, default=None)


def history_value(value: str | None) -> str:
    """History keeps dates as ISO text (true after renames); show them in the agent's locale."""
    if not value or len(value) < 10 or not value[:4].isdigit() or value[4] != "-":
        return value or ""
    try:
        if len(value) == 10:
            return format_date(date.fromisoformat(value), "medium")
        return format_datetime(datetime.fromisoformat(value), "short")
    except ValueError:
        return value


def init_layout(app: Flask) -> None:
    @app.context_processor
    def _layout():
        # ``navigation`` is called by the layout only, so fragments cost no hook call.
        return {
            "navigation": navigation,
            "current_link": current_link,
            "labels": labels,
            "timeline_labels": timeline_labels,
        }

    app.jinja_env.filters["datetime"] = lambda value: (
        format_datetime(value, "short") if value else ""
    )
    app.jinja_env.filters["date"] = lambda value: format_date(value, "medium") if value else ""
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["label"] = lambda value, table: table.get(value, value)
    app.jinja_env.filters["history_value"] = history_value
    app.jinja_env.filters["options"] = lambda rows, text="name": [
        (row.id, getattr(row, text)) for row in rows
    ]
