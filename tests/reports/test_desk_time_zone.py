"""Days and weeks are the desk's own, in its time zone (``BABEL_DEFAULT_TIMEZONE``).

Santiago de Chile is UTC-3 in summer and UTC-4 in winter; in 2026 its clocks go back at
24:00 on Saturday 4 April (03:00 UTC on the 5th) and forward at 24:00 on Saturday
5 September (04:00 UTC on the 6th, when 00:00 becomes 01:00). Every instant below is fixed;
nothing reads the machine's clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from deskcore.desk_time import desk_today, local_midnight, utc_offsets
from deskcore.extensions import db
from deskcore.models import Priority, Status, Ticket, TicketType
from deskcore.reports import dashboard, params, registry
from deskcore.reports.common import period
from deskcore.reports.resolution import resolution_trend
from deskcore.reports.sql import between, local_week, monday_of

SANTIAGO = {"BABEL_DEFAULT_TIMEZONE": "America/Santiago"}
in_santiago = pytest.mark.parametrize("deskcore_config", [SANTIAGO])


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def add_ticket(app, make_user, make_customer):
    """``add_ticket(received, resolved=None)``: a ticket with exactly these instants (resolved
    ones are closed at the same moment); returns its number."""
    boss = make_user("supervisor", name="Sonia Supervisor")
    customer = make_customer(name="Cliente")
    status = {s.code: s for s in db.session.scalars(select(Status))}
    kind = db.session.scalar(select(TicketType).order_by(TicketType.id))
    priority = db.session.scalar(select(Priority).order_by(Priority.id))
    numbers = iter(range(910_001, 920_000))

    def add(received: datetime, resolved: datetime | None = None) -> int:
        ticket = Ticket(
            number=next(numbers),
            customer_id=customer.id,
            subject="Ticket",
            type_id=kind.id,
            priority_id=priority.id,
            status_id=status["closed" if resolved else "pending"].id,
            entered_by_id=boss.id,
            received_at=received,
            resolved_at=resolved,
            closed_at=resolved,
        )
        db.session.add(ticket)
        db.session.commit()
        return ticket.number

    add.boss = boss
    return add


def resolved_on(add_ticket, *instants: datetime) -> None:
    for at in instants:
        add_ticket(at, at)


def weeks(**given) -> dict[date, int]:
    rows = registry.run(registry.get("resolution_time_trend").report, given).rows
    return {row["week"]: row["resolved"] for row in rows}


def closed_on(day: str) -> set[int]:
    report = registry.get("closed_tickets").report
    return {row["number"] for row in registry.run(report, {"start": day, "end": day}).rows}


# -- the helpers ----------------------------------------------------------------------------


@in_santiago
def test_the_desks_today_is_its_local_date(app):
    # 01:30 UTC on the 18th is 22:30 on the 17th in Santiago.
    assert desk_today(utc(2026, 11, 18, 1, 30)) == date(2026, 11, 17)
    assert desk_today(utc(2026, 11, 18, 3, 30)) == date(2026, 11, 18)


def test_a_desk_that_sets_no_time_zone_counts_utc_days(app):
    assert desk_today(utc(2026, 11, 18, 1, 30)) == date(2026, 11, 18)
    assert local_midnight(date(2026, 11, 18)) == utc(2026, 11, 18)
    assert utc_offsets(utc(2026, 1, 1), utc(2027, 1, 1)) == [(None, 0)]


@in_santiago
def test_local_midnights_follow_daylight_saving(app):
    assert local_midnight(date(2026, 4, 4)) == utc(2026, 4, 4, 3)  # UTC-3
    assert local_midnight(date(2026, 4, 5)) == utc(2026, 4, 5, 4)  # UTC-4 after the change
    # 00:00 on 6 September does not exist in Santiago: the day begins at the change.
    assert local_midnight(date(2026, 9, 6)) == utc(2026, 9, 6, 4)
    assert local_midnight(date(2026, 9, 7)) == utc(2026, 9, 7, 3)  # UTC-3 again


@in_santiago
def test_utc_offsets_name_each_clock_change_in_the_range(app):
    assert utc_offsets(utc(2026, 3, 23, 3), utc(2026, 9, 14, 3)) == [
        (None, -3 * 3600),
        (utc(2026, 4, 5, 3), -4 * 3600),
        (utc(2026, 9, 6, 4), -3 * 3600),
    ]
    assert utc_offsets(utc(2026, 11, 2, 3), utc(2026, 11, 30, 3)) == [(None, -3 * 3600)]


# -- the dashboard --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deskcore_config", "received_today", "resolved_this_week"),
    [(SANTIAGO, 1, 1), ({}, 2, 2)],
    ids=["santiago", "utc"],
)
def test_received_today_and_resolved_this_week_start_at_the_desks_midnight(
    add_ticket, received_today, resolved_this_week
):
    add_ticket(utc(2026, 11, 18, 1, 30))  # Tuesday 22:30 in Santiago
    add_ticket(utc(2026, 11, 18, 3, 30))  # Wednesday 00:30 in Santiago
    add_ticket(utc(2026, 11, 10), utc(2026, 11, 16, 2))  # resolved Sunday 23:00 in Santiago
    add_ticket(utc(2026, 11, 10), utc(2026, 11, 16, 3, 30))  # resolved Monday 00:30
    counts = dashboard.core_counts(utc(2026, 11, 18, 11))  # Wednesday 08:00 in Santiago
    assert (counts.received, counts.resolved) == (received_today, resolved_this_week)


@in_santiago
def test_received_today_is_empty_early_in_the_local_morning(add_ticket):
    add_ticket(utc(2026, 11, 18, 1, 30))  # 22:30 the evening before, local time
    assert dashboard.core_counts(utc(2026, 11, 18, 10)).received == 0  # 07:00 local
    assert dashboard.core_counts(utc(2026, 11, 18, 2)).received == 1  # 23:00 the same evening


# -- periods --------------------------------------------------------------------------------


@in_santiago
def test_a_period_day_is_the_desks_day(add_ticket):
    evening = add_ticket(utc(2026, 11, 17), utc(2026, 11, 18, 1, 30))  # the 17th, 22:30 local
    morning = add_ticket(utc(2026, 11, 17), utc(2026, 11, 18, 3, 30))  # the 18th, 00:30 local
    assert closed_on("2026-11-17") == {evening}
    assert closed_on("2026-11-18") == {morning}


@in_santiago
def test_the_day_clocks_go_back_lasts_twenty_five_hours(add_ticket):
    before = add_ticket(utc(2026, 4, 1), utc(2026, 4, 4, 2, 30))  # Friday 23:30, UTC-3
    first = add_ticket(utc(2026, 4, 1), utc(2026, 4, 4, 3, 30))  # Saturday 00:30, UTC-3
    repeated = add_ticket(utc(2026, 4, 1), utc(2026, 4, 5, 3, 30))  # Saturday 23:30, UTC-4
    sunday = add_ticket(utc(2026, 4, 1), utc(2026, 4, 5, 4, 30))  # Sunday 00:30, UTC-4
    assert closed_on("2026-04-04") == {first, repeated}
    assert before not in closed_on("2026-04-04") and closed_on("2026-04-05") == {sunday}


# -- week by week ---------------------------------------------------------------------------


@in_santiago
def test_a_week_begins_on_the_desks_monday(add_ticket):
    resolved_on(
        add_ticket,
        utc(2026, 11, 16, 1),  # Sunday 22:00 in Santiago, already Monday in UTC
        utc(2026, 11, 16, 3, 30),  # Monday 00:30 in Santiago
        utc(2026, 11, 17, 1),  # Monday 22:00 in Santiago
    )
    assert weeks(start="2026-11-02", end="2026-11-29") == {
        date(2026, 11, 9): 1,
        date(2026, 11, 16): 2,
    }


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_TIMEZONE": "Europe/Madrid"}])
def test_a_desk_east_of_utc_begins_its_week_on_sunday_evening_utc(add_ticket):
    # Monday 00:30 in Madrid (UTC+1 in November) is Sunday 23:30 UTC.
    resolved_on(add_ticket, utc(2026, 11, 15, 23, 30), utc(2026, 11, 15, 22, 30))
    assert weeks(start="2026-11-02", end="2026-11-29") == {
        date(2026, 11, 9): 1,
        date(2026, 11, 16): 1,
    }


def test_a_utc_desk_keeps_utc_weeks(add_ticket):
    resolved_on(add_ticket, utc(2026, 11, 15, 23, 30), utc(2026, 11, 16, 0, 30))
    assert weeks(start="2026-11-02", end="2026-11-29") == {
        date(2026, 11, 9): 1,
        date(2026, 11, 16): 1,
    }


APRIL = (  # the week of 30 March holds the change back to UTC-4
    utc(2026, 3, 30, 2, 30),  # Sunday 29 March 23:30, UTC-3
    utc(2026, 3, 30, 3, 30),  # Monday 30 March 00:30, UTC-3
    utc(2026, 4, 6, 3, 30),  # Sunday 5 April 23:30, UTC-4
    utc(2026, 4, 6, 4, 30),  # Monday 6 April 00:30, UTC-4
)
APRIL_WEEKS = {date(2026, 3, 23): 1, date(2026, 3, 30): 2, date(2026, 4, 6): 1}


@in_santiago
def test_weeks_stay_exact_when_the_clocks_go_back(add_ticket):
    resolved_on(add_ticket, *APRIL)
    assert weeks(start="2026-03-23", end="2026-04-12") == APRIL_WEEKS


@in_santiago
def test_weeks_stay_exact_when_the_clocks_go_forward(add_ticket):
    resolved_on(
        add_ticket,
        utc(2026, 8, 31, 3, 30),  # Sunday 30 August 23:30, UTC-4
        utc(2026, 8, 31, 4, 30),  # Monday 31 August 00:30, UTC-4
        utc(2026, 9, 7, 2, 30),  # Sunday 6 September 23:30, UTC-3
        utc(2026, 9, 7, 3, 30),  # Monday 7 September 00:30, UTC-3
    )
    assert weeks(start="2026-08-24", end="2026-09-13") == {
        date(2026, 8, 24): 1,
        date(2026, 8, 31): 2,
        date(2026, 9, 7): 1,
    }


@in_santiago
def test_the_first_day_of_a_period_starts_at_the_desks_midnight(add_ticket):
    resolved_on(add_ticket, *APRIL)
    assert weeks(start="2026-03-30", end="2026-04-12") == {
        date(2026, 3, 30): 2,
        date(2026, 4, 6): 1,
    }


@in_santiago
def test_weeks_without_bounds_take_the_clock_changes_of_the_data(add_ticket):
    resolved_on(add_ticket, *APRIL)
    rows = resolution_trend()
    assert {date.fromisoformat(row["week"]): row["resolved"] for row in rows} == APRIL_WEEKS


# -- defaults and downloads -----------------------------------------------------------------


@in_santiago
def test_the_default_period_and_the_download_name_follow_the_desks_date(
    add_ticket, login, monkeypatch
):
    # 01:30 UTC on 2 March 2025 is 22:30 on 1 March in Santiago.
    monkeypatch.setattr(params, "utcnow", lambda: utc(2025, 3, 2, 1, 30))
    values = registry.run(registry.get("closed_tickets").report, {}).values
    assert (values["start"], values["end"]) == (date(2025, 1, 30), date(2025, 3, 1))
    download = login(add_ticket.boss).get("/reports/closed_tickets/export.csv")
    assert 'filename="closed_tickets-2025-03-01.csv"' in download.headers["Content-Disposition"]


@in_santiago
def test_a_plugin_groups_its_own_rows_by_the_desks_week(add_ticket):
    """The pattern docs/reports.md gives plugin authors, on received_at."""
    for at in APRIL:
        add_ticket(at)
    first, after = period(date(2026, 3, 23), date(2026, 4, 12))
    received = (
        select(local_week(Ticket.received_at, first, after).label("week"))
        .where(between(Ticket.received_at, first, after))
        .subquery()
    )
    stmt = (
        select(monday_of(received.c.week).label("week"), func.count().label("tickets"))
        .group_by(received.c.week)
        .order_by(received.c.week)
    )
    found = {date.fromisoformat(week): n for week, n in db.session.execute(stmt)}
    assert found == APRIL_WEEKS


@in_santiago
def test_a_period_of_centuries_looks_for_clock_changes_only_where_tickets_are(add_ticket):
    resolved_on(add_ticket, *APRIL)
    first, after = period(date(1900, 1, 1), date(8999, 12, 31))
    sql = str(local_week(Ticket.resolved_at, first, after).compile(db.engine))
    assert sql.count("WHEN") == 1  # 5 April 2026, the one change among the tickets
    assert weeks(start="1900-01-01", end="8999-12-31") == APRIL_WEEKS
