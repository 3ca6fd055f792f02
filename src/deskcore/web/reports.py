"""The reports pages for supervisors and admins: the menu, one page per report (parameter
form, chart, table) and its CSV and XLSX downloads, all driven by the report registry."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_decimal

from ..errors import ValidationError
from ..models import Role
from ..reports import export, params, registry
from ..reports.charts import render_svg
from .access import require_role

bp = Blueprint("reports", __name__, url_prefix="/reports")
require_role(bp, Role.SUPERVISOR)


@bp.get("/")
def index():
    return render_template("desk/reports/index.html", entries=registry.entries())


def _form(entry: registry.Entry) -> list[dict]:
    """Each parameter with its label, kind, options and the value typed (or its default)."""
    specs = params.specs(entry.report)
    fields = params.describe(entry.report)
    for field in fields:
        typed = request.args.get(field["name"])
        field["options"] = params.options(specs[field["name"]])
        field["value"] = typed if typed is not None else field["default"]
    return fields


@bp.get("/<name>")
def show(name: str):
    entry = registry.get(name)
    try:
        result = registry.run(entry.report, request.args.to_dict())
    except ValidationError as exc:
        return _refused(entry, exc)
    return render_template(
        "desk/reports/show.html",
        entry=entry,
        form=_form(entry),
        errors={},
        result=result,
        chart=chart_of(result),
        query={k: v for k, v in params.as_text(result.values).items() if v != ""},
    )


def _refused(entry: registry.Entry, exc: ValidationError):
    """The report's page with its form and the parameters' messages, as a 400."""
    page = render_template(
        "desk/reports/show.html", entry=entry, form=_form(entry), errors=exc.messages
    )
    return page, 400


def chart_of(result: registry.Result):
    """The report's chart as inline SVG, or None (no chart, or no rows to draw)."""
    chart = result.report.chart
    if chart is None or not result.rows:
        return None
    labels = {column.key: str(column.label) for column in result.columns}
    return render_svg(chart, result.rows, labels=labels, number_format=format_decimal)


@bp.get("/<name>/export.<fmt>")
def download(name: str, fmt: str):
    if fmt not in export.FORMATS:
        abort(404)
    entry = registry.get(name)
    try:
        result = registry.run(entry.report, request.args.to_dict())
    except ValidationError as exc:
        return _refused(entry, exc)
    return Response(
        export.export(result, fmt),
        mimetype=export.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{export.filename(result, fmt)}"'},
    )
