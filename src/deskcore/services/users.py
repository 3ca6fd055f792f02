"""Agents and their roles: create, change role, deactivate, reset password, log in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import Conflict, NotFound, ValidationError
from ..extensions import db
from ..models import Role, User, utcnow
from ..schemas import UserSchema
from .unit_of_work import unit_of_work, validate


def get_user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").lower()))
    if user is None:
        raise NotFound(_l("no user with email %(email)s", email=email))
    return user


def create_user(data: dict) -> User:
    values = validate(UserSchema, data)
    with unit_of_work():
        email = values["email"].lower()
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            raise ValidationError(
                {"email": [_l("a user with email %(email)s already exists", email=email)]}
            )
        user = User(name=values["name"], email=email, role=values["role"], locale=values["locale"])
        user.set_password(values["password"])
        db.session.add(user)
    return user


def set_role(email: str, role: str) -> User:
    if role not in {r.value for r in Role}:
        raise ValidationError({"role": [_l("must be one of %(choices)s", choices=", ".join(Role))]})
    with unit_of_work():
        user = get_user_by_email(email)
        if user.role == Role.ADMIN and role != Role.ADMIN:
            _keep_an_admin(user)
        user.role = role
    return user


def deactivate_user(email: str) -> User:
    """Deactivated users cannot log in; their tickets and history stay."""
    with unit_of_work():
        user = get_user_by_email(email)
        if user.role == Role.ADMIN:
            _keep_an_admin(user)
        user.active = False
    return user


def activate_user(email: str) -> User:
    with unit_of_work():
        user = get_user_by_email(email)
        user.active = True
    return user


def reset_password(email: str, password: str) -> User:
    values = validate(UserSchema, {"password": password}, partial=True)
    with unit_of_work():
        user = get_user_by_email(email)
        user.set_password(values["password"])
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    try:
        user = get_user_by_email(email)
    except NotFound:
        return None
    if not user.active or not user.check_password(password or ""):
        return None
    with unit_of_work():
        user.last_login_at = utcnow()
    return user


def _keep_an_admin(user: User) -> None:
    others = db.session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        raise Conflict(_l("%(email)s is the last active admin", email=user.email))
