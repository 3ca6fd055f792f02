"""Factories for the warranty tests: products, units sold and claims through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from deskcore_warranty import services

from deskcore.errors import NotFound


@pytest.fixture
def make_product(app):
    """``make_product(code="RX-200", warranty_months=12, list_price="1000.00", ...)``."""

    def make(code: str = "RX-200", **fields):
        data = {"code": code, "name": f"Refrigerador {code}", "list_price": "1000.00"}
        data.setdefault("warranty_months", 12)
        return services.create_product({**data, **fields})

    return make


@pytest.fixture
def make_unit(app, make_customer, make_product):
    """``make_unit(serial, sale_date=..., sale_price=..., customer=..., product=...)``."""

    def make(
        serial: str = "SN-1",
        sale_date: date = date(2024, 1, 15),
        sale_price: Decimal | str = "1000.00",
        customer=None,
        product=None,
        **fields,
    ):
        product = product or _product(make_product)
        customer = customer or make_customer()
        return services.register_unit(
            {
                "customer_id": customer.id,
                "product_code": product.code,
                "serial_number": serial,
                "sale_date": sale_date.isoformat(),
                "sale_price": str(sale_price),
                **fields,
            }
        )

    return make


def _product(make_product):
    """The catalogue's RX-200, added the first time a test needs it."""
    try:
        return services.get_product("RX-200")
    except NotFound:
        return make_product("RX-200")


@pytest.fixture
def make_claim(app, agent):
    """``make_claim(ticket, kind="defect_return", agent=agent, **fields)``."""

    def make(ticket, kind: str = "defect_return", agent=agent, **fields):
        data = {"ticket_number": ticket.number, "kind": kind, "reason": "No enfría", **fields}
        return services.create_claim(data, agent)

    return make
