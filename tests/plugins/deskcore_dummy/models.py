"""The dummy plugin's own table, to prove plugin data survives disable/enable."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from deskcore.extensions import db


class DummyNote(db.Model):
    __tablename__ = "dummy_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(200))
