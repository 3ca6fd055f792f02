"""One transaction per domain operation: commit once on success, roll back everything on error."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from ..database import current_write_lock, write_lock, writing
from ..errors import ValidationError
from ..extensions import db

log = logging.getLogger("deskcore.services")
__all__ = ["after_commit", "on_rollback", "schema_instance", "unit_of_work", "validate", "writing"]
_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "deskcore_after_commit", default=None
)
_on_rollback: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "deskcore_on_rollback", default=None
)
#: (data, schema, partial, values) of the last ``validate(..., keep=True)``.
_kept: ContextVar[tuple | None] = ContextVar("deskcore_kept_validation", default=None)
#: ``session.info`` key of the request's authenticated user: kept loaded across the commit
#: that ends the request's read transaction (reloading it would cost a query per request).
PRINCIPAL = "deskcore_principal"


@contextmanager
def unit_of_work(*, defer_lock: bool = False) -> Iterator[None]:
    """Run the block in one transaction; nested units join the outer one.

    Work outside the database (search index, email) is registered with ``after_commit`` and
    runs only once the transaction is committed.

    On SQLite, writers take turns on a write lock (``deskcore.database.WriteLock``), taken
    when the unit begins. With ``defer_lock`` it is taken at the unit's first write instead,
    so its reads run beside another worker's writes; they may then miss that worker's
    latest commit, as under PostgreSQL's READ COMMITTED. Only for work whose reads merely
    check what it refers to (opening a ticket), never for work that changes what it read.
    A nested unit without ``defer_lock`` takes the lock when it begins.
    """
    if writing.get():
        if not defer_lock:
            _take_write_lock()
        yield
        return
    session = db.session()  # the scoped session's Session for this app context
    if session.in_transaction():
        # End the read transaction the request started (loading the user, say) so the
        # write transaction begins fresh.
        _end_read_transaction(session)
    lock = write_lock(session.get_bind())
    tokens = writing.set(True), current_write_lock.set(lock)
    callbacks: list[Callable[[], None]] = []
    undo: list[Callable[[], None]] = []
    callbacks_token, undo_token = _after_commit.set(callbacks), _on_rollback.set(undo)
    try:
        if not defer_lock:
            lock.take()
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            for callback in undo:
                callback()
            raise
        finally:
            lock.release()
    finally:
        writing.reset(tokens[0])
        current_write_lock.reset(tokens[1])
        _after_commit.reset(callbacks_token)
        _on_rollback.reset(undo_token)
    _run_committed(callbacks)


def _take_write_lock() -> None:
    """Take the running unit's write lock now, if it deferred it and has not written yet."""
    lock = current_write_lock.get()
    if lock is not None and not lock.held:
        lock.take(db.session.connection())


def _run_committed(callbacks: list[Callable[[], None]]) -> None:
    """Each callback runs even if an earlier one failed: the data is committed either way,
    so a failure is logged for the admin, never turned into an error for the caller."""
    for callback in callbacks:
        try:
            callback()
        except Exception:
            log.exception("after-commit callback %r failed; the transaction stays committed",
                          callback)  # fmt: skip


def _end_read_transaction(session) -> None:
    """Commit; everything read is expired as usual, except the authenticated user."""
    principal = session.info.get(PRINCIPAL)
    if principal is None or session.new or session.dirty or session.deleted:
        session.commit()
        return
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    for obj in list(session.identity_map.values()):
        if obj is not principal:
            session.expire(obj)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work has committed (now, outside one)."""
    callbacks = _after_commit.get()
    if callbacks is None:
        callback()
    else:
        callbacks.append(callback)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the current unit of work rolls back (tidy the session, say)."""
    undo = _on_rollback.get()
    if undo is not None:
        undo.append(callback)


def validate(schema: type[Schema], data, *, partial: bool = False, keep: bool = False) -> dict:
    """Load ``data`` with ``schema``; bad input raises our ValidationError with field messages.

    With ``keep``, the next ``validate`` of this very object with the same schema returns
    this result instead of loading again: an API route checks its body before calling the
    service, which validates the same body with the same schema.
    """
    kept = _kept.get()
    if kept is not None and kept[0] is data and kept[1] is schema and kept[2] is partial:
        _kept.set(None)
        return kept[3]
    try:
        values = schema_instance(schema).load(data if data is not None else {}, partial=partial)
    except SchemaError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ValidationError(messages) from None
    _kept.set((data, schema, partial, values) if keep else None)
    return values


def forget_validation() -> None:
    """Drop a result kept by ``validate(..., keep=True)`` that nobody used."""
    _kept.set(None)


@functools.lru_cache(maxsize=256)
def schema_instance(schema: type[Schema]) -> Schema:
    """One instance per schema class: building one copies every field; loading and dumping
    change none (the API's response schemas share it too)."""
    return schema()
