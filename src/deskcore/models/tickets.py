"""Tickets and everything that happens on them: comments, history, time, commitments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import UTCDateTime, created_at, utcnow
from .classifications import CommitmentType, Priority, Status, TicketType, Topic
from .customers import Customer
from .users import Queue, User


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    VISIT = "visit"


class Coverage(StrEnum):
    """How a ticket is paid for; invoicing and reports read only this."""

    WARRANTY = "warranty"
    CONTRACT = "contract"
    COURTESY = "courtesy"
    BILLABLE = "billable"


ticket_links = Table(
    "ticket_links",
    db.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "related_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Ticket(db.Model):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_received", "status_id", "received_at"),
        # The list's default order is newest number first: filter by status, read in order.
        Index("ix_tickets_status_number", "status_id", "number"),
        Index("ix_tickets_customer_received", "customer_id", "received_at"),
        Index("ix_tickets_assignee_status", "assignee_id", "status_id"),
        Index("ix_tickets_queue_status", "queue_id", "status_id"),
        # Reports of tickets resolved in a period (resolution time, totals, the dashboard)
        # read every column they need from the index, not from 200,000 table rows.
        Index(
            "ix_tickets_resolved_cover",
            "resolved_at",
            "received_at",
            "type_id",
            "assignee_id",
            "queue_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    symptom: Mapped[str] = mapped_column(Text, default="")
    type_id: Mapped[int] = mapped_column(ForeignKey("ticket_types.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default=Channel.PHONE)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    estimated_close_on: Mapped[date | None] = mapped_column(Date)
    serial_number: Mapped[str | None] = mapped_column(String(80), index=True)
    order_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    payment_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    dispatch_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    diagnosis: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    coverage: Mapped[str] = mapped_column(String(20), default=Coverage.BILLABLE, index=True)
    coverage_plugin: Mapped[str] = mapped_column(String(80), default="core")
    coverage_reason: Mapped[str] = mapped_column(String(300), default="")
    coverage_overridden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    customer: Mapped[Customer] = relationship(foreign_keys=[customer_id])
    consultant: Mapped[Customer | None] = relationship(foreign_keys=[consultant_id])
    type: Mapped[TicketType] = relationship()
    priority: Mapped[Priority] = relationship()
    status: Mapped[Status] = relationship()
    topic: Mapped[Topic | None] = relationship()
    entered_by: Mapped[User] = relationship(foreign_keys=[entered_by_id])
    queue: Mapped[Queue | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    related: Mapped[list[Ticket]] = relationship(
        secondary=ticket_links,
        primaryjoin=lambda: Ticket.id == ticket_links.c.ticket_id,
        secondaryjoin=lambda: Ticket.id == ticket_links.c.related_id,
        order_by=lambda: Ticket.number,
    )

    def __repr__(self) -> str:
        return f"<Ticket #{self.number}>"


class Visibility(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.INTERNAL)
    created_at: Mapped[datetime] = created_at()

    author: Mapped[User | None] = relationship()


class HistoryEvent(db.Model):
    """One recorded change of a ticket: who, when, what, old value and new value."""

    __tablename__ = "history_events"
    __table_args__ = (
        Index("ix_history_events_ticket", "ticket_id", "id"),
        # The waiting-time reports read status changes made in a period.
        Index("ix_history_events_field_created", "field", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The plugin that made the change, when one did ("core" otherwise).
    source: Mapped[str] = mapped_column(String(80), default="core")
    action: Mapped[str] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()

    actor: Mapped[User | None] = relationship()


class TimeEntry(db.Model):
    __tablename__ = "time_entries"
    __table_args__ = (
        Index("ix_time_entries_agent_day", "agent_id", "spent_on"),
        # Reports of the time logged in a period by every agent.
        Index("ix_time_entries_spent_on", "spent_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    minutes: Mapped[int]
    spent_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at()

    agent: Mapped[User] = relationship()


class Commitment(db.Model):
    """Something promised on a ticket by a date: call back, visit, send a part."""

    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_open_due", "done", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("commitment_types.id"), index=True)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    ticket: Mapped[Ticket] = relationship()
    type: Mapped[CommitmentType] = relationship()
    responsible: Mapped[User] = relationship(foreign_keys=[responsible_id])
    due_changes: Mapped[list[CommitmentDueChange]] = relationship(
        back_populates="commitment", order_by="CommitmentDueChange.id"
    )


class CommitmentDueChange(db.Model):
    """Every change of a commitment's due date, for the commitment-date report."""

    __tablename__ = "commitment_due_changes"
    # The commitment-date report lists the changes made in a period.
    __table_args__ = (Index("ix_commitment_due_changes_changed_at", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    old_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    new_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    changed_at: Mapped[datetime] = created_at()

    commitment: Mapped[Commitment] = relationship(back_populates="due_changes")
