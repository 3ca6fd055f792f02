"""Settings with types JSON does not know, as a plugin author would naturally write them."""

from decimal import Decimal

from marshmallow import Schema, fields

from deskcore import hookimpl

title = "Pricing"


class PricingSettings(Schema):
    hourly_rate = fields.Decimal(load_default=Decimal("25.00"))
    price_list_from = fields.Date(load_default=None, allow_none=True)


@hookimpl
def settings_schema():
    return PricingSettings
