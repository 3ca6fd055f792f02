"""Personal API tokens: created, listed and revoked by the CLI and the profile page.

A token is ``dk_`` plus 43 random URL-safe characters (256 bits). Only its SHA-256 is kept,
so a leaked database leaks no usable token; the first characters are kept as ``prefix`` so
people can tell their tokens apart. The secret is shown once, when it is created.

    create_token(user: User, name: str = "") -> tuple[ApiToken, str]
        A new token for ``user``; returns the row and the secret (show it once, never store it).
    list_tokens(user: User | None = None, *, include_revoked: bool = True) -> list[ApiToken]
        ``user``'s tokens (everyone's when None), newest first.
    revoke_token(token_id: int, user: User | None = None) -> ApiToken
        Revoke a token for good. With ``user``, only one of their own tokens (NotFound
        otherwise, so nobody learns other people's token ids). Revoking twice is harmless.
    authenticate_token(secret: str) -> User | None
        The active user a live token belongs to, or None; notes when it was last used.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import ApiToken, User, utcnow
from .rows import attach, column_keys, columns_of
from .unit_of_work import unit_of_work

TOKEN_PREFIX = "dk_"
#: Characters of the secret kept in clear to tell tokens apart ("dk_" and 8 more).
DISPLAY_LENGTH = len(TOKEN_PREFIX) + 8
MAX_NAME_LENGTH = 120
#: ``last_used_at`` is refreshed at most this often: a write per request would cost more
#: than the request itself.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: the row and the secret, which is never shown again."""
    name = (name or "").strip()
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError({"name": [_l("at most %(n)s characters", n=MAX_NAME_LENGTH)]})
    if not user.active:
        raise ValidationError({"user": [_l("%(email)s is deactivated", email=user.email)]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work():
        token = ApiToken(
            user_id=user.id,
            name=name,
            prefix=secret[:DISPLAY_LENGTH],
            token_hash=hash_token(secret),
        )
        db.session.add(token)
    return token, secret


def list_tokens(user: User | None = None, *, include_revoked: bool = True) -> list[ApiToken]:
    """``user``'s tokens, or everyone's, newest first."""
    stmt = select(ApiToken).order_by(ApiToken.id.desc())
    if user is not None:
        stmt = stmt.where(ApiToken.user_id == user.id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked.is_(False))
    return list(db.session.scalars(stmt))


def revoke_token(token_id: int, user: User | None = None) -> ApiToken:
    """Revoke a token; with ``user``, only one of theirs."""
    with unit_of_work():
        token = db.session.get(ApiToken, token_id)
        if token is None or (user is not None and token.user_id != user.id):
            raise NotFound(_l("token %(id)s not found", id=token_id))
        token.revoked = True
    return token


def authenticate_token(secret: str) -> User | None:
    """The active owner of a live token, or None (never says which part was wrong)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    found = db.session.connection().execute(_TOKEN_OWNER, {"hash": hash_token(secret)}).first()
    if found is None:
        return None
    token_id, last_used_at, *columns = found
    user = attach(User, dict(zip(column_keys(User), columns, strict=True)))
    if not user.active:
        return None
    now = utcnow()
    if last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION:
        with unit_of_work():
            db.session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
    return user


# Precompiled once: every API request runs it (an ORM query costs several times more).
_TOKEN_OWNER = (
    select(ApiToken.id, ApiToken.last_used_at, *columns_of(User))
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("hash"), ApiToken.revoked.is_(False))
)
