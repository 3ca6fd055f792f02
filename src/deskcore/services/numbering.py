"""Gapless human numbers (tickets, warranty claims, invoices).

The counter row is incremented inside the caller's unit of work: it stays locked until that
transaction ends, so concurrent callers wait in turn, and a rollback returns the number.
"""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Sequence

_SEQUENCES = Sequence.__table__
#: One statement takes the next number and locks the row (UPDATE … RETURNING: SQLite ≥ 3.35
#: and PostgreSQL); a plain Core statement, as no ORM object mirrors the counter.
_BUMP = (
    update(_SEQUENCES)
    .where(_SEQUENCES.c.name == bindparam("sequence"))
    .values(last_value=_SEQUENCES.c.last_value + 1)
    .returning(_SEQUENCES.c.last_value)
)


def next_number(name: str) -> int:
    """The next number of sequence ``name`` (created at 0 on first use)."""
    connection = db.session.connection()
    number = connection.execute(_BUMP, {"sequence": name}).scalar_one_or_none()
    if number is None:
        ensure_sequence(name)
        number = connection.execute(_BUMP, {"sequence": name}).scalar_one()
    return number


def ensure_sequence(name: str, start_after: int = 0) -> None:
    """Create sequence ``name`` if missing; a concurrent creator wins harmlessly."""
    try:
        with db.session.begin_nested():
            db.session.add(Sequence(name=name, last_value=start_after))
    except IntegrityError:
        pass
