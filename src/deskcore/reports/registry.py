"""The report registry: core reports and those of enabled plugins, declared the same way, run
the same way for the page, the exports, the API and the command line."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _

from ..contributions import Column, Report
from ..errors import NotFound, PluginError
from ..plugins import registry as plugin_registry
from . import commitments, params, resolution, tickets, waiting, workload

log = logging.getLogger("deskcore.reports")

CORE_REPORTS: tuple[Report, ...] = (
    *tickets.REPORTS,
    *resolution.REPORTS,
    *workload.REPORTS,
    *commitments.REPORTS,
    *waiting.REPORTS,
)
#: Decimals kept for hours and other fractional numbers.
DECIMALS = 2


@dataclass(frozen=True)
class Entry:
    """A report and who contributed it ("core" or the plugin's name)."""

    source: str
    report: Report


@dataclass(frozen=True)
class Result:
    report: Report
    values: dict
    columns: tuple[Column, ...]
    rows: list[dict]


def entries() -> list[Entry]:
    """Core reports first, then those of the enabled plugins by plugin name; a plugin whose
    hook fails is left out (and logged) so the other reports stay available."""
    found = [Entry("core", report) for report in CORE_REPORTS]
    reg = plugin_registry()
    for name in sorted(reg.enabled_names()):
        try:
            contributed = reg.call_plugin(name, "register_reports") or []
        except PluginError as exc:
            log.error("%s", exc)
            continue
        found.extend(Entry(name, r) for r in contributed if isinstance(r, Report))
    return found


def get(name: str) -> Entry:
    """The report named ``name``; core reports are found without asking the plugins."""
    for report in CORE_REPORTS:
        if report.name == name:
            return Entry("core", report)
    for entry in entries():
        if entry.report.name == name:
            return entry
    raise NotFound(_("There is no report named '%(name)s'.", name=name))


def run(report: Report, given: dict, strict: bool = False) -> Result:
    """Validate the parameters, run the report and shape its rows for every output."""
    values = params.load(report, given, strict=strict)
    raw = report.run(**values)
    columns = report.columns or guess_columns(raw)
    return Result(report, values, columns, [shape(row, columns) for row in raw])


def guess_columns(rows: list[dict]) -> tuple[Column, ...]:
    """Columns of a report that declares none: the first row's keys, kinds from its values."""
    if not rows:
        return ()
    return tuple(
        Column(key, key.replace("_", " ").capitalize(), _kind_of(value))
        for key, value in rows[0].items()
    )


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float | Decimal):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "text"


def shape(row: dict, columns: tuple[Column, ...]) -> dict:
    """One row with a value of the column's kind under each column key (missing: None)."""
    return {column.key: convert(row.get(column.key), column.kind) for column in columns}


def convert(value, kind: str):
    """Database values as Python values of the column's kind, the same on every database."""
    if value is None:
        return None
    if kind in ("int", "ticket"):
        return int(value)
    if kind == "number" and isinstance(value, Decimal):
        return value  # money stays exact
    if kind in ("number", "hours"):
        return round(float(value), DECIMALS)
    if kind == "bool":
        return bool(value)
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if kind == "datetime" and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
