"""SQL pieces the reports share, written once for SQLite and PostgreSQL: durations, weeks,
and percentiles with window functions (never computed in Python)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, and_, case, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db


class hours_between(FunctionElement):
    """Hours from the second timestamp to the first, with decimals."""

    type = Float()
    inherit_cache = True


class week_number(FunctionElement):
    """Whole weeks (Monday to Sunday, UTC) since the epoch: cheap to compute and group by."""

    type = Integer()
    inherit_cache = True


class monday_of(FunctionElement):
    """The Monday of a ``week_number`` as ISO text: "2026-11-16"."""

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


# 1970-01-01 was a Thursday: three days on, every week starts on a Monday.
@compiles(week_number)
def _week_epoch(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"CAST(FLOOR((EXTRACT(EPOCH FROM {value}) / 86400 + 3) / 7) AS INTEGER)"


@compiles(week_number, "sqlite")
def _week_julian(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"CAST((julianday({value}) - 2440587.5 + 3) / 7 AS INTEGER)"


@compiles(monday_of)
def _monday_to_char(element, compiler, **kw):
    (week,) = _args(element, compiler, **kw)
    return f"to_char(to_timestamp(({week}) * 604800 - 259200) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@compiles(monday_of, "sqlite")
def _monday_unixepoch(element, compiler, **kw):
    (week,) = _args(element, compiler, **kw)
    return f"date(({week}) * 604800 - 259200, 'unixepoch')"


def percentiles(values, group_keys: list[str], value_key: str = "value"):
    """Per group of ``values`` (a CTE with the group columns and ``value_key``): count,
    mean, median (mean of the two middle values when the count is even) and the 90th
    percentile (nearest rank), all computed by the database with a window function."""
    # Computed once into a temporary result before ranking: SQLite otherwise re-evaluates
    # the duration expression while sorting (3x slower at 200,000 tickets).
    values = values.prefix_with("MATERIALIZED")
    groups = [values.c[key] for key in group_keys]
    value = values.c[value_key]
    # Group sizes by GROUP BY and a join, not count() OVER: a second window pass doubled
    # the time on SQLite.
    counts = select(*groups, func.count().label("n")).group_by(*groups).subquery("counts")
    ranked = select(
        *groups,
        value.label("value"),
        func.row_number().over(partition_by=groups, order_by=value).label("rank"),
    ).subquery("ranked")
    same_group = and_(*(ranked.c[k].is_not_distinct_from(counts.c[k]) for k in group_keys))
    rank, n, ranked_value = ranked.c.rank, counts.c.n, ranked.c.value
    middle = rank.in_([(n + 1) // 2, (n + 2) // 2])
    ninetieth = rank == (n * 9 + 9) // 10
    keys = [ranked.c[key] for key in group_keys]
    return (
        select(
            *keys,
            func.count().label("count"),
            func.avg(ranked_value).label("mean"),
            func.avg(case((middle, ranked_value))).label("median"),
            func.max(case((ninetieth, ranked_value))).label("p90"),
        )
        .select_from(ranked.join(counts, same_group))
        .group_by(*keys)
    )


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
