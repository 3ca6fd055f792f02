"""Bearer-token authentication for every route under /api/v1 (plugin routes included)."""

from __future__ import annotations

from flask import g, request

from ..errors import PermissionDenied
from ..extensions import db
from ..models import Role, User
from ..services.tokens import authenticate_token
from ..services.unit_of_work import PRINCIPAL
from .errors import is_api_request, unauthorized

#: Served without a token so clients and tools can discover the API.
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})


def authenticate():
    """``before_request``: the token's user becomes ``current_user()``, or the answer is 401."""
    if not is_api_request() or request.path in PUBLIC_PATHS:
        return None
    g.pop("deskcore_api_user", None)
    session = db.session()
    session.info.pop(PRINCIPAL, None)
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    user = authenticate_token(secret.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return unauthorized(token_given=bool(secret.strip()))
    g.deskcore_api_user = user
    session.info[PRINCIPAL] = user
    return None


def current_user() -> User:
    """The user the request's token belongs to."""
    return g.deskcore_api_user


def require(role: Role) -> User:
    """The current user, if their role is at least ``role`` (the UI's rule); 403 otherwise."""
    user = current_user()
    if not user.has_role(role):
        raise PermissionDenied(f"this needs the {role.value} role; you are {user.role}")
    return user
