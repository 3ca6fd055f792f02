"""Admin-editable classifications: ticket types, priorities, statuses, topics, commitment types."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Classification:
    """Columns every classification shares: a label, an order and an active flag."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class TicketType(Classification, db.Model):
    __tablename__ = "ticket_types"
    is_default: Mapped[bool] = mapped_column(default=False)


class Priority(Classification, db.Model):
    __tablename__ = "priorities"
    is_default: Mapped[bool] = mapped_column(default=False)


class Topic(Classification, db.Model):
    __tablename__ = "topics"


class CommitmentType(Classification, db.Model):
    __tablename__ = "commitment_types"


class StatusCategory(StrEnum):
    OPEN = "open"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_finished(self) -> bool:
        """Resolved and closed tickets need a resolution and are reopened to work on again."""
        return self in (StatusCategory.RESOLVED, StatusCategory.CLOSED)


status_transitions = Table(
    "status_transitions",
    db.metadata,
    Column("from_id", ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True),
    Column("to_id", ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True),
)


class Status(Classification, db.Model):
    """A ticket status; its category decides what the desk does with it."""

    __tablename__ = "statuses"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    is_default: Mapped[bool] = mapped_column(default=False)

    next_statuses: Mapped[list[Status]] = relationship(
        secondary=status_transitions,
        primaryjoin=lambda: Status.id == status_transitions.c.from_id,
        secondaryjoin=lambda: Status.id == status_transitions.c.to_id,
        order_by=lambda: Status.position,
    )

    @property
    def category_enum(self) -> StatusCategory:
        return StatusCategory(self.category)
