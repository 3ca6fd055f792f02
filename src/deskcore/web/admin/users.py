"""Admin pages for users: create, change role, deactivate or activate, reset the password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ...errors import DeskcoreError
from ...extensions import db
from ...models import User
from ...services import users as user_service
from ..forms import field_errors, pick
from . import bp


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _page(errors: dict | None = None, status: int = 200):
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.name))
    return render_template(
        "desk/admin/users.html",
        users=list(users),
        form=request.form if errors else {"role": "agent"},
        errors=errors or {},
    ), status


@bp.get("/users/")
def users():
    return _page()


@bp.post("/users/")
def create_user():
    data = pick(request.form, ("name", "email", "role", "locale"))
    data["password"] = request.form.get("password", "")
    try:
        user = user_service.create_user(data)
    except DeskcoreError as exc:
        return _page(field_errors(exc), 400)
    flash(_("User %(email)s created.", email=user.email), "ok")
    return redirect(url_for("admin.users"))


def _run(operation, message: str):
    """One user change: flash its result (or why it was refused) and go back to the list."""
    try:
        operation()
    except DeskcoreError as exc:
        flash(str(exc), "danger")
    else:
        flash(message, "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):
    user = _user(user_id)
    role = request.form.get("role", "")
    return _run(
        lambda: user_service.set_role(user.email, role),
        _("%(email)s is now %(role)s.", email=user.email, role=role),
    )


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    user = _user(user_id)
    if request.form.get("active") == "1":
        return _run(lambda: user_service.activate_user(user.email), _("User activated."))
    return _run(lambda: user_service.deactivate_user(user.email), _("User deactivated."))


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    user = _user(user_id)
    password = request.form.get("password", "")
    return _run(
        lambda: user_service.reset_password(user.email, password),
        _("Password of %(email)s reset.", email=user.email),
    )
