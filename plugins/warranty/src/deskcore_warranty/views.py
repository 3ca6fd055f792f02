"""The warranty pages under ``/plugins/warranty/``: claims (list, form, page), products, the
service log of a serial number, and the warranty causes.

Agents work claims; supervisors and admins keep the catalogue, the units sold and the causes.
Every form posts with the CSRF token the core layout provides (``csrf()`` macro).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from deskcore.errors import DeskcoreError
from deskcore.extensions import db
from deskcore.models import Customer, Role
from deskcore.services.tickets_base import load_ticket
from deskcore.web.access import require_role, role_required
from deskcore.web.forms import field_errors, integer, pick, text

from . import labels, rules, services
from .dates import today
from .models import ClaimKind, ClaimStatus

bp = Blueprint("warranty", __name__, template_folder="templates")
require_role(bp, Role.AGENT)

CLAIM_TEXT_FIELDS = ("kind", "reason", "serial_number", "claimed_on", "declared_value")
PRODUCT_TEXT_FIELDS = ("code", "name", "list_price")
UNIT_TEXT_FIELDS = ("product_code", "serial_number", "sale_date", "sale_price", "order_ref")
CLAIMS_PER_PAGE = 50


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every warranty page needs a logged-in user, whatever the rest of the desk does."""


@bp.context_processor
def _labels() -> dict:
    return {"wlabels": labels, "today": today()}


def _error_status(exc: DeskcoreError) -> int:
    """A form shown again with its messages answers 4xx, never a 500."""
    return exc.status if exc.status < 500 else 409


def _attempt(operation: Callable, done: Callable[[object], Response], show_again: Callable):
    """Run a service call from a form: ``done(result)`` on success, else the form again."""
    try:
        result = operation()
    except DeskcoreError as exc:
        db.session.rollback()
        return show_again(field_errors(exc), _error_status(exc))
    return done(result)


# -- claims -----------------------------------------------------------------------------------


@bp.get("/")
def index():
    return redirect(url_for("warranty.claims"))


@bp.get("/claims/")
def claims():
    filters = {
        key: request.args.get(key) or None for key in ("status", "kind", "serial_number", "before")
    }
    query = {key: value for key, value in filters.items() if value is not None}
    page = services.list_claims(query | {"limit": CLAIMS_PER_PAGE})
    return render_template(
        "warranty/claims.html", claims=page.claims, filters=filters, next_before=page.next_before
    )


def _claim_form(form: dict, errors: dict | None = None, status: int = 200):
    ticket = None
    number = integer(form.get("ticket_number"))
    if isinstance(number, int):
        try:
            ticket = load_ticket(number)
        except DeskcoreError:
            ticket = None
    serial = (form.get("serial_number") or (ticket.serial_number if ticket else "") or "").strip()
    return render_template(
        "warranty/claim_form.html",
        form=form,
        errors=errors or {},
        ticket=ticket,
        unit=services.find_unit(serial),
        causes=services.list_causes(),
        kinds=list(ClaimKind),
        share=services.trade_in_share(),
    ), status


@bp.get("/claims/new")
def new_claim():
    ticket = request.args.get("ticket", "")
    return _claim_form({"ticket_number": ticket, "kind": ClaimKind.DEFECT_RETURN.value})


@bp.post("/claims/new")
def create_claim():
    form = request.form.to_dict()
    data = pick(request.form, CLAIM_TEXT_FIELDS) | pick(
        request.form, ("ticket_number", "cause_id"), integer
    )
    return _attempt(
        lambda: services.create_claim(data, current_user),
        lambda claim: _flash_redirect(
            _("Warranty claim %(label)s opened.", label=claim.label), claim.number
        ),
        lambda errors, status: _claim_form(form, errors, status),
    )


def _flash_redirect(message: str, number: int) -> Response:
    flash(message, "ok")
    return redirect(url_for("warranty.claim", number=number))


def _claim_page(number: int, errors: dict | None = None, status: int = 200):
    claim = services.get_claim(number)
    return render_template(
        "warranty/claim.html",
        claim=claim,
        next_statuses=sorted(rules.TRANSITIONS[claim.status], key=list(ClaimStatus).index),
        errors=errors or {},
        form=request.form if errors else {},
    ), status


@bp.get("/claims/<id:number>")
def claim(number: int):
    return _claim_page(number)


@bp.post("/claims/<id:number>/transition")
def transition(number: int):
    data = pick(request.form, ("status", "note"))
    return _attempt(
        lambda: services.transition_claim(number, data, current_user),
        lambda claim: _flash_redirect(
            _(
                "Claim %(label)s: %(status)s.",
                label=claim.label,
                status=labels.STATUSES[claim.status],
            ),
            claim.number,
        ),
        lambda errors, status: _claim_page(number, errors, status),
    )


# -- products and units sold --------------------------------------------------------------------


