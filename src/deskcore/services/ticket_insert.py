"""Writing a new ticket row with one INSERT … RETURNING instead of the ORM's flush.

The ORM's unit of work sorts every relationship of ``Ticket`` for one row, which cost more
than the rest of opening a ticket. The ticket object stays the ORM object hooks and the API
see: its columns come back from RETURNING and it joins the session as if just loaded, so
later changes to it are flushed as usual.
"""

from __future__ import annotations

from sqlalchemy import insert, inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.orm.interfaces import MANYTOONE

from ..extensions import db
from ..models import Ticket, ticket_links
from .unit_of_work import on_rollback

_TABLE = Ticket.__table__
_INSERT = insert(_TABLE).returning(*_TABLE.c)
_MAPPER = inspect(Ticket)
_COLUMNS = [(attr.key, attr.columns[0].key) for attr in _MAPPER.column_attrs]
_MANY_TO_ONE = [rel for rel in _MAPPER.relationships if rel.direction is MANYTOONE]


def insert_ticket(ticket: Ticket) -> None:
    """Insert ``ticket`` (new, with its related rows already in the database)."""
    state = inspect(ticket)
    values = _row_values(state)
    if values is None:  # something unusual (a hook added it, or a new related row): ORM
        db.session.add(ticket)
        db.session.flush()
        return
    connection = db.session.connection()
    row = connection.execute(_INSERT, values).one()._mapping
    # Written straight into the instance; make_transient_to_detached below then marks every
    # attribute as loaded, as set_committed_value would one by one (at several times the cost).
    instance_dict(ticket).update({attr: row[column] for attr, column in _COLUMNS})
    related = state.dict.get("related") or []
    if related:
        connection.execute(
            insert(ticket_links), [{"ticket_id": ticket.id, "related_id": r.id} for r in related]
        )
    make_transient_to_detached(ticket)
    db.session.add(ticket)
    # The ORM forgets the objects it inserted when their transaction rolls back; this one
    # joined as if loaded, so it is forgotten by hand (its id may be handed out again).
    on_rollback(lambda: _forget(ticket))


def _forget(ticket: Ticket) -> None:
    if ticket in db.session:
        db.session.expunge(ticket)


def _row_values(state) -> dict | None:
    if not state.transient:
        return None
    values = {}
    for rel in _MANY_TO_ONE:
        if rel.key not in state.dict:
            continue
        target = state.dict[rel.key]
        if target is not None and not inspect(target).has_identity:
            return None
        for local, remote in rel.local_remote_pairs:
            values[local.key] = None if target is None else getattr(target, remote.key)
    for attr_key, column_key in _COLUMNS:
        if attr_key in state.dict:
            values[column_key] = state.dict[attr_key]
    for target in state.dict.get("related") or []:
        if not inspect(target).has_identity:
            return None
    return values
