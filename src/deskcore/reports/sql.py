"""SQL pieces the reports share, written once for SQLite and PostgreSQL: durations, weeks (the
desk's, in its time zone), and percentiles with window functions (never computed in Python)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    func,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..desk_time import utc_offsets
from ..extensions import db
from ..models._types import UTCDateTime


class hours_between(FunctionElement):
    """Hours from the second timestamp to the first, with decimals."""

    type = Float()
    inherit_cache = True


class epoch_seconds(FunctionElement):
    """Whole seconds from 1970-01-01 00:00 UTC to a timestamp."""

    type = Integer()
    inherit_cache = True


class week_number(FunctionElement):
    """Whole weeks (Monday to Sunday) since the epoch of a timestamp, cheap to compute and
    group by: UTC weeks, or local ones given the seconds to add to UTC (``local_week``)."""

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


@compiles(epoch_seconds)
def _epoch_extract(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {value})) AS BIGINT)"


# Whole seconds (SQLite keeps time to the millisecond), not julianday's fraction of a day,
# whose rounding could put an instant at a local midnight into the week before.
@compiles(epoch_seconds, "sqlite")
def _epoch_strftime(element, compiler, **kw):
    (value,) = _args(element, compiler, **kw)
    return f"CAST(strftime('%s', {value}) AS INTEGER)"


# 1970-01-01 was a Thursday: three days on, every week starts on a Monday. Integer division
# of positive numbers is the same floor on both databases.
@compiles(week_number)
def _week_of_seconds(element, compiler, **kw):
    value, *shift = element.clauses
    seconds = compiler.process(epoch_seconds(value), **kw)
    if shift:
        seconds = f"{seconds} + ({compiler.process(shift[0], **kw)})"
    return f"CAST((({seconds}) / 86400 + 3) / 7 AS INTEGER)"


def local_week(column, first: datetime | None, after: datetime | None):
    """``week_number`` of a UTC timestamp column in the desk's weeks (Monday 00:00 local),
    for values from ``first`` until ``after``: the column plus the desk's UTC offset, a CASE
    over the clock changes so each row gets the offset in force at its instant.

    The clock changes are looked for between the column's smallest and largest values in
    the range (two index reads), not across the range asked for: a report over centuries
    costs what the years that hold tickets cost."""
    low, high = db.session.execute(
        select(_edge(func.min, column, first, after), _edge(func.max, column, first, after))
    ).one()
    if low is None:
        return week_number(column)  # no rows: any offset groups nothing
    first, after = low, high + timedelta(seconds=1)
    offsets = utc_offsets(first, after)
    # Offsets are whole seconds computed here: written into the SQL as integer literals, so
    # the sums stay integers on both databases.
    seconds = [literal_column(str(int(offset)), Integer) for _, offset in offsets]
    if len(offsets) == 1:
        return week_number(column, seconds[0]) if offsets[0][1] else week_number(column)
    changes = [
        (column < literal(at, UTCDateTime()), before)
        for (at, _), before in zip(offsets[1:], seconds, strict=False)
    ]
    return week_number(column, case(*changes, else_=seconds[-1]))


def _edge(aggregate, column, first: datetime | None, after: datetime | None):
    """The column's smallest or largest value from ``first`` until ``after``: one aggregate
    per subquery, which SQLite answers from an index (it scans for two in one SELECT)."""
    stmt = select(aggregate(column)).where(column.is_not(None))
    if first is not None:
        stmt = stmt.where(column >= first)
    if after is not None:
        stmt = stmt.where(column < after)
    return stmt.scalar_subquery()


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
