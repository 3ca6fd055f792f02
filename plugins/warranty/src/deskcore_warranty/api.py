"""JSON API under ``/api/v1/warranty/``: claims (list, create, read, move along) and units by
serial number. Routes are declared with core's ``@endpoint``, so they validate, check the
token and the role, run in one transaction and appear in the OpenAPI document. Money is a
string ("500.00"), so no client turns it into a float.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, request
from marshmallow import fields

from deskcore.api import current_user, endpoint
from deskcore.api.resources import Out, RefSchema, Utc

from . import rules, services
from .dates import today
from .schemas import ClaimFilterSchema, ClaimSchema, ClaimTransitionSchema

bp = Blueprint("warranty_api", __name__)

#: The claim's state or another plugin's veto refuses.
STATE_ERRORS = (409,)


def money(**kwargs) -> fields.Decimal:
    return fields.Decimal(
        as_string=True,
        metadata={"type": "string", "format": "decimal", "example": "500.00"},
        **kwargs,
    )


class WarrantyOrderLineOut(Out):
    kind = fields.String()
    description = fields.String()
    serial_number = fields.String()
    quantity = fields.Integer()
    value = money(allow_none=True)
    credit = money()


class WarrantyOrderOut(Out):
    number = fields.Integer()
    label = fields.String(metadata={"example": "WO-7"})
    status = fields.String(metadata={"description": "the claim's status"})
    credit = money()
    lines = fields.List(fields.Nested(WarrantyOrderLineOut))


class WarrantyClaimOut(Out):
    number = fields.Integer()
    label = fields.String(metadata={"example": "W-12"})
    ticket_number = fields.Function(lambda claim: claim.ticket.number)
    customer_id = fields.Integer()
    serial_number = fields.String()
    sold_by_us = fields.Function(lambda claim: claim.unit_id is not None)
    kind = fields.String()
    cause = fields.Nested(RefSchema, allow_none=True)
    reason = fields.String()
    claimed_on = fields.Date()
    agent = fields.Nested(RefSchema)
    status = fields.String()
    covered = fields.Boolean(allow_none=True)
    coverage_note = fields.String()
    declared_value = money(allow_none=True)
    trade_in_share = money(allow_none=True)
    credit = money()
    decision_note = fields.String()
    decided_at = Utc(allow_none=True)
    completed_at = Utc(allow_none=True)
    created_at = Utc()
    order = fields.Nested(WarrantyOrderOut)


class WarrantyClaimPageOut(Out):
    items = fields.List(fields.Nested(WarrantyClaimOut))
    next = fields.String(
        allow_none=True, metadata={"description": "URL of the next page; null on the last"}
    )


class WarrantyProductOut(Out):
    code = fields.String()
    name = fields.String()
    warranty_months = fields.Integer()


class WarrantyUnitOut(Out):
    serial_number = fields.String()
    customer_id = fields.Integer()
    product = fields.Nested(WarrantyProductOut)
    sale_date = fields.Date()
    sale_price = money()
    order_ref = fields.String()
    warranty_until = fields.Date(metadata={"description": "the last day still covered"})
    in_warranty = fields.Function(lambda unit: rules.in_warranty(unit.warranty_until, today()))
    claims = fields.Function(
        lambda unit: [c.number for c in services.list_claims(_claims_of(unit)).claims],
        metadata={"description": "numbers of the unit's claims, newest first"},
    )


def _claims_of(unit) -> dict:
    return {"serial_number": unit.serial_number, "limit": 200}


@bp.get("/claims")
@endpoint(query=ClaimFilterSchema, response=WarrantyClaimPageOut)
def claims_list(query: dict):
    """List warranty claims, newest first.

    Filter by status, kind, ticket, serial number or customer; follow `next` for older ones.
    """
    page = services.list_claims(query)
    return {"items": page.claims, "next": _next_link(page.next_before)}


def _next_link(before: int | None) -> str | None:
    if before is None:
        return None
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "before"]
    return f"{request.base_url}?{urlencode([*args, ('before', before)])}"


@bp.post("/claims")
@endpoint(
    body=ClaimSchema, response=WarrantyClaimOut, status=201, idempotent=True, errors=STATE_ERRORS
)
def claims_create(body: dict):
    """Open a warranty claim on a ticket; it is registered as an order at once.

    A trade-in credits the configured share of the unit's sale price, or of `declared_value`
    for a unit we never sold.
    """
    return services.create_claim(body, current_user())


@bp.get("/claims/<id:number>")
@endpoint(response=WarrantyClaimOut)
def claims_read(number: int):
    """One warranty claim with its order."""
    return services.get_claim(number)


@bp.post("/claims/<id:number>/transition")
@endpoint(body=ClaimTransitionSchema, response=WarrantyClaimOut, errors=STATE_ERRORS)
def claims_transition(number: int, body: dict):
    """Approve, reject or complete a claim (open → approved | rejected; approved → completed)."""
    return services.transition_claim(number, body, current_user())


@bp.get("/units/<path:serial>")
@endpoint(response=WarrantyUnitOut)
def units_read(serial: str):
    """The unit we sold with this serial number, its warranty and its claims."""
    return services.get_unit(serial)
