"""Rows as ORM objects without the ORM's query machinery, for the paths every request takes.

A ``session.get`` or an ORM ``select`` compiles, caches and post-processes far more than a
one-row lookup needs. These read the columns with one plain, precompiled SELECT and let the
row join the session exactly as the ORM's loader would, so later changes flush as usual.

    column_values(model, row) -> dict       the column attributes of ``row``
    attach(model, columns) -> object        the session's row for these columns, no query
    load_by_id(model, row_id) -> object | None
"""

from __future__ import annotations

import functools

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.base import instance_state

from ..extensions import db


@functools.cache
def column_keys(model) -> tuple[str, ...]:
    return tuple(a.key for a in inspect(model).column_attrs)


@functools.cache
def columns_of(model) -> tuple:
    """The model's column objects, in ``column_keys`` order (to select them in Core)."""
    return tuple(a.columns[0] for a in inspect(model).column_attrs)


def column_values(model, row) -> dict:
    return {key: getattr(row, key) for key in column_keys(model)}


def attach(model, columns: dict):
    """The session's row for ``columns`` (which must hold every column), loaded or not;
    attributes of the session's copy that are not expired are left as they are."""
    session = db.session()
    key = session.identity_key(model, columns["id"])
    row = session.identity_map.get(key)
    if row is None:
        # What the ORM's loader does: a bare instance, its columns written straight in.
        row = model.__mapper__.class_manager.new_instance()
        instance_state(row).dict.update(columns)
        make_transient_to_detached(row)
        session.add(row)
    else:
        # A copy expired by an earlier commit is refreshed from these columns, not reloaded.
        for attr in inspect(row).expired_attributes & columns.keys():
            set_committed_value(row, attr, columns[attr])
    return row


def load_by_id(model, row_id: int):
    """``session.get`` for one row, cheaper: the session's copy if it has a fresh one, else
    its columns by a plain SELECT (no eager loads: a customer's phones load when used)."""
    session = db.session()
    row = session.identity_map.get(session.identity_key(model, row_id))
    if row is not None and not inspect(row).expired:
        return row
    found = session.connection().execute(_select_by_id(model), {"id": row_id}).first()
    if found is None:
        return None
    return attach(model, dict(zip(column_keys(model), found, strict=True)))


@functools.cache
def _select_by_id(model) -> Select:
    return select(*columns_of(model)).where(inspect(model).primary_key[0] == bindparam("id"))