def _products_page(form: dict | None = None, errors: dict | None = None, status: int = 200):
    return render_template(
        "warranty/products.html",
        products=services.list_products(),
        form=form or {},
        errors=errors or {},
        can_edit=current_user.has_role(Role.SUPERVISOR),
    ), status


@bp.get("/products/")
def products():
    return _products_page()


def _product_data() -> dict:
    return pick(request.form, PRODUCT_TEXT_FIELDS) | pick(
        request.form, ("warranty_months",), integer
    )


@bp.post("/products/")
@role_required(Role.SUPERVISOR)
def create_product():
    data = _product_data()
    return _attempt(
        lambda: services.create_product(data),
        lambda product: _flash_to(
            _("Product %(code)s added.", code=product.code),
            url_for("warranty.product", code=product.code),
        ),
        lambda errors, status: _products_page(request.form, errors, status),
    )


def _flash_to(message: str, url: str) -> Response:
    flash(message, "ok")
    return redirect(url)


def _product_page(code: str, errors: dict | None = None, status: int = 200):
    product = services.get_product(code)
    form = (
        request.form
        if errors
        else {
            "code": product.code,
            "name": product.name,
            "warranty_months": product.warranty_months,
            "list_price": product.list_price,
            "active": "1" if product.active else "",
        }
    )
    return render_template(
        "warranty/product.html",
        product=product,
        units=services.units_of_product(product.id),
        form=form,
        errors=errors or {},
        can_edit=current_user.has_role(Role.SUPERVISOR),
    ), status


@bp.get("/products/<code>")
def product(code: str):
    return _product_page(code)


@bp.post("/products/<code>")
@role_required(Role.SUPERVISOR)
def update_product(code: str):
    data = _product_data() | {"active": request.form.get("active") == "1"}
    return _attempt(
        lambda: services.update_product(code, data),
        lambda product: _flash_to(
            _("Product %(code)s saved.", code=product.code),
            url_for("warranty.product", code=product.code),
        ),
        lambda errors, status: _product_page(code, errors, status),
    )


def _unit_form(form: dict, errors: dict | None = None, status: int = 200):
    customer_id = integer(form.get("customer_id"))
    customer = db.session.get(Customer, customer_id) if isinstance(customer_id, int) else None
    return render_template(
        "warranty/unit_form.html",
        form=form,
        errors=errors or {},
        customer=customer,
        product_options=[
            (p.code, f"{p.code} · {p.name}") for p in services.list_products(include_inactive=False)
        ],
    ), status


@bp.get("/units/new")
@role_required(Role.SUPERVISOR)
def new_unit():
    return _unit_form({"customer_id": request.args.get("customer_id"), "sale_date": today()})


@bp.post("/units/new")
@role_required(Role.SUPERVISOR)
def register_unit():
    data = pick(request.form, UNIT_TEXT_FIELDS) | pick(request.form, ("customer_id",), integer)
    return _attempt(
        lambda: services.register_unit(data),
        lambda unit: _flash_to(
            _("Unit %(serial)s registered.", serial=unit.serial_number),
            url_for("warranty.serial", serial=unit.serial_number),
        ),
        lambda errors, status: _unit_form(request.form, errors, status),
    )


# -- service log ----------------------------------------------------------------------------


@bp.get("/serials/")
def find_serial():
    serial = text(request.args.get("serial"))
    if serial:
        return redirect(url_for("warranty.serial", serial=serial))
    return render_template("warranty/serial_search.html")


@bp.get("/serials/<path:serial>")
def serial(serial: str):
    return render_template("warranty/serial.html", log=services.service_log(serial))


# -- causes ---------------------------------------------------------------------------------


def _causes_page(form: dict | None = None, errors: dict | None = None, status: int = 200):
    return render_template(
        "warranty/causes.html",
        causes=services.list_causes(include_inactive=True),
        form=form or {},
        errors=errors or {},
    ), status


@bp.get("/causes/")
@role_required(Role.SUPERVISOR)
def causes():
    return _causes_page()


@bp.post("/causes/")
@role_required(Role.SUPERVISOR)
def add_cause():
    data = pick(request.form, ("name",)) | pick(request.form, ("position",), integer)
    data = {key: value for key, value in data.items() if value is not None}
    return _attempt(
        lambda: services.save_cause(data),
        lambda cause: _flash_to(_("Cause %(name)s added.", name=cause.name), url_for(".causes")),
        lambda errors, status: _causes_page(request.form, errors, status),
    )


@bp.post("/causes/<id:cause_id>")
@role_required(Role.SUPERVISOR)
def update_cause(cause_id: int):
    data = pick(request.form, ("name",)) | pick(request.form, ("position",), integer)
    data = {key: value for key, value in data.items() if value is not None}
    if "active" in request.form:
        data["active"] = request.form["active"] == "1"
    return _attempt(
        lambda: services.save_cause(data, cause_id),
        lambda cause: _flash_to(_("Cause %(name)s saved.", name=cause.name), url_for(".causes")),
        lambda errors, status: _causes_page(None, errors, status),
    )
