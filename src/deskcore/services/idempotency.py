"""Idempotent creation: a client that retries a POST with the same key gets the first answer.

The key is stored in the same transaction as what the request created, so after a crash
either both exist or neither does; two concurrent requests with one key cannot both create,
because the second one's insert of the key fails on the unique (user, key) constraint and it
then replays what the first one stored.

A key lives ``DESKCORE_IDEMPOTENCY_KEY_HOURS`` (24 by default): after that it is a new key
again. Expired keys are deleted by the requests themselves, at most once a minute per worker
and at most ``PRUNE_BATCH`` at a time (oldest first, by the index on ``created_at``).

    run_once(user: User, key: str, fingerprint: str, create) -> tuple[int, dict, bool]
        ``create()`` runs inside the unit of work and returns ``(status, body)``; the result
        is ``(status, body, replayed)``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..errors import DeskcoreError, ValidationError
from ..extensions import db
from ..models import IdempotencyKey, User, utcnow
from .unit_of_work import unit_of_work

MAX_KEY_LENGTH = 255
DEFAULT_LIFETIME_HOURS = 24
#: Seconds between two prunes in one worker, and the most keys one prune deletes.
PRUNE_EVERY_SECONDS = 60
PRUNE_BATCH = 1000


class KeyReused(DeskcoreError):
    """The key was already used for a different request."""

    status = 422


def check_key(key: str) -> str:
    """Keys are 1 to 255 visible ASCII characters (a UUID, say)."""
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all("!" <= c <= "~" for c in key):
        raise ValidationError(
            {"Idempotency-Key": [_l("1 to %(n)s visible ASCII characters", n=MAX_KEY_LENGTH)]},
            "invalid Idempotency-Key header",
        )
    return key


def fingerprint(method: str, path: str, body) -> str:
    """What makes two requests "the same": method, path and the JSON body, key order aside."""
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def run_once(
    user: User, key: str, fingerprint: str, create: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run ``create`` unless ``user`` already used ``key``; then answer what it answered."""
    cutoff = utcnow() - lifetime()
    stored = _stored(user.id, key)
    if stored is not None and stored.created_at >= cutoff:
        return _replay(stored, fingerprint)
    expired_id = stored.id if stored is not None else None
    try:
        with unit_of_work():
            if expired_id is not None:
                db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == expired_id))
            _prune_now_and_then(cutoff)
            record = IdempotencyKey(
                user_id=user.id, key=key, fingerprint=fingerprint, status=0, body={}
            )
            db.session.add(record)
            # Claims the key first: a concurrent twin waits here (PostgreSQL) or never got
            # this far (SQLite's write lock), then fails on the unique constraint.
            db.session.flush()
            record.status, record.body = create()
            status, body = record.status, record.body
    except IntegrityError:
        stored = _stored(user.id, key)
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return status, body, False


def lifetime() -> timedelta:
    """How long a key is remembered (``DESKCORE_IDEMPOTENCY_KEY_HOURS``)."""
    return timedelta(
        hours=current_app.config.get("DESKCORE_IDEMPOTENCY_KEY_HOURS", DEFAULT_LIFETIME_HOURS)
    )


def prune(cutoff: datetime, limit: int = PRUNE_BATCH) -> int:
    """Delete up to ``limit`` keys created before ``cutoff``, oldest first; returns how many."""
    oldest = (
        select(IdempotencyKey.id)
        .where(IdempotencyKey.created_at < cutoff)
        .order_by(IdempotencyKey.created_at)
        .limit(limit)
    )
    deleted = db.session.execute(
        delete(IdempotencyKey)
        .where(IdempotencyKey.id.in_(oldest))
        .execution_options(synchronize_session=False)
    )
    return deleted.rowcount


def _prune_now_and_then(cutoff: datetime) -> None:
    """Prune in this unit of work if this worker has not done so for a minute."""
    state = current_app.extensions.setdefault("deskcore_idempotency", {})
    now = time.monotonic()
    last = state.get("pruned_at")
    if last is None or now - last >= PRUNE_EVERY_SECONDS:
        state["pruned_at"] = now
        prune(cutoff, PRUNE_BATCH)


def _stored(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )


def _replay(stored: IdempotencyKey, fingerprint: str) -> tuple[int, dict, bool]:
    if stored.fingerprint != fingerprint:
        raise KeyReused(_l("this Idempotency-Key was used for a different request"))
    return stored.status, stored.body, True
