"""The supervisors' dashboard: today's numbers, the resolution-time trend, the workload per
agent and the tiles plugins contribute."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..models import Role
from ..reports import dashboard, registry
from .access import require_role
from .reports import chart_of

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
require_role(bp, Role.SUPERVISOR)

#: Core reports drawn on the dashboard with their default parameters.
CHARTS = ("resolution_time_trend", "pending_per_agent")


@bp.get("/")
def index():
    charts = []
    for name in CHARTS:
        result = registry.run(registry.get(name).report, {})
        charts.append((result, chart_of(result)))
    tiles = dashboard.core_tiles() + dashboard.plugin_tiles(current_user)
    return render_template("desk/reports/dashboard.html", tiles=tiles, charts=charts)
