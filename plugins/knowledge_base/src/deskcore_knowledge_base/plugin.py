"""Knowledge base: Whoosh-indexed articles, suggestions on the new-ticket form, articles sent
to customers. The hooks below only wire the plugin into the desk."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from deskcore import hookimpl
from deskcore.contributions import HistoryLabel, MenuLink, Panel, Suggestion
from deskcore.services.numbering import ensure_sequence

from . import (
    api,
    labels,
    models,  # noqa: F401 - the tables belong to the app's metadata
    usage,
    views,
)
from . import cli as commands
from .articles import SEQUENCE
from .customer_panel import QUERY_ARG, panel_results
from .reports import knowledge_base_reports
from .schemas import KnowledgeBaseSettings
from .search import search_articles

title = "Knowledge base"
#: Plugins that must be enabled before this one.
requires: list[str] = []
SUGGESTIONS = 5


@hookimpl
def register_blueprints(app):
    return [views.bp]


@hookimpl
def register_api_routes(app):
    return [api.bp]


@hookimpl
def register_reports():
    return knowledge_base_reports()


@hookimpl
def register_commands(cli):
    cli.add_command(commands.kb)


@hookimpl
def settings_schema():
    return KnowledgeBaseSettings


@hookimpl
def plugin_enabled(app):
    ensure_sequence(SEQUENCE)


@hookimpl
def history_labels():
    return [
        HistoryLabel(action, label, names_field=True)
        for action, label in labels.HISTORY_ACTIONS.items()
    ]


@hookimpl
def menu_links(user):
    return [MenuLink(_("Knowledge base"), url_for("knowledge_base.index"), order=60)]


@hookimpl
def ticket_suggestions(subject, symptom, user):
    text = f"{subject} {symptom}".strip()
    if not text:
        return []
    return [
        Suggestion(
            f"KB-{hit.number} · {hit.title}",
            url_for("knowledge_base.article", number=hit.number),
            Markup(hit.highlights).striptags(),
        )
        for hit in search_articles(text, per_page=SUGGESTIONS).hits
    ]


@hookimpl
def customer_panels(customer, user):
    found = panel_results(customer, request.args.get(QUERY_ARG), user)
    html = render_template(
        "knowledge_base/_customer_panel.html",
        customer=customer,
        found=found,
        arg=QUERY_ARG,
        kblabels=labels,  # the blueprint's context processor does not run on core pages
    )
    return [Panel(_("Knowledge base"), Markup(html), order=80)]


@hookimpl
def ticket_panels(ticket, user):
    used = usage.articles_of_ticket(ticket.id)
    if not used:
        return []
    html = render_template("knowledge_base/_ticket_panel.html", used=used)
    return [Panel(_("Knowledge base"), Markup(html), order=80)]
