"""SQL pieces the reports share, written once for SQLite and PostgreSQL: durations, days and
weeks as ISO text, and percentiles with window functions (never computed in Python)."""

from __future__ import annotations

from sqlalchemy import Float, String, and_, case, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db


class hours_between(FunctionElement):
    """Hours from the second timestamp to the first, with decimals."""

    type = Float()
    inherit_cache = True


class day_of(FunctionElement):
    """The UTC day of a timestamp as ISO text: "2026-11-22"."""

    type = String()
    inherit_cache = True


class week_of(FunctionElement):
    """The Monday (UTC) of a timestamp's week as ISO text."""

    type = String()
    inherit_cache = True


def _args(element, compiler, **kw) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(hours_between)
def _hours_epoch(element, compiler, **kw):
    later, earlier = _args(element, compiler, **kw)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)"


@compiles(hours_between, "sqlite")
def _hours_julian(element, compiler, **kw):
    later, earlier = _args(element, compiler, **kw)
    return f"((julianday({later}) - julianday({earlier})) * 24.0)"


@compiles(day_of)
def _day_to_char(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"to_char(({value}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@compiles(day_of, "sqlite")
def _day_strftime(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"date({value})"


@compiles(week_of)
def _week_trunc(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"to_char(date_trunc('week', ({value}) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"


@compiles(week_of, "sqlite")
def _week_sqlite(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    # "weekday 0" moves forward to Sunday; six days back is that week's Monday.
    return f"date({value}, '-1 days', 'weekday 0', '-6 days')"


def percentiles(values, group_keys: list[str], value_key: str = "value"):
    """Per group of ``values`` (a subquery with the group columns and ``value_key``): count,
    mean, median (mean of the two middle values when the count is even) and the 90th
    percentile (nearest rank), all computed by the database with window functions."""
    groups = [values.c[key] for key in group_keys]
    value = values.c[value_key]
    ranked = select(
        *groups,
        value.label("value"),
        func.row_number().over(partition_by=groups or None, order_by=value).label("rank"),
        func.count().over(partition_by=groups or None).label("n"),
    ).subquery("ranked")
    rank, n, ranked_value = ranked.c.rank, ranked.c.n, ranked.c.value
    middle = rank.in_([(n + 1) // 2, (n + 2) // 2])
    ninetieth = rank == (n * 9 + 9) // 10
    keys = [ranked.c[key] for key in group_keys]
    return select(
        *keys,
        func.count().label("count"),
        func.avg(ranked_value).label("mean"),
        func.avg(case((middle, ranked_value))).label("median"),
        func.max(case((ninetieth, ranked_value))).label("p90"),
    ).group_by(*keys)


def rows(stmt) -> list[dict]:
    return [dict(row) for row in db.session.execute(stmt).mappings()]


def on_days(column, start, end):
    """A date column from ``start`` to ``end``, both included, leaving out a missing bound."""
    conditions = [column >= start] if start is not None else []
    if end is not None:
        conditions.append(column <= end)
    return and_(*conditions) if conditions else true()


def between(column, start, end):
    """``start <= column < end``, leaving out a missing bound."""
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return and_(*conditions) if conditions else true()
