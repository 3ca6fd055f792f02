"""An agent's own profile: name, language and password (the current one is asked first)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from ..config import LANGUAGES
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import User
from ..schemas import BaseSchema
from .unit_of_work import unit_of_work
from .unit_of_work import validate as validate_with


class ProfileSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    # Blank means "follow the browser's language".
    locale = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(LANGUAGES))


class PasswordChangeSchema(BaseSchema):
    keep_spaces = frozenset({"current_password", "new_password"})

    current_password = fields.String(required=True)
    new_password = fields.String(required=True, validate=validate.Length(min=8, max=200))


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("user %(id)s not found", id=user_id))
    return user


def update_profile(user_id: int, data: dict) -> User:
    """Change the agent's display name and language."""
    values = validate_with(ProfileSchema, data)
    with unit_of_work():
        user = _user(user_id)
        user.name = values["name"]
        user.locale = values["locale"]
    return user


def change_password(user_id: int, data: dict) -> User:
    """Set a new password, only when the current one is right."""
    values = validate_with(PasswordChangeSchema, data)
    with unit_of_work():
        user = _user(user_id)
        if not user.check_password(values["current_password"]):
            raise ValidationError({"current_password": [_l("the current password is wrong")]})
        user.set_password(values["new_password"])
    return user
