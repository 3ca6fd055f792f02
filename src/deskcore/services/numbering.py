"""Gapless human numbers (tickets, warranty claims, invoices).

The counter row is incremented inside the caller's unit of work: it stays locked until that
transaction ends, so concurrent callers wait in turn, and a rollback returns the number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Sequence


def next_number(name: str) -> int:
    """The next number of sequence ``name`` (created at 0 on first use)."""
    bump = (
        update(Sequence)
        .where(Sequence.name == name)
        .values(last_value=Sequence.last_value + 1)
        .returning(Sequence.last_value)
        .execution_options(synchronize_session=False)
    )
    number = db.session.execute(bump).scalar_one_or_none()
    if number is None:
        ensure_sequence(name)
        number = db.session.execute(bump).scalar_one()
    return number


def ensure_sequence(name: str, start_after: int = 0) -> None:
    """Create sequence ``name`` if missing; a concurrent creator wins harmlessly."""
    try:
        with db.session.begin_nested():
            db.session.add(Sequence(name=name, last_value=start_after))
    except IntegrityError:
        pass
