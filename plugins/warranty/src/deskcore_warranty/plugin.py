"""Warranty claims, products sold with serial numbers, and the warranty's say on coverage.

The hooks below only wire the plugin into the desk; the rules live in ``rules``, the
operations in ``services``.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from deskcore import hookimpl
from deskcore.contributions import Action, Badge, HistoryLabel, MenuLink, Panel
from deskcore.extensions import db
from deskcore.models import Role
from deskcore.services.numbering import ensure_sequence

from . import (
    api,
    hookspecs,  # noqa: F401 - the registry adds the hooks this plugin defines
    labels,
    reports,
    rules,
    services,
    views,
)
from . import cli as commands
from .dates import local_date, today
from .models import claim_label
from .schemas import WarrantySettings
from .services.claims import CLAIM_SEQUENCE, ORDER_SEQUENCE

title = "Warranty claims"
#: Plugins that must be enabled before this one.
requires: list[str] = []


@hookimpl
def register_blueprints(app):
    return [views.bp]


@hookimpl
def register_api_routes(app):
    return [api.bp]


@hookimpl
def register_commands(cli):
    cli.add_command(commands.warranty)


@hookimpl
def register_reports():
    return reports.warranty_reports()


@hookimpl
def settings_schema():
    return WarrantySettings


@hookimpl
def plugin_enabled(app):
    services.ensure_default_causes()
    for sequence in (CLAIM_SEQUENCE, ORDER_SEQUENCE):
        ensure_sequence(sequence)


@hookimpl
def ticket_coverage(ticket):
    # Asked while a ticket is being opened, before it is in the session: nothing to flush.
    with db.session.no_autoflush:
        misuse = services.misuse_claim_of(ticket.id) if ticket.id is not None else None
        unit = services.find_unit(ticket.serial_number)
    return rules.ticket_coverage(
        local_date(ticket.received_at),
        unit.warranty_until if unit else None,
        claim_label(misuse) if misuse is not None else None,
    )


@hookimpl
def history_labels():
    return [HistoryLabel(action, label) for action, label in labels.HISTORY_ACTIONS.items()]


@hookimpl
def menu_links(user):
    return [MenuLink(_("Warranty"), url_for("warranty.claims"), order=50)]


@hookimpl
def ticket_actions(ticket, user):
    return [Action(_("New warranty claim"), url_for("warranty.new_claim", ticket=ticket.number))]


@hookimpl
def ticket_panels(ticket, user):
    claims = services.claims_of_ticket(ticket.id)
    unit = services.find_unit(ticket.serial_number)
    if not claims and unit is None:
        return []
    html = render_template(
        "warranty/_ticket_panel.html",
        ticket=ticket,
        claims=claims,
        unit=unit,
        today=today(),
        wlabels=labels,
    )
    return [Panel(_("Warranty"), Markup(html), order=20)]


#: Units listed on the customer page; a distributor's thousands are on the product pages.
PANEL_UNITS = 100


@hookimpl
def customer_panels(customer, user):
    html = render_template(
        "warranty/_customer_panel.html",
        customer=customer,
        units=services.units_of_customer(customer.id, limit=PANEL_UNITS),
        limit=PANEL_UNITS,
        today=today(),
        can_register=user.has_role(Role.SUPERVISOR),
    )
    return [Panel(_("Products and warranties"), Markup(html), order=20)]


@hookimpl
def customer_badges(customers):
    ends = services.warranty_ends([c.id for c in customers], today())
    return [
        Badge(customer_id, _("warranty until %(day)s", day=until.isoformat()), "ok")
        for customer_id, until in ends.items()
    ]
