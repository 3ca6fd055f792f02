"""Customers and consultants, with the normalised keys that make caller lookup instant."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, created_at, search_key, utcnow


class CustomerKind(StrEnum):
    CUSTOMER = "customer"
    CONSULTANT = "consultant"


class Customer(db.Model):
    __tablename__ = "customers"
    # Consultant pickers list one kind in name order: read in index order, never sorted.
    __table_args__ = (Index("ix_customers_kind_name", "kind", "name_folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=CustomerKind.CUSTOMER)
    name: Mapped[str] = mapped_column(String(200))
    # Folded (lower case, no accents) for sorting and prefix search on the whole name.
    name_folded: Mapped[str] = mapped_column(search_key(200), index=True)
    national_id: Mapped[str | None] = mapped_column(String(40))
    # Only digits and letters, upper case: "12.345.678-k" and "12345678K" are one ID.
    national_id_key: Mapped[str | None] = mapped_column(search_key(40), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    phones: Mapped[list[Phone]] = relationship(
        back_populates="customer",
        cascade="all, delete-orphan",
        order_by="Phone.id",
        lazy="selectin",
    )
    name_tokens: Mapped[list[CustomerNameToken]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Customer {self.id} {self.name}>"


class Phone(db.Model):
    __tablename__ = "customer_phones"
    __table_args__ = (
        Index("ix_customer_phones_digits", "digits"),
        Index("ix_customer_phones_digits_reversed", "digits_reversed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(40), default="")
    digits: Mapped[str] = mapped_column(search_key(40))
    # Reversed digits turn "ends with" (a caller ID with or without country code) into an
    # indexable prefix range.
    digits_reversed: Mapped[str] = mapped_column(search_key(40))

    customer: Mapped[Customer] = relationship(back_populates="phones")


class CustomerNameToken(db.Model):
    """One row per folded word of a customer's name: "perez ju" finds "Juan Pérez" by index."""

    __tablename__ = "customer_name_tokens"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(search_key(100), primary_key=True, index=True)
