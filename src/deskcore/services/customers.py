"""Customers: create, update, and find the caller by phone, national ID or name."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_, select

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Customer, CustomerKind, CustomerNameToken, Phone, User
from ..normalize import fold, name_tokens, national_id_key, phone_digits, prefix_range
from ..schemas import CustomerSchema
from .unit_of_work import unit_of_work, validate

#: Fewer digits than this are not worth a phone lookup (an extension, a typo).
MIN_PHONE_DIGITS = 6
#: Shortest stored number that still matches as the tail of a longer caller ID.
MIN_PHONE_SUFFIX = 7
_LOOKS_LIKE_PHONE = re.compile(r"^[\d\s()+.\-/]+$")


def get_customer(customer_id: int) -> Customer:
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(_l("customer %(id)s not found", id=customer_id))
    return customer


def create_customer(data: dict, agent: User | None = None) -> Customer:
    """Create a customer (or consultant) with its phones."""
    values = validate(CustomerSchema, data)
    with unit_of_work():
        customer = Customer()
        _apply(customer, values)
        db.session.add(customer)
    return customer


def update_customer(customer_id: int, data: dict, agent: User | None = None) -> Customer:
    """Change a customer's details; ``phones``, when given, replaces the list."""
    values = validate(CustomerSchema, data, partial=True)
    with unit_of_work():
        customer = get_customer(customer_id)
        _apply(customer, values)
    return customer


def _apply(customer: Customer, values: dict) -> None:
    for key in ("kind", "email", "address", "city", "notes"):
        if key in values:
            value = values[key]
            setattr(customer, key, value if value is not None or key == "email" else "")
    if "national_id" in values:
        customer.national_id = values["national_id"]
        customer.national_id_key = national_id_key(values["national_id"])
    if "name" in values:
        customer.name = values["name"]
        customer.name_folded = fold(values["name"])[:200]
        customer.name_tokens = [
            CustomerNameToken(token=token) for token in sorted(name_tokens(values["name"]))
        ]
    if "phones" in values:
        customer.phones = [_phone(p["number"], p.get("label") or "") for p in values["phones"]]
    if not customer.name_folded:
        raise ValidationError({"name": [_l("the name needs at least one letter or digit")]})


def _phone(number: str, label: str) -> Phone:
    digits = phone_digits(number)
    return Phone(number=number.strip(), label=label, digits=digits, digits_reversed=digits[::-1])


def find_customers(query: str, *, kind: str | None = None, limit: int = 20) -> list[Customer]:
    """Customers matching a phone (any format), a national ID or words of the name.

    Exact phone and ID matches come first, then name matches in alphabetical order. Every
    branch is an index range, so the answer stays instant with millions of customers.
    """
    query = (query or "").strip()
    if not query:
        return []
    if kind is not None and kind not in {k.value for k in CustomerKind}:
        raise ValidationError(
            {"kind": [_l("must be one of %(choices)s", choices=", ".join(CustomerKind))]}
        )
    found: dict[int, Customer] = {}
    for ids in (_by_phone(query), _by_national_id(query)):
        for customer in _load(ids, kind, limit):
            found.setdefault(customer.id, customer)
    if len(found) < limit:
        for customer in _by_name(query, kind, limit):
            found.setdefault(customer.id, customer)
    return list(found.values())[:limit]


def _load(ids, kind: str | None, limit: int) -> list[Customer]:
    if ids is None:
        return []
    stmt = select(Customer).where(Customer.id.in_(ids))
    if kind:
        stmt = stmt.where(Customer.kind == kind)
    return list(db.session.scalars(stmt.order_by(Customer.name_folded).limit(limit)))


def _by_phone(query: str):
    digits = phone_digits(query)
    if not _LOOKS_LIKE_PHONE.match(query) or len(digits) < MIN_PHONE_DIGITS:
        return None
    low, high = prefix_range(digits[::-1], ":")
    # The stored number ends with what was typed ("8765 4321" finds "+56 9 8765 4321"), or
    # what was typed ends with the stored number (a caller ID with country code).
    own_suffixes = [digits[i:] for i in range(len(digits) - MIN_PHONE_SUFFIX + 1)]
    condition = and_(Phone.digits_reversed >= low, Phone.digits_reversed < high)
    if own_suffixes:
        condition = or_(condition, Phone.digits.in_(own_suffixes))
    return select(Phone.customer_id).where(condition).limit(200)


def _by_national_id(query: str):
    key = national_id_key(query)
    if not key or len(key) < 3:
        return None
    return select(Customer.id).where(Customer.national_id_key == key)


def named_ids(query: str) -> Select | None:
    """Ids of the customers with a name word starting with each word of ``query`` (accents
    and case ignored, the first five words), as index ranges; None when it has no words."""
    words = fold(query).split()[:5]
    if not words:
        return None
    ids = select(CustomerNameToken.customer_id).where(_word_starts(words[0]))
    for word in words[1:]:
        others = select(CustomerNameToken.customer_id).where(_word_starts(word))
        ids = ids.where(CustomerNameToken.customer_id.in_(others))
    return ids


def _word_starts(word: str):
    low, high = prefix_range(word, "{")
    return and_(CustomerNameToken.token >= low, CustomerNameToken.token < high)


def _by_name(query: str, kind: str | None, limit: int) -> list[Customer]:
    ids = named_ids(query)
    if ids is None:
        return []
    stmt = select(Customer).where(Customer.id.in_(ids))
    if kind:
        stmt = stmt.where(Customer.kind == kind)
    return list(db.session.scalars(stmt.order_by(Customer.name_folded).limit(limit)))
