"""The agent's own page: name, language, password and API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from ..errors import DeskcoreError
from ..models import Role
from ..services.profile import change_password, update_profile
from ..services.tokens import create_token, list_tokens, revoke_token
from .access import require_role
from .forms import field_errors, pick

bp = Blueprint("profile", __name__, url_prefix="/profile")
require_role(bp, Role.AGENT)


def _page(
    section: str | None = None,
    errors: dict | None = None,
    status: int = 200,
    new_secret: str | None = None,
):
    form = (
        request.form
        if section == "details"
        else {"name": current_user.name, "locale": current_user.locale or ""}
    )
    return render_template(
        "desk/profile.html",
        section=section,
        form=form,
        errors=errors or {},
        tokens=list_tokens(current_user),
        new_secret=new_secret,
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


@bp.post("/tokens")
def new_token():
    """The secret is shown once, in this answer only (never flashed into the session)."""
    try:
        _, secret = create_token(current_user, request.form.get("name", ""))
    except DeskcoreError as exc:
        return _page("tokens", field_errors(exc), 400)
    return _page("tokens", new_secret=secret, status=201)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    revoke_token(token_id, current_user)
    flash(_("Token revoked."), "ok")
    return redirect(url_for("profile.show", _anchor="tokens"))
