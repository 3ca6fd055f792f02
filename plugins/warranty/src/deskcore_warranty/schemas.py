"""marshmallow schemas validating every warranty operation; the pages, the API and the CSV
import all go through them, so there is one set of rules."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from deskcore.schemas import EARLIEST, LATEST, MAX_ID, BaseSchema

from .models import ClaimKind, ClaimStatus
from .rules import CENT, DEFAULT_TRADE_IN_SHARE, DEFAULT_WARRANTY_MONTHS

MAX_WARRANTY_MONTHS = 600
#: Money columns (``Numeric(12, 2)``) hold amounts below this.
MONEY_LIMIT = 10**10
#: A trade-in share is kept with four decimals (``Numeric(5, 4)``): 0.3333 is a third.
SHARE_DECIMALS = 4


class Money(fields.Decimal):
    """An amount in cents: more decimals are refused, fewer filled in ("400" is 400.00), so
    what is answered right away is what the database gives back later."""

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        amount = super()._deserialize(value, attr, data, **kwargs)
        if amount.as_tuple().exponent < -2:
            raise ValidationError(_("at most %(n)s decimals", n=2))
        return amount if abs(amount) >= MONEY_LIMIT else amount.quantize(CENT)


def money(**kwargs) -> Money:
    """Money that is not negative and fits the database's ``Numeric(12, 2)`` columns."""
    return Money(
        validate=validate.Range(min=0, max=MONEY_LIMIT, max_inclusive=False),
        # As numbers: the OpenAPI document would otherwise show the Decimal bounds as strings.
        metadata={"minimum": 0, "maximum": MONEY_LIMIT, "exclusiveMaximum": True},
        **kwargs,
    )


def _at_most_4_decimals(value: Decimal) -> None:
    if value.as_tuple().exponent < -SHARE_DECIMALS:
        raise ValidationError(_("at most %(n)s decimals", n=SHARE_DECIMALS))


def day(**kwargs) -> fields.Date:
    """A date between 1900 and 9000: outside, it is a typing error (and date sums overflow)."""
    return fields.Date(validate=validate.Range(min=EARLIEST.date(), max=LATEST.date()), **kwargs)


def number(strict: bool = True, **kwargs) -> fields.Integer:
    """An id or human number the database's integer columns hold; JSON ids are integers."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def _text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), allow_none=True, **kwargs)


def _required_text(max_length: int) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


class WarrantySettings(Schema):
    """The plugin's settings (``deskcore plugins config warranty trade_in_share=0.40``)."""

    trade_in_share = fields.Decimal(
        load_default=DEFAULT_TRADE_IN_SHARE,
        as_string=True,
        validate=[validate.Range(min=0, max=1), _at_most_4_decimals],
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

    customer_id = number(strict=False, allow_none=True, load_default=None)
    national_id = _text(40, load_default=None)
    product_code = _required_text(40)
    serial_number = _required_text(80)
    sale_date = day(required=True)
    sale_price = money(allow_none=True, load_default=None)
    order_ref = _text(80, load_default=None)

    @validates_schema
    def _names_the_buyer(self, data, **kwargs):
        if data.get("customer_id") is None and not data.get("national_id"):
            raise ValidationError(_("give customer_id or national_id"), "customer_id")


class CauseSchema(BaseSchema):
    name = _required_text(120)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))
    active = fields.Boolean(load_default=True)


class ClaimSchema(BaseSchema):
    """A new claim. Without ``serial_number`` the ticket's is used; ``declared_value`` is the
    value of a traded-in unit we never sold."""

    ticket_number = number(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ClaimKind]))
    cause_id = number(allow_none=True, load_default=None)
    reason = _required_text(2000)
    serial_number = _text(80, load_default=None)
    claimed_on = day(allow_none=True, load_default=None)
    declared_value = money(allow_none=True, load_default=None)


class ClaimTransitionSchema(BaseSchema):
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
    ticket_number = number(strict=False, allow_none=True, load_default=None)
    serial_number = _text(80, load_default=None)
    customer_id = number(strict=False, allow_none=True, load_default=None)
    before = number(strict=False, allow_none=True, load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
