"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..services.users import authenticate

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: ``?next=https://evil.example`` must not redirect away."""
    parts = urlsplit(target or "")
    local = not parts.scheme and not parts.netloc and not (target or "").startswith("//")
    if target and local and target.startswith("/") and "\\" not in target:
        return target
    return url_for("tickets.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url))
    email = ""
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()[:254]
        user = authenticate(email, (request.form.get("password") or "")[:200])
        if user is not None:
            # A fresh session on login: nothing set before it (fixation) carries over.
            session.clear()
            login_user(user)
            flash(_("Welcome, %(name)s.", name=user.name), "ok")
            return redirect(_safe_next(next_url))
        flash(_("Wrong email or password."), "danger")
    return render_template("desk/login.html", email=email, next_url=next_url), (
        401 if request.method == "POST" else 200
    )


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You have logged out."), "ok")
    return redirect(url_for("auth.login"))
