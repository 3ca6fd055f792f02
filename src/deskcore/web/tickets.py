"""The ticket desk: the list with filters and quick views, the new-ticket form with plugin
fields and suggestions, and the ticket page with every action."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..contributions import Action, FormField, Suggestion
from ..errors import DeskcoreError, ValidationError
from ..extensions import db
from ..models import (
    Channel,
    CommitmentType,
    Coverage,
    Customer,
    Priority,
    Queue,
    Role,
    Status,
    StatusCategory,
    TicketType,
    Topic,
    User,
    utcnow,
)
from ..services import commitments, coverage
from ..services import tickets as ticket_service
from ..services.customers import find_customers
from ..services.ticket_search import parse_filters, search_tickets
from ..services.tickets_base import load_ticket
from ..services.timeline import timeline
from .access import require_role, role_required
from .consultants import ConsultantChoice, of_consultant, read_consultant, with_consultant
from .forms import field_errors, integer, local_datetime, pick, text
from .plugin_ui import items, panels

bp = Blueprint("tickets", __name__, url_prefix="/tickets")
require_role(bp, Role.AGENT)

#: Ticket fields typed as text on the new and edit forms.
TEXT_FIELDS = (
    "subject", "symptom", "serial_number", "order_ref", "payment_ref", "dispatch_ref",
    "diagnosis", "channel", "estimated_close_on",
)  # fmt: skip
#: Ticket fields chosen from a list (ids); the consultant is typed (see ``consultants``).
ID_FIELDS = ("type_id", "priority_id", "topic_id", "queue_id", "assignee_id")
#: List filters kept in the query string (the cursor and view are handled apart).
FILTER_FIELDS = (
    "received_from", "received_to", "type_id", "status_id", "priority_id", "queue_id",
    "assignee_id", "customer_id", "consultant_id", "order_ref", "payment_ref", "dispatch_ref",
    "coverage", "q", "sort", "limit",
)  # fmt: skip


def _active(model) -> list:
    return list(
        db.session.scalars(
            select(model)
            .where(model.active.is_(True))
            .order_by(
                *((model.position, model.name) if hasattr(model, "position") else (model.name,))
            )
        )
    )


#: The option lists the forms offer, by template name: one query each.
CHOICE_MODELS = {
    "types": TicketType,
    "priorities": Priority,
    "statuses": Status,
    "topics": Topic,
    "queues": Queue,
    "users": User,
    "commitment_types": CommitmentType,
}
#: The ones the list's filter form shows (every list page would query the others for nothing).
FILTER_CHOICES = ("types", "priorities", "statuses", "queues", "users")


def _choices(names=tuple(CHOICE_MODELS)) -> dict:
    """The lists a form offers: one query each, whatever the number of tickets."""
    lists = {name: _active(CHOICE_MODELS[name]) for name in names}
    return lists | {"channels": list(Channel), "coverages": list(Coverage)}


def _error_status(exc: DeskcoreError) -> int:
    """The status of a page re-shown with a message: never a 500, even for a plugin bug."""
    return exc.status if exc.status < 500 else 409


def _consultant_errors(errors: dict, choice: ConsultantChoice) -> dict:
    """The field's own message, and the services' ones about ``consultant_id``, shown next to
    the consultant field."""
    messages = ([choice.error] if choice.error else []) + errors.pop("consultant_id", [])
    return errors | {"consultant": messages} if messages else errors


# -- the list --------------------------------------------------------------------------------


@bp.get("/")
def index():
    args = {k: v for k, v in request.args.items() if v.strip() and k != "consultant"}
    choice = read_consultant(request.args)
    args.pop("consultant_id", None)
    if choice.consultant_id is not None:
        args["consultant_id"] = str(choice.consultant_id)
    errors: dict = {}
    page = None
    if not choice.error:
        try:
            page = search_tickets(parse_filters(args), current_user)
        except ValidationError as exc:
            errors = field_errors(exc)
    errors = _consultant_errors(errors, choice)
    filters = {k: args[k] for k in FILTER_FIELDS if k in args}
    view = args.get("view")
    customer_id = integer(args.get("customer_id"))
    customer = db.session.get(Customer, customer_id) if isinstance(customer_id, int) else None
    return render_template(
        "desk/tickets/index.html",
        page=page,
        filters=filters,
        view=view,
        customer=customer,
        consultant=choice,
        errors=errors,
        **_choices(FILTER_CHOICES),
    ), (400 if errors else 200)


# -- new ticket ------------------------------------------------------------------------------


def _extra_fields() -> list[FormField]:
    return [f for f in items("ticket_form_fields", user=current_user) if isinstance(f, FormField)]


def _extra_values(fields: list[FormField], form) -> dict:
    values = {}
    for field in fields:
        raw = form.get(f"extra_{field.name}")
        if field.type == "checkbox":
            values[field.name] = raw is not None
        elif field.type == "number":
            values[field.name] = integer(raw)
        else:
            values[field.name] = text(raw)
    return values


def suggestions(subject: str | None, symptom: str | None) -> list[Suggestion]:
    """What plugins suggest for the ticket being written."""
    found = items(
        "ticket_suggestions", subject=subject or "", symptom=symptom or "", user=current_user
    )
    return [s for s in found if isinstance(s, Suggestion)]


def _related(value: str | None) -> list:
    """Ticket numbers separated by commas or spaces ("#12, 15")."""
    return [integer(part.lstrip("#")) for part in re.split(r"[\s,;]+", value or "") if part]


@bp.get("/suggestions")
def suggestion_list():
    """The suggestions region alone, fetched again as the agent types."""
    subject = (request.args.get("subject") or "")[:200]
    symptom = (request.args.get("symptom") or "")[:2000]
    return render_template(
        "desk/tickets/_suggestions.html", suggestions=suggestions(subject, symptom)
    )


def _new_page(form: dict, errors: dict | None = None, status: int = 200, show_hints=False):
    customer = None
    customer_id = integer(form.get("customer_id"))
    if isinstance(customer_id, int):
        customer = db.session.get(Customer, customer_id)
    customer_q = (form.get("customer_q") or "").strip()[:200]
    candidates = find_customers(customer_q) if customer_q and customer is None else []
    hints = suggestions(form.get("subject"), form.get("symptom")) if show_hints else []
    return render_template(
        "desk/tickets/new.html",
        form=form,
        errors=errors or {},
        customer=customer,
        customer_q=customer_q,
        candidates=candidates,
        extra_fields=_extra_fields(),
        suggestions=hints,
        **_choices(),
    ), status


@bp.get("/new")
def new():
    form = with_consultant(request.args.to_dict(), read_consultant(request.args))
    form.setdefault("channel", Channel.PHONE.value)
    return _new_page(form, show_hints=bool(form.get("subject") or form.get("symptom")))


@bp.post("/new")
def create():
    choice = read_consultant(request.form)
    form = with_consultant(request.form.to_dict(), choice)
    if request.form.get("action") == "suggest":
        return _new_page(form, show_hints=True)
    if choice.error:
        return _new_page(form, _consultant_errors({}, choice), 400, show_hints=True)
    extra_fields = _extra_fields()
    data = pick(request.form, TEXT_FIELDS)
    data.update(pick(request.form, ("customer_id", *ID_FIELDS), integer))
    data["consultant_id"] = choice.consultant_id
    data["related"] = _related(request.form.get("related"))
    data["extra"] = _extra_values(extra_fields, request.form)
    try:
        ticket = ticket_service.open_ticket(data, current_user)
    except DeskcoreError as exc:
        errors = _consultant_errors(field_errors(exc), ConsultantChoice())
        if "customer_id" in errors:
            chosen = data.get("customer_id") is not None
            errors["customer"] = (
                errors.pop("customer_id") if chosen else [_("Choose the customer first.")]
            )
        return _new_page(form, errors, _error_status(exc), show_hints=True)
    flash(_("Ticket #%(number)s opened.", number=ticket.number), "ok")
    return redirect(url_for("tickets.show", number=ticket.number))


# -- the ticket page -------------------------------------------------------------------------


def _ticket_page(number: int, action: str | None = None, errors=None, status: int = 200):
    ticket = load_ticket(number)
    entries = timeline(ticket)
    open_commitments = [e.item for e in entries if e.kind == "commitment" and not e.item.done]
    plugin_actions = [
        a
        for a in items("ticket_actions", ticket=ticket, user=current_user)
        if isinstance(a, Action)
    ]
    choices = _choices()
    return render_template(
        "desk/tickets/show.html",
        ticket=ticket,
        entries=entries,
        open_commitments=open_commitments,
        panels=panels("ticket_panels", ticket=ticket, user=current_user),
        plugin_actions=plugin_actions,
        closed_statuses=[s for s in choices["statuses"] if s.category == StatusCategory.CLOSED],
        action=action,
        form=request.form if action else {},
        errors=errors or {},
        can_override=current_user.has_role(Role.SUPERVISOR),
        now=utcnow(),
        **choices,
    ), status


@bp.get("/<int:number>")
def show(number: int):
    return _ticket_page(number)


def _act(number: int, action: str, operation, message: str):
    """Run one service call for a ticket action: flash and redirect, or show the form again."""
    try:
        operation()
    except DeskcoreError as exc:
        if exc.status == 404 and action != "link":
            raise
        return _ticket_page(number, action, field_errors(exc), _error_status(exc))
    flash(message, "ok")
    return redirect(url_for("tickets.show", number=number, _anchor=action))


@bp.post("/<int:number>/comment")
def comment(number: int):
    data = pick(request.form, ("body", "visibility"))
    return _act(
        number, "comment",
        lambda: ticket_service.add_comment(number, data, current_user),
        _("Comment added."),
    )  # fmt: skip


@bp.post("/<int:number>/status")
def change_status(number: int):
    data = pick(request.form, ("status_id",), integer) | pick(request.form, ("resolution",))
    return _act(
        number, "status",
        lambda: ticket_service.change_status(number, data, current_user),
        _("Status changed."),
    )  # fmt: skip


@bp.post("/<int:number>/reassign")
def reassign(number: int):
    data = pick(request.form, ("queue_id", "assignee_id"), integer)
    return _act(
        number, "reassign",
        lambda: ticket_service.reassign_ticket(number, data, current_user),
        _("Ticket reassigned."),
    )  # fmt: skip


@bp.post("/<int:number>/time")
def log_time(number: int):
    data = pick(request.form, ("minutes",), integer) | pick(request.form, ("spent_on", "note"))
    return _act(
        number, "time",
        lambda: ticket_service.log_time(number, data, current_user),
        _("Time logged."),
    )  # fmt: skip


@bp.post("/<int:number>/close")
def close(number: int):
    data = pick(request.form, ("resolution",)) | pick(request.form, ("status_id",), integer)
    return _act(
        number, "close",
        lambda: ticket_service.close_ticket(number, data, current_user),
        _("Ticket closed."),
    )  # fmt: skip


@bp.post("/<int:number>/reopen")
def reopen(number: int):
    return _act(
        number, "reopen",
        lambda: ticket_service.reopen_ticket(number, {}, current_user),
        _("Ticket reopened."),
    )  # fmt: skip


@bp.post("/<int:number>/link")
def link(number: int):
    related = integer((request.form.get("related") or "").lstrip("#"))

    def run():
        if not isinstance(related, int):
            raise ValidationError({"related": [_("Type the number of a ticket.")]})
        ticket_service.link_ticket(number, related, current_user)

    return _act(number, "link", run, _("Related ticket linked."))


@bp.post("/<int:number>/commitments")
def add_commitment(number: int):
    data = pick(request.form, ("type_id", "responsible_id"), integer)
    data["due_at"] = local_datetime(request.form.get("due_at"))
    data["note"] = text(request.form.get("note"))
    return _act(
        number, "commitment",
        lambda: commitments.add_commitment(number, data, current_user),
        _("Commitment added."),
    )  # fmt: skip


def _commitment_of(number: int, commitment_id: int):
    """The commitment, refused (404) unless it belongs to this ticket."""
    commitment = commitments.get_commitment(commitment_id)
    if commitment.ticket.number != number:
        raise ValidationError({"commitment": [_("This commitment belongs to another ticket.")]})
    return commitment


@bp.post("/<int:number>/commitments/<int:commitment_id>/reschedule")
def reschedule_commitment(number: int, commitment_id: int):
    data = {
        "due_at": local_datetime(request.form.get("due_at")),
        "reason": text(request.form.get("reason")),
    }

    def run():
        _commitment_of(number, commitment_id)
        commitments.reschedule_commitment(commitment_id, data, current_user)

    return _act(number, f"reschedule-{commitment_id}", run, _("Commitment rescheduled."))


@bp.post("/<int:number>/commitments/<int:commitment_id>/complete")
def complete_commitment(number: int, commitment_id: int):
    def run():
        _commitment_of(number, commitment_id)
        commitments.complete_commitment(commitment_id, current_user)

    return _act(number, f"reschedule-{commitment_id}", run, _("Commitment completed."))


@bp.post("/<int:number>/coverage")
@role_required(Role.SUPERVISOR)
def override_coverage(number: int):
    data = pick(request.form, ("kind", "reason"))
    return _act(
        number, "coverage",
        lambda: coverage.override_coverage(number, data, current_user),
        _("Coverage changed."),
    )  # fmt: skip


@bp.post("/<int:number>/coverage/restore")
@role_required(Role.SUPERVISOR)
def restore_coverage(number: int):
    return _act(
        number, "coverage",
        lambda: coverage.restore_automatic_coverage(number, current_user),
        _("Coverage is decided automatically again."),
    )  # fmt: skip


@bp.route("/<int:number>/edit", methods=["GET", "POST"])
def edit(number: int):
    ticket = load_ticket(number)
    errors: dict = {}
    if request.method == "POST":
        choice = read_consultant(request.form)
        form = with_consultant(request.form.to_dict(), choice)
        data = pick(request.form, (*TEXT_FIELDS, "resolution"))
        data.update(pick(request.form, ("type_id", "priority_id", "topic_id"), integer))
        if "consultant" in request.form or "consultant_id" in request.form:
            data["consultant_id"] = choice.consultant_id
        errors = _consultant_errors({}, choice)
        if not errors:
            try:
                ticket_service.update_ticket(number, data, current_user)
            except DeskcoreError as exc:
                errors = _consultant_errors(field_errors(exc), choice)
            else:
                flash(_("Ticket saved."), "ok")
                return redirect(url_for("tickets.show", number=number))
    else:
        form = {name: getattr(ticket, name) for name in (*TEXT_FIELDS, "resolution")}
        form.update(
            {name: getattr(ticket, name) for name in ("type_id", "priority_id", "topic_id")}
        )
        form = with_consultant(form, of_consultant(ticket.consultant))
        form["estimated_close_on"] = (
            ticket.estimated_close_on.isoformat() if ticket.estimated_close_on else ""
        )
    return render_template(
        "desk/tickets/edit.html", ticket=ticket, form=form, errors=errors, **_choices()
    ), (400 if errors else 200)
