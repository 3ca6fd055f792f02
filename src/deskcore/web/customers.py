"""The customer screen: find the caller, create them on the spot, and the customer page."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..contributions import Badge
from ..errors import DeskcoreError
from ..extensions import db
from ..models import Customer, CustomerKind, Role, Status, StatusCategory, Ticket
from ..services.customers import create_customer, find_customers, get_customer, update_customer
from ..services.ticket_search import search_tickets
from .access import require_role
from .forms import field_errors, pick
from .plugin_ui import items, panels

bp = Blueprint("customers", __name__, url_prefix="/customers")
require_role(bp, Role.AGENT)

RESULTS = 25
#: Consultants offered while the agent types in a ticket form's consultant field.
CONSULTANT_OPTIONS = 10
#: Fewer characters than this are not worth a suggestion round trip.
MIN_OPTION_TEXT = 2
RECENT_TICKETS = 20
TEXT_FIELDS = ("kind", "name", "national_id", "email", "address", "city", "notes")
_NATIONAL_ID = re.compile(r"^(\d{1,3}(\.\d{3})+|\d{6,9})-?[\dkK]$")
_PHONE = re.compile(r"^[\d\s()+.\-/]+$")


def prefill(query: str) -> dict:
    """Put what the agent typed into the right field of the new-customer form."""
    query = query.strip()
    if _NATIONAL_ID.match(query) and ("." in query or "-" in query):
        return {"national_id": query}
    if _PHONE.match(query) and sum(c.isdigit() for c in query) >= 6:
        return {"phones": query}
    return {"name": query}


def badges_for(customers: list[Customer]) -> dict[int, list[Badge]]:
    """Plugin badges of a whole page of customers, from one hook call."""
    by_customer: dict[int, list[Badge]] = {}
    if customers:
        for badge in items("customer_badges", customers=customers):
            if isinstance(badge, Badge):
                by_customer.setdefault(badge.customer_id, []).append(badge)
    return by_customer


def open_counts(customer_ids: list[int]) -> dict[int, int]:
    """Unfinished tickets per customer, counted by the database in one query."""
    if not customer_ids:
        return {}
    unfinished = select(Status.id).where(
        Status.category.in_([StatusCategory.OPEN, StatusCategory.WAITING])
    )
    rows = db.session.execute(
        select(Ticket.customer_id, func.count(Ticket.id))
        .where(Ticket.customer_id.in_(customer_ids), Ticket.status_id.in_(unfinished))
        .group_by(Ticket.customer_id)
    )
    return dict(rows.tuples().all())


def _lookup_page(q: str, form: dict | None = None, errors: dict | None = None, status=200):
    customers = find_customers(q, limit=RESULTS) if q else []
    ids = [c.id for c in customers]
    return (
        render_template(
            "desk/customers/lookup.html",
            q=q,
            customers=customers,
            badges=badges_for(customers),
            counts=open_counts(ids),
            form=form if form is not None else prefill(q),
            errors=errors or {},
            kinds=list(CustomerKind),
        ),
        status,
    )


@bp.get("/")
def lookup():
    return _lookup_page((request.args.get("q") or "").strip()[:200])


@bp.get("/consultants")
def consultant_options():
    """The ``<option>`` elements of the consultant field's datalist for what was typed: at
    most ``CONSULTANT_OPTIONS`` consultants, found by the customer lookup's indexed rules."""
    q = (request.args.get("q") or "").strip()[:200]
    found = []
    if len(q) >= MIN_OPTION_TEXT:
        found = find_customers(q, kind=CustomerKind.CONSULTANT, limit=CONSULTANT_OPTIONS)
    return render_template("desk/customers/_consultant_options.html", consultants=found)


def _submitted() -> dict:
    form = pick(request.form, TEXT_FIELDS)
    form["phones"] = request.form.get("phones", "")
    return form


def _phones(text: str, existing: list | None = None) -> list[dict]:
    """One number per line; a number already on file keeps its label."""
    labels = {p.number: p.label for p in existing or [] if p.label}
    numbers = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [{"number": n, "label": labels[n]} if n in labels else {"number": n} for n in numbers]


@bp.post("/")
def create():
    form = _submitted()
    data = {k: v for k, v in form.items() if k != "phones"}
    data["phones"] = _phones(form["phones"])
    try:
        customer = create_customer(data, current_user)
    except DeskcoreError as exc:
        q = (request.form.get("q") or "").strip()[:200]
        return _lookup_page(q, form, field_errors(exc), 400)
    flash(_("Customer %(name)s created.", name=customer.name), "ok")
    if request.form.get("then") == "ticket":
        return redirect(url_for("tickets.new", customer_id=customer.id))
    return redirect(url_for("customers.show", customer_id=customer.id))


@bp.get("/<int:customer_id>")
def show(customer_id: int):
    customer = get_customer(customer_id)
    open_page = search_tickets({"customer_id": customer.id, "view": "open", "limit": 100})
    recent = search_tickets({"customer_id": customer.id, "limit": RECENT_TICKETS})
    past = [t for t in recent.tickets if t.status.category_enum.is_finished]
    return render_template(
        "desk/customers/show.html",
        customer=customer,
        open_tickets=open_page.tickets,
        more_open=open_page.next_cursor is not None,
        past_tickets=past,
        badges=badges_for([customer]).get(customer.id, []),
        panels=panels("customer_panels", customer=customer, user=current_user),
    )


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
def edit(customer_id: int):
    customer = get_customer(customer_id)
    errors: dict = {}
    if request.method == "POST":
        form = _submitted()
        data = {k: v for k, v in form.items() if k != "phones"}
        data["phones"] = _phones(form["phones"], customer.phones)
        try:
            update_customer(customer.id, data, current_user)
        except DeskcoreError as exc:
            errors = field_errors(exc)
        else:
            flash(_("Customer details saved."), "ok")
            return redirect(url_for("customers.show", customer_id=customer.id))
    else:
        form = {key: getattr(customer, key) or "" for key in TEXT_FIELDS}
        form["phones"] = "\n".join(p.number for p in customer.phones)
    return render_template(
        "desk/customers/edit.html",
        customer=customer,
        form=form,
        errors=errors,
        kinds=list(CustomerKind),
    ), (400 if errors else 200)
