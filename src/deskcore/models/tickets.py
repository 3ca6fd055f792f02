"""Tickets and everything that happens on them: comments, history, time, commitments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Connection, Date, ForeignKey, Index, String, Table, Text, event, text
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


#: Columns most tickets leave empty; their indexes hold only the tickets that have a value.
SELDOM_SET = (
    "consultant_id",
    "topic_id",
    "serial_number",
    "order_ref",
    "payment_ref",
    "dispatch_ref",
    "closed_at",
)


def present_only(name: str, *columns: str) -> Index:
    """An index of the rows whose first column is set (a partial index).

    Opening a ticket then writes no entry in it: every index entry is a page SQLite writes to
    its log at commit, and a new ticket has none of these set. Lookups still use it: an
    equality or range on the column implies it is not null, on SQLite and PostgreSQL alike.
    """
    present = text(f"{columns[0]} IS NOT NULL")
    return Index(name, *columns, sqlite_where=present, postgresql_where=present)


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
        present_only(
            "ix_tickets_resolved_cover",
            "resolved_at",
            "received_at",
            "type_id",
            "assignee_id",
            "queue_id",
        ),
        *(present_only(f"ix_tickets_{column}", column) for column in SELDOM_SET),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    subject: Mapped[str] = mapped_column(String(200))
    symptom: Mapped[str] = mapped_column(Text, default="")
    type_id: Mapped[int] = mapped_column(ForeignKey("ticket_types.id"), index=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    channel: Mapped[str] = mapped_column(String(20), default=Channel.PHONE)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    estimated_close_on: Mapped[date | None] = mapped_column(Date)
    serial_number: Mapped[str | None] = mapped_column(String(80))
    order_ref: Mapped[str | None] = mapped_column(String(80))
    payment_ref: Mapped[str | None] = mapped_column(String(80))
    dispatch_ref: Mapped[str | None] = mapped_column(String(80))
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
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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


# -- the subject search index ---------------------------------------------------------------
# The ticket list's text filter finds words anywhere in a subject. ILIKE '%word%' reads every
# ticket, so each database keeps a trigram index the models cannot express; create_all builds
# it here and migration 0009 on existing desks (autogenerate leaves both alone, see migrate.py).

#: SQLite: an FTS5 trigram table over the subjects; its rowid is the ticket id and the text
#: stays in tickets (external content). Queried with MATCH, which folds case like ILIKE.
SUBJECT_FTS = "tickets_fts"
#: PostgreSQL: a pg_trgm GIN index, which ILIKE '%word%' uses as it is.
SUBJECT_TRGM_INDEX = "ix_tickets_subject_trgm"

SQLITE_SUBJECT_INDEX = (
    f"CREATE VIRTUAL TABLE {SUBJECT_FTS} USING fts5("
    "subject, content='tickets', content_rowid='id', tokenize='trigram')",
    # Only the subject: opening a ticket writes its trigrams and nothing else.
    f"CREATE TRIGGER {SUBJECT_FTS}_insert AFTER INSERT ON tickets BEGIN "
    f"INSERT INTO {SUBJECT_FTS}(rowid, subject) VALUES (new.id, new.subject); END",
    f"CREATE TRIGGER {SUBJECT_FTS}_delete AFTER DELETE ON tickets BEGIN "
    f"INSERT INTO {SUBJECT_FTS}({SUBJECT_FTS}, rowid, subject) "
    "VALUES ('delete', old.id, old.subject); END",
    f"CREATE TRIGGER {SUBJECT_FTS}_update AFTER UPDATE OF subject ON tickets "
    "WHEN old.subject IS NOT new.subject BEGIN "
    f"INSERT INTO {SUBJECT_FTS}({SUBJECT_FTS}, rowid, subject) "
    "VALUES ('delete', old.id, old.subject); "
    f"INSERT INTO {SUBJECT_FTS}(rowid, subject) VALUES (new.id, new.subject); END",
)


def postgresql_subject_index(connection: Connection) -> str:
    """The CREATE INDEX statement, after installing pg_trgm if the database lacks it.

    The operator class is named with the extension's schema: a connection whose search_path
    leaves that schema out (a desk in a schema of its own) still finds it.
    """
    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema = connection.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).scalar_one()
    return (
        f'CREATE INDEX {SUBJECT_TRGM_INDEX} ON tickets USING gin (subject "{schema}".gin_trgm_ops)'
    )


def _create_subject_index(target, connection: Connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_SUBJECT_INDEX:
            connection.exec_driver_sql(statement)
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(postgresql_subject_index(connection))


def _drop_subject_index(target, connection: Connection, **kw) -> None:
    # Dropping tickets drops its triggers and index, not the FTS table beside it.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SUBJECT_FTS}")


event.listen(Ticket.__table__, "after_create", _create_subject_index)
event.listen(Ticket.__table__, "after_drop", _drop_subject_index)


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
