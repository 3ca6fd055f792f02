"""Products, the units sold to customers and the warranty causes agents pick on a claim."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, joinedload

from deskcore.errors import NotFound, ValidationError
from deskcore.extensions import db
from deskcore.models import Customer
from deskcore.normalize import national_id_key
from deskcore.plugins import plugin_settings
from deskcore.schemas import storable
from deskcore.services.unit_of_work import unit_of_work, validate

from .. import rules
from ..models import Cause, Product, Unit
from ..schemas import CauseSchema, ProductSchema, UnitSchema

#: What a new deployment starts with; admins rename, reorder and retire them.
DEFAULT_CAUSES = (
    "Does not power on",
    "Intermittent failure",
    "Damaged on delivery",
    "Missing parts",
    "Wrong product delivered",
    "Customer changed their mind",
)
#: Values per IN list when looking up a batch.
CHUNK = 500
#: The length of serial number columns (core's tickets have the same).
SERIAL_LENGTH = 80


# -- products ---------------------------------------------------------------------------------


def get_product(code: str) -> Product:
    product = db.session.scalar(select(Product).where(Product.code == code))
    if product is None:
        raise NotFound(_l("product '%(code)s' not found", code=code))
    return product


def _already_exists(code: str):
    return _l("product '%(code)s' already exists", code=code)


def list_products(include_inactive: bool = True) -> list[Product]:
    stmt = select(Product).order_by(Product.code)
    if not include_inactive:
        stmt = stmt.where(Product.active.is_(True))
    return list(db.session.scalars(stmt))


def create_product(data: dict) -> Product:
    """Add a product to the catalogue; without months it gets the default warranty."""
    values = validate(ProductSchema, data)
    with unit_of_work():
        if db.session.scalar(select(Product.id).where(Product.code == values["code"])):
            raise ValidationError({"code": [_already_exists(values["code"])]})
        months = values["warranty_months"]
        if months is None:
            months = plugin_settings("warranty")["default_warranty_months"]
        product = Product(
            code=values["code"],
            name=values["name"],
            warranty_months=months,
            list_price=values["list_price"],
            active=values["active"],
        )
        db.session.add(product)
    return product


def update_product(code: str, data: dict) -> Product:
    """Change a product; units already sold keep the warranty they were sold with."""
    values = validate(ProductSchema, data, partial=True)
    with unit_of_work():
        product = get_product(code)
        new_code = values.get("code", product.code)
        if new_code != product.code and db.session.scalar(
            select(Product.id).where(Product.code == new_code)
        ):
            raise ValidationError({"code": [_already_exists(new_code)]})
        for key, value in values.items():
            if value is not None:
                setattr(product, key, value)
    return product


# -- units sold -------------------------------------------------------------------------------


def serial_key(serial_number: str | None) -> str | None:
    """A serial number as stored (no surrounding spaces), or None when no row can hold it:
    blank, too long, or with characters a database column cannot store (from a URL, say)."""
    serial = (serial_number or "").strip()
    if not serial or len(serial) > SERIAL_LENGTH or not storable(serial):
        return None
    return serial


def find_unit(serial_number: str | None) -> Unit | None:
    """The unit we sold with this serial number, if any."""
    serial = serial_key(serial_number)
    if serial is None:
        return None
    return db.session.scalar(select(Unit).where(Unit.serial_number == serial))


def get_unit(serial_number: str) -> Unit:
    unit = find_unit(serial_number)
    if unit is None:
        raise NotFound(_l("no unit sold with serial number '%(serial)s'", serial=serial_number))
    return unit


def new_unit(values: dict, customer_id: int, product: Product) -> Unit:
    """A unit from validated input; its warranty is the product's, counted from the sale."""
    price = values["sale_price"]
    return Unit(
        customer_id=customer_id,
        product_id=product.id,
        serial_number=values["serial_number"],
        sale_date=values["sale_date"],
        sale_price=product.list_price if price is None else price,
        order_ref=values["order_ref"] or "",
        warranty_until=rules.warranty_until(values["sale_date"], product.warranty_months),
    )


def register_unit(data: dict) -> Unit:
    """Record one unit sold to a customer."""
    values = validate(UnitSchema, data)
    with unit_of_work():
        product = products_by_code([values["product_code"]]).get(values["product_code"])
        if product is None:
            raise ValidationError({"product_code": [unknown_product(values["product_code"])]})
        customer_id = Buyers.lookup([values]).find(values)
        if find_unit(values["serial_number"]) is not None:
            raise ValidationError({"serial_number": [already_registered(values["serial_number"])]})
        unit = new_unit(values, customer_id, product)
        db.session.add(unit)
    return unit


def unknown_product(code: str):
    """The message for a product code the catalogue lacks (the form and the CSV import)."""
    return _l("unknown product '%(code)s'", code=code)


def already_registered(serial: str):
    """The message for a serial number a unit already has (the form and the CSV import)."""
    return _l("'%(serial)s' is already registered", serial=serial)


