"""The dummy plugin's own table, to prove plugin data survives disable/enable."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from deskcore.extensions import db


class DummyNote(db.Model):
    __tablename__ = "dummy_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))


def notes(limit: int = 100, ticket_id: int | None = None) -> list[DummyNote]:
    """The oldest notes first, optionally those of one ticket."""
    stmt = select(DummyNote).order_by(DummyNote.id).limit(limit)
    if ticket_id is not None:
        stmt = stmt.where(DummyNote.ticket_id == ticket_id)
    return list(db.session.scalars(stmt))


def as_dict(note: DummyNote) -> dict:
    return {"id": note.id, "ticket_id": note.ticket_id, "text": note.text}
