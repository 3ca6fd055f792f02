"""Admin pages (admin role only): classifications, users and plugins."""

from __future__ import annotations

from flask import Blueprint, render_template

from ...models import Role
from ..access import require_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
require_role(bp, Role.ADMIN)


@bp.get("/")
def index():
    return render_template("desk/admin/index.html")


from . import classifications, plugins, users  # noqa: E402,F401  (routes register on bp)
