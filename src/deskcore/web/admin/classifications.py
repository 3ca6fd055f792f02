"""Admin pages for ticket types, priorities, topics, commitment types, statuses and queues."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...errors import DeskcoreError
from ...extensions import db
from ...models import Queue, Status, User
from ...services import classifications as rules
from ..forms import field_errors, integer, text
from . import bp

TITLES = {
    "types": _l("Ticket types"),
    "priorities": _l("Priorities"),
    "topics": _l("Topics"),
    "commitment-types": _l("Commitment types"),
    "statuses": _l("Statuses"),
    "queues": _l("Queues"),
}


def _submitted(model) -> dict:
    form = request.form
    data = {"name": text(form.get("name"))}
    if model is Queue:
        data["description"] = text(form.get("description"))
        data["member_ids"] = [integer(v) for v in form.getlist("member_ids")]
        return data
    data["position"] = integer(form.get("position")) or 0
    data["is_default"] = form.get("is_default") is not None
    if model is Status:
        data["code"] = text(form.get("code"))
        data["category"] = text(form.get("category"))
        data["next_status_ids"] = [integer(v) for v in form.getlist("next_status_ids")]
    return data


def _active_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


def _page(kind: str, row=None, errors: dict | None = None, status: int = 200):
    model = rules.model_for(kind)
    template = "desk/admin/classification_edit.html" if row else "desk/admin/classifications.html"
    return render_template(
        template,
        kind=kind,
        title=TITLES[kind],
        titles=TITLES,
        model_name=model.__name__,
        rows=rules.list_rows(kind),
        row=row,
        form=request.form if errors else {},
        errors=errors or {},
        statuses=rules.list_rows("statuses") if model is Status else [],
        users=_active_users() if model is Queue else [],
    ), status


@bp.get("/<kind>/")
def classifications(kind: str):
    return _page(kind)


@bp.post("/<kind>/")
def create_classification(kind: str):
    model = rules.model_for(kind)
    try:
        row = rules.create_row(kind, _submitted(model))
    except DeskcoreError as exc:
        return _page(kind, errors=field_errors(exc), status=400)
    flash(_("“%(name)s” created.", name=row.name), "ok")
    return redirect(url_for("admin.classifications", kind=kind))


@bp.route("/<kind>/<int:row_id>", methods=["GET", "POST"])
def edit_classification(kind: str, row_id: int):
    row = rules.get_row(kind, row_id)
    if request.method == "GET":
        return _page(kind, row)
    try:
        rules.update_row(kind, row_id, _submitted(type(row)))
    except DeskcoreError as exc:
        return _page(kind, rules.get_row(kind, row_id), field_errors(exc), 400)
    flash(_("“%(name)s” saved.", name=row.name), "ok")
    return redirect(url_for("admin.classifications", kind=kind))


@bp.post("/<kind>/<int:row_id>/active")
def toggle_classification(kind: str, row_id: int):
    active = request.form.get("active") == "1"
    try:
        row = rules.set_active(kind, row_id, active)
    except DeskcoreError as exc:
        flash(str(exc), "danger")
    else:
        message = _("“%(name)s” is active.") if active else _("“%(name)s” is deactivated.")
        flash(message % {"name": row.name}, "ok")
    return redirect(url_for("admin.classifications", kind=kind))
