"""The warranty plugin's tables, all prefixed ``warranty_``: the products we sell, the units
sold to customers, warranty causes, claims and the order each claim is registered as."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskcore.extensions import db
from deskcore.models import Customer, Ticket, User, utcnow
from deskcore.models._types import UTCDateTime

#: Money: twelve digits, two of them cents. Never a float.
Money = Numeric(12, 2)


class ClaimKind(StrEnum):
    """The four cases of the requirement: trade-in, defect return, misuse damage, exchange."""

    TRADE_IN = "trade_in"
    DEFECT_RETURN = "defect_return"
    MISUSE_DAMAGE = "misuse_damage"
    EXCHANGE = "exchange"


class ClaimStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMPLETED = "completed"


def claim_label(number: int) -> str:
    """How people name a claim: "W-12"."""
    return f"W-{number}"


def order_label(number: int) -> str:
    return f"WO-{number}"


class Product(db.Model):
    """A product of the catalogue and the warranty its units are sold with."""

    __tablename__ = "warranty_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    warranty_months: Mapped[int]
    list_price: Mapped[Decimal] = mapped_column(Money)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Product {self.code}>"


class Unit(db.Model):
    """One unit sold to a customer, identified by its serial number.

    ``warranty_until`` is fixed at the sale (sale date plus the product's months then), so a
    later change of the catalogue never shortens a warranty already sold, and reports and
    badges compare dates in SQL.
    """

    __tablename__ = "warranty_units"
    __table_args__ = (Index("ix_warranty_units_customer_until", "customer_id", "warranty_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("warranty_products.id"), index=True)
    serial_number: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    sale_date: Mapped[date] = mapped_column(Date)
    sale_price: Mapped[Decimal] = mapped_column(Money)
    order_ref: Mapped[str] = mapped_column(String(80), default="")
    warranty_until: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship()
    product: Mapped[Product] = relationship()

    def __repr__(self) -> str:
        return f"<Unit {self.serial_number}>"


class Cause(db.Model):
    """A warranty cause agents pick on a claim ("does not power on", "broken screen" …)."""

    __tablename__ = "warranty_causes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Claim(db.Model):
    """A warranty claim: its own consecutive number, on a ticket, for a unit or a serial."""

    __tablename__ = "warranty_claims"
    __table_args__ = (Index("ix_warranty_claims_kind_claimed", "kind", "claimed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_units.id"), index=True)
    serial_number: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    cause_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_causes.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    claimed_on: Mapped[date] = mapped_column(Date)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ClaimStatus.OPEN, index=True)
    # Whether the warranty covers it: decided for defect returns and misuse damage only.
    covered: Mapped[bool | None]
    coverage_note: Mapped[str] = mapped_column(String(200), default="")
    # Trade-in: the amount the agent entered for a unit we never sold, the share applied.
    declared_value: Mapped[Decimal | None] = mapped_column(Money)
    trade_in_share: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))
    credit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship()
    customer: Mapped[Customer] = relationship()
    unit: Mapped[Unit | None] = relationship()
    cause: Mapped[Cause | None] = relationship()
    agent: Mapped[User] = relationship()
    order: Mapped[Order] = relationship(back_populates="claim", uselist=False)

    @property
    def label(self) -> str:
        return claim_label(self.number)

    def __repr__(self) -> str:
        return f"<Claim {self.label}>"


class Order(db.Model):
    """The order a claim is registered as, for the sales side (a company or invoicing plugin)."""

    __tablename__ = "warranty_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("warranty_claims.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    credit: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="order")
    customer: Mapped[Customer] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.position", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return order_label(self.number)

    @property
    def status(self) -> str:
        """An order stands or falls with its claim: open, approved, rejected or completed."""
        return self.claim.status


class OrderLine(db.Model):
    """A line of a warranty order: the item handed in, the value it counts for, the credit."""

    __tablename__ = "warranty_order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("warranty_orders.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_products.id"))
    description: Mapped[str] = mapped_column(String(300))
    serial_number: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(default=1)
    value: Mapped[Decimal | None] = mapped_column(Money)
    credit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product | None] = relationship()
