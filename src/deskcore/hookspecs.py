"""Every hook a Deskcore plugin can implement.

A plugin is a module with functions decorated by ``@hookimpl`` whose names match the specs
below. Implementations may accept fewer arguments than the spec lists; arguments are always
passed by keyword. Hooks are only called on plugins enabled in this deployment, in a fixed
order (by plugin name), except the registration hooks, which run once per app for every
installed plugin and whose results are switched on and off with the plugin.

Veto hooks (``ticket_opening``, ``ticket_status_changing``, ``ticket_closing``) refuse by
raising ``deskcore.Veto("reason")``; the whole unit of work is rolled back and the caller
gets the reason together with the plugin's name. Any other exception raised inside a hook
that runs in a unit of work rolls everything back too and names the plugin.

The reference with one example per hook is ``docs/hooks.md``; a test keeps the two in step.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("deskcore")
hookimpl = pluggy.HookimplMarker("deskcore")


# -- Registration ---------------------------------------------------------------------------


@hookspec
def register_blueprints(app):
    """Return a list of Flask blueprints with the plugin's pages.

    Runs once when the app is created, for every installed plugin. Each blueprint is mounted
    under ``/plugins/<plugin>/`` and answers 404 while the plugin is disabled.

    Example::

        bp = Blueprint("warranty", __name__, template_folder="templates")

        @hookimpl
        def register_blueprints(app):
            return [bp]
    """


@hookspec
def register_api_routes(app):
    """Return a list of Flask blueprints with the plugin's JSON API.

    Runs once when the app is created. Each blueprint is mounted under ``/api/v1/<plugin>/``
    and answers 404 while the plugin is disabled.

    Example::

        @hookimpl
        def register_api_routes(app):
            return [api_bp]
    """


@hookspec
def register_commands(cli):
    """Add click commands to the ``deskcore`` command line.

    ``cli`` is the app's click group. Runs once when the app is created. While the plugin is
    disabled its commands exit with an error saying so.

    Example::

        @hookimpl
        def register_commands(cli):
            @cli.group("kb")
            def kb():
                "Knowledge base."
    """


@hookspec
def register_reports():
    """Return a list of ``deskcore.contributions.Report`` for the reports page.

    Called each time the report list is built, on enabled plugins only. The report registry
    builds the parameter form, validation, page, CSV/XLSX export, API and CLI from the
    declaration (``Param``s, ``Column``s and an optional ``Chart``).

    Example::

        @hookimpl
        def register_reports():
            return [Report(name="claims_by_kind", title="Claims by kind", run=claims_by_kind)]
    """


@hookspec
def settings_schema():
    """Return a marshmallow ``Schema`` class describing the plugin's settings.

    Every field needs a ``load_default``: a plugin's settings are always complete. Settings
    changed with ``deskcore plugins config`` or the admin page are validated by this schema
    and read with ``deskcore.plugins.plugin_settings(name)``. They are stored as JSON, so
    decimals must dump as strings (``as_string=True``).

    Example::

        class WarrantySettings(Schema):
            trade_in_share = fields.Decimal(load_default=Decimal("0.50"), as_string=True)

        @hookimpl
        def settings_schema():
            return WarrantySettings
    """


# -- Plugin lifecycle (called only on the plugin being switched) ----------------------------


@hookspec
def plugin_enabled(app):
    """The plugin was just enabled in this deployment (its migrations have run).

    Called only on that plugin, inside the enabling transaction. Use it to seed default rows.

    Example::

        @hookimpl
        def plugin_enabled(app):
            ensure_default_causes()
    """


@hookspec
def plugin_disabled(app):
    """The plugin was just disabled. Its data stays; nothing should be deleted here.

    Called only on that plugin.

    Example::

        @hookimpl
        def plugin_disabled(app):
            app.logger.info("warranty disabled")
    """


# -- Ticket lifecycle -----------------------------------------------------------------------


@hookspec
def ticket_opening(ticket, data, agent):
    """A ticket is about to be opened; raise ``Veto`` to refuse.

    ``ticket`` is the new, not yet numbered ticket; ``data`` the validated input including
    ``extra`` (values of plugin form fields); ``agent`` the user opening it.

    Example::

        @hookimpl
        def ticket_opening(ticket, data, agent):
            if ticket.channel == "visit" and not ticket.serial_number:
                raise Veto("field visits need a serial number")
    """


@hookspec
def ticket_opened(ticket, agent, extra):
    """A ticket was opened: it has its number; the transaction is not committed yet.

    ``extra`` holds the values of the form fields plugins contributed. Raising rolls the
    whole ticket back (no number is consumed).

    Example::

        @hookimpl
        def ticket_opened(ticket, agent, extra):
            charge_contract_case(ticket)
    """


@hookspec
def ticket_updated(ticket, changes, agent):
    """Fields of a ticket changed: ``changes`` maps field name to ``(old, new)``.

    Example::

        @hookimpl
        def ticket_updated(ticket, changes, agent):
            if "serial_number" in changes:
                refresh_unit_link(ticket)
    """


@hookspec
def ticket_status_changing(ticket, old_status, new_status, agent):
    """A ticket's status is about to change; raise ``Veto`` to refuse.

    Example::

        @hookimpl
        def ticket_status_changing(ticket, old_status, new_status, agent):
            if new_status.category == "closed" and has_open_visit(ticket):
                raise Veto("the field visit is not finished")
    """


@hookspec
def ticket_status_changed(ticket, old_status, new_status, agent):
    """A ticket's status changed (including closing and reopening).

    Example::

        @hookimpl
        def ticket_status_changed(ticket, old_status, new_status, agent):
            if new_status.category == "waiting":
                start_waiting_clock(ticket)
    """


@hookspec
def ticket_closing(ticket, agent):
    """A ticket is about to move to a closed status; raise ``Veto`` to refuse.

    Example::

        @hookimpl
        def ticket_closing(ticket, agent):
            if unbilled_supplies(ticket):
                raise Veto("supplies are not priced yet")
    """


@hookspec
def ticket_closed(ticket, agent):
    """A ticket moved to a closed status (its resolution is set).

    Example::

        @hookimpl
        def ticket_closed(ticket, agent):
            if ticket.coverage == "billable":
                issue_invoice(ticket)
    """


@hookspec
def ticket_reopened(ticket, agent):
    """A resolved or closed ticket was reopened.

    Example::

        @hookimpl
        def ticket_reopened(ticket, agent):
            schedule_follow_up_call(ticket)
    """


@hookspec
def ticket_reassigned(ticket, old_queue, old_assignee, agent):
    """A ticket got a new queue and/or assignee; the old ones are passed (may be None).

    Example::

        @hookimpl
        def ticket_reassigned(ticket, old_queue, old_assignee, agent):
            notify(ticket.assignee, ticket)
    """


@hookspec
def comment_added(ticket, comment, agent):
    """A comment was added; ``comment.visibility`` is "internal" or "public".

    Example::

        @hookimpl
        def comment_added(ticket, comment, agent):
            if comment.visibility == "public":
                email_customer(ticket, comment)
    """


@hookspec
def time_logged(ticket, entry, agent):
    """Time was logged on a ticket (``entry.minutes``, ``entry.spent_on``).

    Example::

        @hookimpl
        def time_logged(ticket, entry, agent):
            charge_contract_minutes(ticket, entry.minutes)
    """


# -- Coverage -------------------------------------------------------------------------------


@hookspec
def ticket_coverage(ticket):
    """Propose how a ticket is covered: return a ``CoverageProposal`` or None.

    Asked when a ticket is opened and when its customer or serial number changes, unless a
    supervisor has overridden the coverage. Proposals are ranked warranty, contract,
    courtesy, billable; the first kind wins, ties go to the plugin called first. The reason
    is a lazy translatable message; core stores it rendered in the desk's language.

    Example::

        @hookimpl
        def ticket_coverage(ticket):
            unit = unit_for_serial(ticket.serial_number)
            if unit and unit.warranty_until >= ticket.received_at.date():
                day = unit.warranty_until.isoformat()
                return CoverageProposal("warranty", _l("warranty until %(day)s", day=day))
    """


# -- UI contributions -----------------------------------------------------------------------


@hookspec
def menu_links(user):
    """Return a list of ``MenuLink`` for the top navigation, for this user.

    Example::

        @hookimpl
        def menu_links(user):
            return [MenuLink("Knowledge base", url_for("knowledge_base.index"))]
    """


@hookspec
def ticket_panels(ticket, user):
    """Return a list of ``Panel`` shown on the ticket page.

    Example::

        @hookimpl
        def ticket_panels(ticket, user):
            return [Panel("Warranty", render_template("warranty/panel.html", ticket=ticket))]
    """


@hookspec
def customer_panels(customer, user):
    """Return a list of ``Panel`` shown on the customer page.

    Example::

        @hookimpl
        def customer_panels(customer, user):
            return [Panel("Contracts", render_template("contracts/panel.html", c=customer))]
    """


@hookspec
def customer_badges(customers):
    """Return a list of ``Badge`` for a page of customers (search results).

    Receives the whole page at once so a plugin answers with one query, not one per row.

    Example::

        @hookimpl
        def customer_badges(customers):
            ids = [c.id for c in customers]
            return [Badge(cid, f"balance due {amt}", "warn") for cid, amt in balances(ids)]
    """


@hookspec
def ticket_actions(ticket, user):
    """Return a list of ``Action`` buttons for the ticket page.

    Example::

        @hookimpl
        def ticket_actions(ticket, user):
            return [Action("New warranty claim", url_for("warranty.new_claim", t=ticket.number))]
    """


@hookspec
def ticket_form_fields(user):
    """Return a list of ``FormField`` added to the new-ticket form.

    Their values reach ``ticket_opening`` in ``data["extra"]`` and ``ticket_opened`` in
    ``extra``, keyed by field name.

    Example::

        @hookimpl
        def ticket_form_fields(user):
            return [FormField("contract_line", "Contract line", type="select", choices=lines())]
    """


@hookspec
def ticket_suggestions(subject, symptom, user):
    """Return a list of ``Suggestion`` shown beside the new-ticket form.

    Called as the agent types (the page fetches them again after a pause) and after a
    submit, with the subject and symptom typed so far (either may be empty). Keep it fast:
    it runs on every refresh.

    Example::

        @hookimpl
        def ticket_suggestions(subject, symptom, user):
            return [Suggestion(a.title, url_for("kb.article", n=a.number), a.summary)
                    for a in search_articles(f"{subject} {symptom}", limit=5)]
    """


@hookspec
def dashboard_tiles(user):
    """Return a list of ``Tile`` (a label and a number) for the supervisors' dashboard.

    Called each time the dashboard is shown, on enabled plugins only. Count in the database
    with one query per tile.

    Example::

        @hookimpl
        def dashboard_tiles(user):
            return [Tile("Claims awaiting approval", count_claims("submitted"), tone="warn")]
    """


@hookspec
def history_labels():
    """Return a list of ``HistoryLabel``: how the ticket timeline words the history actions
    this plugin records with ``deskcore.services.history.record``.

    Without one, the timeline shows the action as recorded (``kb_article_linked``), in every
    language. Called once per ticket page, on enabled plugins only.

    Example::

        @hookimpl
        def history_labels():
            return [HistoryLabel("kb_article_linked", _l("linked an article"), names_field=True)]
    """


# -- JSON API -------------------------------------------------------------------------------


@hookspec
def ticket_api_fields(tickets):
    """Return the plugin's fields for a page of tickets: ``{ticket.id: {field: value}}``.

    Receives every ticket of an API answer at once (a list page, or one ticket), so answer
    with one query, not one per ticket. The values appear in the ticket's
    ``"plugins": {"<plugin>": {...}}`` object, dumped with the schema the plugin declares in
    ``api_field_schemas``. Tickets left out get an empty object.

    Example::

        @hookimpl
        def ticket_api_fields(tickets):
            claims = claims_by_ticket([t.id for t in tickets])
            return {ticket_id: {"claim_number": c.number} for ticket_id, c in claims.items()}
    """


@hookspec
def customer_api_fields(customers):
    """Return the plugin's fields for a page of customers: ``{customer.id: {field: value}}``.

    Like ``ticket_api_fields``, for the API's customer answers (search results included).

    Example::

        @hookimpl
        def customer_api_fields(customers):
            hours = hours_left([c.id for c in customers])
            return {customer_id: {"contract_hours_left": h} for customer_id, h in hours.items()}
    """


@hookspec
def api_field_schemas():
    """Return the marshmallow schemas of the fields the plugin adds to API resources.

    A dict keyed by resource, ``"ticket"`` and/or ``"customer"``. The schema dumps the values
    ``ticket_api_fields`` / ``customer_api_fields`` return and describes them in the OpenAPI
    document, while the plugin is enabled.

    Example::

        class ClaimFields(Schema):
            claim_number = fields.String(allow_none=True)

        @hookimpl
        def api_field_schemas():
            return {"ticket": ClaimFields}
    """
