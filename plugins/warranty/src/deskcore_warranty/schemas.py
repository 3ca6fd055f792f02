"""marshmallow schemas validating every warranty operation; the pages, the API and the CSV
import all go through them, so there is one set of rules."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from deskcore.schemas import BaseSchema

from .models import ClaimKind, ClaimStatus
from .rules import DEFAULT_TRADE_IN_SHARE, DEFAULT_WARRANTY_MONTHS

MAX_WARRANTY_MONTHS = 600


def _in_cents(value: Decimal) -> None:
    if value.as_tuple().exponent < -2:
        raise ValidationError("at most 2 decimals")


def money(**kwargs) -> fields.Decimal:
    """An amount of money: a Decimal, not negative, in cents."""
    return fields.Decimal(validate=[validate.Range(min=0), _in_cents], **kwargs)


def _text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), allow_none=True, **kwargs)


def _required_text(max_length: int) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


class WarrantySettings(Schema):
    """The plugin's settings (``deskcore plugins config warranty trade_in_share=0.40``)."""

    trade_in_share = fields.Decimal(
        load_default=DEFAULT_TRADE_IN_SHARE,
        as_string=True,
        validate=validate.Range(min=0, max=1),
        metadata={"description": "Share of a traded-in product's value credited, 0 to 1."},
    )
    default_warranty_months = fields.Integer(
        load_default=DEFAULT_WARRANTY_MONTHS,
        validate=validate.Range(min=0, max=MAX_WARRANTY_MONTHS),
        metadata={"description": "Warranty of a new product when none is given."},
    )


class ProductSchema(BaseSchema):
    code = _required_text(40)
    name = _required_text(200)
    warranty_months = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0, max=MAX_WARRANTY_MONTHS),
    )
    list_price = money(required=True)
    active = fields.Boolean(load_default=True)


class UnitSchema(BaseSchema):
    """A unit sold: who bought which product, its serial number, when and for how much.

    The buyer is named by ``customer_id`` or by ``national_id``; a blank sale price means the
    product's list price.
    """

    customer_id = fields.Integer(allow_none=True, load_default=None)
    national_id = _text(40, load_default=None)
    product_code = _required_text(40)
    serial_number = _required_text(80)
    sale_date = fields.Date(required=True)
    sale_price = money(allow_none=True, load_default=None)
    order_ref = _text(80, load_default=None)

    @validates_schema
    def _names_the_buyer(self, data, **kwargs):
        if data.get("customer_id") is None and not data.get("national_id"):
            raise ValidationError("give customer_id or national_id", "customer_id")


class CauseSchema(BaseSchema):
    name = _required_text(120)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))
    active = fields.Boolean(load_default=True)


class ClaimSchema(BaseSchema):
    """A new claim. Without ``serial_number`` the ticket's is used; ``declared_value`` is the
    value of a traded-in unit we never sold."""

    ticket_number = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ClaimKind]))
    cause_id = fields.Integer(allow_none=True, load_default=None)
    reason = _required_text(2000)
    serial_number = _text(80, load_default=None)
    claimed_on = fields.Date(allow_none=True, load_default=None)
    declared_value = money(allow_none=True, load_default=None)


class TransitionSchema(BaseSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(
            [ClaimStatus.APPROVED.value, ClaimStatus.REJECTED.value, ClaimStatus.COMPLETED.value]
        ),
    )
    note = _text(2000, load_default=None)


class ClaimFilterSchema(BaseSchema):
    """Filters of the claim lists (page and API): all optional."""

    status = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf([s.value for s in ClaimStatus])
    )
    kind = fields.String(
        allow_none=True, load_default=None, validate=validate.OneOf([k.value for k in ClaimKind])
    )
    ticket_number = fields.Integer(allow_none=True, load_default=None)
    serial_number = _text(80, load_default=None)
    customer_id = fields.Integer(allow_none=True, load_default=None)
    before = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
