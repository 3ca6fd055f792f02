"""Roles on routes: each blueprint declares the least role its pages accept."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, abort
from flask_login import current_user

from ..models import Role


def require_role(bp: Blueprint, role: Role) -> None:
    """Refuse (403) every route of ``bp`` to users below ``role``; anonymous users log in."""

    @bp.before_request
    def _check_role():
        if current_user.is_authenticated and not current_user.has_role(role):
            abort(403)


def role_required(role: Role) -> Callable:
    """The same check for one view, when a page needs more than its blueprint does."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def public(view: Callable) -> Callable:
    """Let anonymous visitors open this view (a health probe, a webhook, a customer-facing
    form a plugin serves). Everything else needs a logged-in user."""
    view.deskcore_public = True
    return view


def is_public(view: Callable | None) -> bool:
    return bool(getattr(view, "deskcore_public", False))
