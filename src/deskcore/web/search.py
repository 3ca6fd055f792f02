"""The global search box: a ticket number opens the ticket; anything else lists tickets and
customers that match."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from ..models import Role, Ticket
from ..services.customers import find_customers
from ..services.ticket_search import parse_filters, search_tickets
from .access import require_role

bp = Blueprint("search", __name__)
require_role(bp, Role.AGENT)

RESULTS = 20


@bp.get("/")
def home():
    return redirect(url_for("tickets.index", view="mine"))


@bp.get("/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    number = q.lstrip("#")
    if number.isdigit() and len(number) < 18:
        found = db.session.scalar(select(Ticket.number).where(Ticket.number == int(number)))
        if found is not None:
            return redirect(url_for("tickets.show", number=found))
    tickets, customers, errors = [], [], {}
    if q:
        try:
            tickets = search_tickets(
                parse_filters({"q": q, "limit": RESULTS}), current_user
            ).tickets
        except ValidationError as exc:
            errors = exc.messages
        customers = find_customers(q, limit=RESULTS)
    return render_template(
        "desk/search.html", q=q, tickets=tickets, customers=customers, errors=errors
    )
