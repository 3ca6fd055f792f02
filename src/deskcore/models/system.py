"""Deployment state: gapless number sequences and the enabled plugin set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._types import UTCDateTime, utcnow


class Sequence(db.Model):
    """A named counter handing out human numbers (tickets, claims, invoices) without gaps."""

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class PluginState(db.Model):
    """Whether a plugin is enabled in this deployment, and its settings. Installed ≠ enabled."""

    __tablename__ = "plugin_states"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
