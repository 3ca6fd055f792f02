"""The agent's own page: name, language, password and API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from ..errors import DeskcoreError
from ..models import Role
from ..services.profile import change_password, update_profile
from .access import require_role
from .forms import field_errors, pick

bp = Blueprint("profile", __name__, url_prefix="/profile")
require_role(bp, Role.AGENT)


def _page(section: str | None = None, errors: dict | None = None, status: int = 200):
    form = (
        request.form
        if section == "details"
        else {"name": current_user.name, "locale": current_user.locale or ""}
    )
    return render_template(
        "desk/profile.html", section=section, form=form, errors=errors or {}
    ), status


@bp.get("/")
def show():
    return _page()


@bp.post("/")
def save():
    try:
        update_profile(current_user.id, pick(request.form, ("name", "locale")))
    except DeskcoreError as exc:
        return _page("details", field_errors(exc), 400)
    refresh()  # the confirmation already in the language just chosen
    flash(_("Profile saved."), "ok")
    return redirect(url_for("profile.show"))


@bp.post("/password")
def password():
    data = {key: request.form.get(key, "") for key in ("current_password", "new_password")}
    if data["new_password"] != request.form.get("confirm_password", ""):
        return _page("password", {"confirm_password": [_("The two new passwords differ.")]}, 400)
    try:
        change_password(current_user.id, data)
    except DeskcoreError as exc:
        return _page("password", field_errors(exc), 400)
    flash(_("Password changed."), "ok")
    return redirect(url_for("profile.show"))
