"""Customers: find the caller, create, read, update."""

from __future__ import annotations

from marshmallow import fields, validate

from ..models import CustomerKind
from ..schemas import BaseSchema, CustomerSchema, one_of
from ..services import create_customer, find_customers, get_customer, update_customer
from .auth import current_user
from .blueprint import bp
from .endpoint import endpoint
from .plugin_fields import cached, with_plugin_fields
from .resources import CustomerOutSchema, items_of


class CustomerSearchSchema(BaseSchema):
    q = fields.String(
        validate=validate.Length(max=200),
        allow_none=True,
        load_default=None,
        metadata={
            "description": "a phone number in any format, a national ID or words of the name"
        },
    )
    kind = fields.String(validate=one_of(CustomerKind), load_default=None)
    limit = fields.Integer(validate=validate.Range(min=1, max=100), load_default=20)


def customer_schema():
    return with_plugin_fields(CustomerOutSchema, "customer")


def customer_list_schema():
    customer = with_plugin_fields(CustomerOutSchema, "customer")
    return cached("CustomerList", lambda: items_of(customer, "CustomerList"))


@bp.get("/customers")
@endpoint(query=CustomerSearchSchema, response=customer_list_schema)
def customers_search(query: dict):
    """Find customers by phone, national ID or name.

    Exact phone and ID matches come first, then name matches in alphabetical order.
    """
    return {"items": find_customers(query["q"] or "", kind=query["kind"], limit=query["limit"])}


@bp.post("/customers")
@endpoint(body=CustomerSchema, response=customer_schema, status=201, idempotent=True)
def customers_create(body: dict):
    """Create a customer (or consultant) with its phones."""
    return create_customer(body, current_user())


@bp.get("/customers/<id:customer_id>")
@endpoint(response=customer_schema)
def customers_read(customer_id: int):
    """One customer."""
    return get_customer(customer_id)


@bp.patch("/customers/<id:customer_id>")
@endpoint(body=CustomerSchema, partial=True, response=customer_schema)
def customers_update(customer_id: int, body: dict):
    """Change a customer's details; `phones`, when given, replaces the list."""
    return update_customer(customer_id, body, current_user())
