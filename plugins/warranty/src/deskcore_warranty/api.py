"""JSON API under ``/api/v1/warranty/``: claims (list, create, read, move along) and units by
serial number. Bearer tokens authenticate (``deskcore users token``); money is a string
("500.00") so no client turns it into a float.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for
from marshmallow import Schema, fields

from deskcore.models import User
from deskcore.services.tokens import authenticate_token

from . import rules, services
from .dates import today

bp = Blueprint("warranty_api", __name__)


class CauseOut(Schema):
    id = fields.Integer()
    name = fields.String()


class OrderLineOut(Schema):
    kind = fields.String()
    description = fields.String()
    serial_number = fields.String()
    quantity = fields.Integer()
    value = fields.Decimal(as_string=True, allow_none=True)
    credit = fields.Decimal(as_string=True)


class OrderOut(Schema):
    number = fields.Integer()
    label = fields.String()
    credit = fields.Decimal(as_string=True)
    status = fields.String()
    lines = fields.List(fields.Nested(OrderLineOut))


class ClaimOut(Schema):
    number = fields.Integer()
    label = fields.String()
    ticket_number = fields.Function(lambda claim: claim.ticket.number)
    customer_id = fields.Integer()
    serial_number = fields.String()
    sold_by_us = fields.Function(lambda claim: claim.unit_id is not None)
    kind = fields.String()
    cause = fields.Nested(CauseOut, allow_none=True)
    reason = fields.String()
    claimed_on = fields.Date()
    agent = fields.Function(lambda claim: {"id": claim.agent.id, "name": claim.agent.name})
    status = fields.String()
    covered = fields.Boolean(allow_none=True)
    coverage_note = fields.String()
    declared_value = fields.Decimal(as_string=True, allow_none=True)
    trade_in_share = fields.Decimal(as_string=True, allow_none=True)
    credit = fields.Decimal(as_string=True)
    decision_note = fields.String()
    decided_at = fields.AwareDateTime(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    order = fields.Nested(OrderOut)


class UnitOut(Schema):
    serial_number = fields.String()
    customer_id = fields.Integer()
    product = fields.Function(lambda unit: {"code": unit.product.code, "name": unit.product.name})
    sale_date = fields.Date()
    sale_price = fields.Decimal(as_string=True)
    order_ref = fields.String()
    warranty_until = fields.Date()
    in_warranty = fields.Function(lambda unit: rules.in_warranty(unit.warranty_until, today()))


@bp.before_request
def _authenticate():
    """Every route needs a bearer token; cookies are not enough for an API without CSRF."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    user = authenticate_token(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return (
            jsonify({"error": "a valid bearer token is needed"}),
            401,
            {"WWW-Authenticate": "Bearer"},
        )
    g.warranty_api_user = user
    return None


def _user() -> User:
    return g.warranty_api_user


def _claim(claim) -> dict:
    return ClaimOut().dump(claim)


@bp.get("/claims")
def list_claims():
    """Newest first; filters: status, kind, ticket_number, serial_number, customer_id;
    pages with ``limit`` and ``before`` (the ``next_before`` of the previous page)."""
    page = services.list_claims(request.args.to_dict())
    return {"claims": ClaimOut(many=True).dump(page.claims), "next_before": page.next_before}


@bp.post("/claims")
def create_claim():
    claim = services.create_claim(request.get_json(silent=True), _user())
    location = url_for("warranty_api.get_claim", number=claim.number)
    return _claim(claim), 201, {"Location": location}


@bp.get("/claims/<int:number>")
def get_claim(number: int):
    return _claim(services.get_claim(number))


@bp.post("/claims/<int:number>/transition")
def transition_claim(number: int):
    """Body: ``{"status": "approved" | "rejected" | "completed", "note": "…"}``."""
    return _claim(services.transition_claim(number, request.get_json(silent=True), _user()))


@bp.get("/units/<path:serial>")
def get_unit(serial: str):
    unit = services.get_unit(serial)
    page = services.list_claims({"serial_number": unit.serial_number, "limit": 200})
    return UnitOut().dump(unit) | {"claims": [claim.number for claim in page.claims]}