def chunks(values: Iterable) -> Iterator[list]:
    """Sorted distinct values in slices, so an IN list stays under every database's limit."""
    ordered = sorted(set(values))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def products_by_code(codes: Iterable[str]) -> dict[str, Product]:
    found: dict[str, Product] = {}
    for chunk in chunks(codes):
        found.update(
            (p.code, p) for p in db.session.scalars(select(Product).where(Product.code.in_(chunk)))
        )
    return found


@dataclass(frozen=True)
class Buyers:
    """The customers a batch of sales names, looked up together: by id or by national ID."""

    ids: frozenset[int]
    by_national_id: dict[str, list[int]]

    @classmethod
    def lookup(cls, batch: Iterable[dict]) -> Buyers:
        batch = list(batch)
        ids: set[int] = set()
        for chunk in chunks(v["customer_id"] for v in batch if v["customer_id"] is not None):
            ids.update(db.session.scalars(select(Customer.id).where(Customer.id.in_(chunk))))
        keys = {national_id_key(v["national_id"]) for v in batch if v["customer_id"] is None}
        by_key: dict[str, list[int]] = {}
        for chunk in chunks(keys - {None}):
            rows = db.session.execute(
                select(Customer.national_id_key, Customer.id).where(
                    Customer.national_id_key.in_(chunk)
                )
            )
            for key, customer_id in rows:
                by_key.setdefault(key, []).append(customer_id)
        return cls(frozenset(ids), by_key)

    def find(self, values: dict) -> int:
        """The buyer's id; a ValidationError on the field that names nobody (or several)."""
        if values["customer_id"] is not None:
            if values["customer_id"] not in self.ids:
                raise ValidationError(
                    {"customer_id": [_l("unknown customer %(id)s", id=values["customer_id"])]}
                )
            return values["customer_id"]
        found = self.by_national_id.get(national_id_key(values["national_id"]) or "", [])
        if len(found) != 1:
            given = values["national_id"]
            problem = (
                _l("no customer has national ID %(national_id)s", national_id=given)
                if not found
                else _l("several customers have national ID %(national_id)s", national_id=given)
            )
            raise ValidationError({"national_id": [problem]})
        return found[0]


def units_of_customer(customer_id: int, limit: int = 100) -> list[Unit]:
    """A customer's units, the most recently sold first, with their products."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.customer_id == customer_id)
            .join(Unit.product)
            .options(contains_eager(Unit.product))
            .order_by(Unit.sale_date.desc(), Unit.id.desc())
            .limit(limit)
        )
    )


def units_of_product(product_id: int, limit: int = 200) -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.product_id == product_id)
            .options(joinedload(Unit.customer))
            .order_by(Unit.sale_date.desc(), Unit.id.desc())
            .limit(limit)
        )
    )


def warranty_ends(customer_ids: list[int], on: date) -> dict[int, date]:
    """For each customer with a unit still under warranty ``on`` that day, the last day of
    the longest such warranty: one query for a whole page of customers."""
    if not customer_ids:
        return {}
    rows = db.session.connection().execute(_WARRANTY_ENDS, {"ids": customer_ids, "on": on})
    return dict(rows.tuples().all())


# Built once: it runs on every customer lookup, where the ORM's query cost more than the SQL.
_WARRANTY_ENDS = (
    select(Unit.customer_id, func.max(Unit.warranty_until))
    .where(
        Unit.customer_id.in_(bindparam("ids", expanding=True)),
        Unit.warranty_until >= bindparam("on"),
    )
    .group_by(Unit.customer_id)
)


# -- causes -----------------------------------------------------------------------------------


def list_causes(include_inactive: bool = False) -> list[Cause]:
    stmt = select(Cause).order_by(Cause.position, Cause.name)
    if not include_inactive:
        stmt = stmt.where(Cause.active.is_(True))
    return list(db.session.scalars(stmt))


def ensure_default_causes() -> None:
    """Seed the default causes once; causes an admin renamed or retired stay as they are."""
    if db.session.scalar(select(func.count(Cause.id))):
        return
    db.session.add_all(
        Cause(name=name, position=index) for index, name in enumerate(DEFAULT_CAUSES, 1)
    )


def save_cause(data: dict, cause_id: int | None = None) -> Cause:
    """Add a cause, or change one (name, order, active)."""
    values = validate(CauseSchema, data, partial=cause_id is not None)
    with unit_of_work():
        cause = Cause() if cause_id is None else db.session.get(Cause, cause_id)
        if cause is None:
            raise NotFound(_l("warranty cause %(id)s not found", id=cause_id))
        name = values.get("name", cause.name)
        clash = select(Cause.id).where(Cause.name == name)
        if cause.id is not None:
            clash = clash.where(Cause.id != cause.id)
        if db.session.scalar(clash):
            raise ValidationError({"name": [_l("cause '%(name)s' already exists", name=name)]})
        for key, value in values.items():
            setattr(cause, key, value)
        db.session.add(cause)
    return cause
