"""Dummy plugin: implements every hook and records each call in ``CALLS``.

Tests read ``CALLS`` to prove a hook ran, when, and with which arguments, and set
``RAISE[hook] = exception`` to make that hook raise (a Veto, or a bug). Every hook also
returns a real contribution, so the tests see what a plugin author would see.
"""

from __future__ import annotations

from decimal import Decimal

from flask import url_for
from markupsafe import Markup
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from deskcore import hookimpl
from deskcore.contributions import (
    Action,
    Badge,
    CoverageProposal,
    FormField,
    HistoryLabel,
    MenuLink,
    Panel,
    Report,
    Suggestion,
    Tile,
)
from deskcore.extensions import db

from .api_fields import api_field_schemas, customer_api_fields, ticket_api_fields  # noqa: F401
from .models import DummyNote, as_dict, notes
from .views import api, hello, pages

title = "Dummy"
requires: list[str] = []

#: (hook name, keyword arguments) of every call, in order; tests clear it.
CALLS: list[tuple[str, dict]] = []
#: hook name → exception to raise from it, set by tests.
RAISE: dict[str, BaseException] = {}

#: Serial numbers under the dummy warranty start with this.
WARRANTY_PREFIX = "DUMMY-"
#: The row ``plugin_enabled`` seeds (once, however often the plugin is enabled).
WELCOME_NOTE = "dummy plugin enabled"


def _record(name: str, **kwargs) -> None:
    CALLS.append((name, kwargs))
    if name in RAISE:
        raise RAISE[name]


class DummySettings(Schema):
    greeting = fields.String(load_default="Hello", validate=validate.Length(min=1, max=40))
    max_notes = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    # Settings are stored as JSON: money goes in and out as a string.
    fee = fields.Decimal(load_default=Decimal("9.90"), as_string=True, places=2)


# -- registration ----------------------------------------------------------------------------


@hookimpl
def register_blueprints(app):
    _record("register_blueprints", app=app)
    return [pages]


@hookimpl
def register_api_routes(app):
    _record("register_api_routes", app=app)
    return [api]


@hookimpl
def register_commands(cli):
    _record("register_commands", cli=cli)
    cli.add_command(hello)


@hookimpl
def register_reports():
    _record("register_reports")
    return [
        Report(
            name="dummy_notes",
            title="Dummy notes",
            run=lambda limit=100: [as_dict(note) for note in notes(limit)],
            description="Every note the dummy plugin keeps.",
            params={"limit": 100},
        )
    ]


@hookimpl
def settings_schema():
    _record("settings_schema")
    return DummySettings


# -- lifecycle -------------------------------------------------------------------------------


@hookimpl
def plugin_enabled(app):
    _record("plugin_enabled", app=app)
    seeded = select(DummyNote.id).where(DummyNote.text == WELCOME_NOTE)
    if db.session.scalar(seeded) is None:
        db.session.add(DummyNote(text=WELCOME_NOTE))


@hookimpl
def plugin_disabled(app):
    _record("plugin_disabled", app=app)


# -- tickets ---------------------------------------------------------------------------------


@hookimpl
def ticket_opening(ticket, data, agent):
    _record("ticket_opening", ticket=ticket, data=data, agent=agent)


@hookimpl
def ticket_opened(ticket, agent, extra):
    # Writes first, so a test making this hook raise proves all of it is rolled back.
    text = extra.get("dummy_note")
    if text:
        db.session.add(DummyNote(ticket_id=ticket.id, text=text))
        ticket.customer.notes = f"{ticket.customer.notes}\n#{ticket.number}: {text}".strip()
    _record("ticket_opened", ticket=ticket, agent=agent, extra=extra)


@hookimpl
def ticket_updated(ticket, changes, agent):
    _record("ticket_updated", ticket=ticket, changes=changes, agent=agent)


@hookimpl
def ticket_status_changing(ticket, old_status, new_status, agent):
    _record(
        "ticket_status_changing",
        ticket=ticket,
        old_status=old_status,
        new_status=new_status,
        agent=agent,
    )


@hookimpl
def ticket_status_changed(ticket, old_status, new_status, agent):
    _record(
        "ticket_status_changed",
        ticket=ticket,
        old_status=old_status,
        new_status=new_status,
        agent=agent,
    )


@hookimpl
def ticket_closing(ticket, agent):
    _record("ticket_closing", ticket=ticket, agent=agent)


@hookimpl
def ticket_closed(ticket, agent):
    _record("ticket_closed", ticket=ticket, agent=agent)


@hookimpl
def ticket_reopened(ticket, agent):
    _record("ticket_reopened", ticket=ticket, agent=agent)


@hookimpl
def ticket_reassigned(ticket, old_queue, old_assignee, agent):
    _record(
        "ticket_reassigned",
        ticket=ticket,
        old_queue=old_queue,
        old_assignee=old_assignee,
        agent=agent,
    )


@hookimpl
def comment_added(ticket, comment, agent):
    _record("comment_added", ticket=ticket, comment=comment, agent=agent)


@hookimpl
def time_logged(ticket, entry, agent):
    _record("time_logged", ticket=ticket, entry=entry, agent=agent)


@hookimpl
def ticket_coverage(ticket):
    _record("ticket_coverage", ticket=ticket)
    serial = ticket.serial_number or ""
    if serial.startswith(WARRANTY_PREFIX):
        return CoverageProposal("warranty", f"dummy warranty for {serial}")
    return None


# -- UI contributions ------------------------------------------------------------------------


@hookimpl
def menu_links(user):
    _record("menu_links", user=user)
    return [MenuLink("Dummy", url_for("dummy.ping"))]


@hookimpl
def ticket_panels(ticket, user):
    _record("ticket_panels", ticket=ticket, user=user)
    count = len(notes(ticket_id=ticket.id))
    return [Panel("Dummy notes", Markup("<p>{} dummy notes</p>").format(count))]


@hookimpl
def customer_panels(customer, user):
    _record("customer_panels", customer=customer, user=user)
    return [Panel("Dummy", Markup("<p>Dummy knows {}</p>").format(customer.name))]


@hookimpl
def customer_badges(customers):
    _record("customer_badges", customers=customers)
    return [Badge(customer.id, "dummy") for customer in customers]


@hookimpl
def ticket_actions(ticket, user):
    _record("ticket_actions", ticket=ticket, user=user)
    return [Action("Dummy notes", url_for("dummy.ticket_notes", number=ticket.number))]


@hookimpl
def ticket_form_fields(user):
    _record("ticket_form_fields", user=user)
    return [FormField("dummy_note", "Dummy note", type="textarea", help="Kept by the dummy")]


@hookimpl
def ticket_suggestions(subject, symptom, user):
    _record("ticket_suggestions", subject=subject, symptom=symptom, user=user)
    if not (subject or symptom):
        return []
    return [Suggestion(f"Dummy answer to: {subject}", summary=symptom)]


@hookimpl
def dashboard_tiles(user):
    _record("dashboard_tiles", user=user)
    return [Tile("Dummy notes", db.session.scalar(select(func.count(DummyNote.id))))]


@hookimpl
def history_labels():
    _record("history_labels")
    return [
        HistoryLabel("dummy_noted", "took a dummy note", names_field=True),
        HistoryLabel("dummy_touched", "touched"),
        HistoryLabel("status", "hijacked the status"),  # core's wording stays
    ]
