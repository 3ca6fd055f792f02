"""Each core report's numbers on the small known desk of conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from deskcore.reports import registry


def run(name: str, **given) -> list[dict]:
    return registry.run(registry.get(name).report, given).rows


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_tickets_by_status_counts_every_status_including_empty_ones(desk):
    counts = {row["status"]: row["tickets"] for row in run("tickets_by_status")}
    assert counts == {"Pending": 2, "On hold": 1, "Resolved": 2, "Closed": 2}


def test_tickets_by_status_narrows_to_one_agent(desk):
    counts = {row["status"]: row["tickets"] for row in run("tickets_by_status", agent=desk.ana.id)}
    assert counts == {"Pending": 1, "On hold": 0, "Resolved": 1, "Closed": 1}


def test_pending_tickets_lists_unfinished_ones_oldest_first_with_their_age(desk):
    rows = run("pending_tickets")
    assert [row["number"] for row in rows] == [900_005, 900_006, 900_007]
    assert rows[0]["status"] == "Pending" and rows[0]["agent"] == "Ana"
    assert rows[1]["agent"] == "Unassigned"
    # Received nine days ago at 09:00 UTC: 8.6 to 9.6 days old, by the time of day now.
    received = desk.base + timedelta(days=1)
    age = (datetime.now(UTC) - received) / timedelta(days=1)
    assert rows[0]["age_days"] == pytest.approx(age, abs=0.06)


def test_pending_tickets_respects_the_row_limit(desk):
    assert len(run("pending_tickets", limit=2)) == 2


def test_closed_tickets_in_a_period(desk):
    rows = run("closed_tickets", **desk.period())
    assert [row["number"] for row in rows] == [900_003, 900_001]  # latest closed first
    assert by(rows, "number")[900_001]["days_open"] == 0.5
    assert run("closed_tickets", **desk.period(), agent=desk.beto.id)[0]["number"] == 900_003


def test_closed_tickets_outside_the_period_are_left_out(desk):
    later = (desk.first_day.toordinal() + 5, desk.first_day.toordinal() + 6)
    start, end = (type(desk.first_day).fromordinal(n).isoformat() for n in later)
    assert run("closed_tickets", start=start, end=end) == []


def test_resolution_time_by_type_median_and_90th_percentile(desk):
    rows = by(run("resolution_time_by_type", **desk.period()), "type")
    complaint, request = rows["Complaint"], rows["Request"]
    assert (complaint["resolved"], complaint["median_hours"], complaint["p90_hours"]) == (3, 20, 30)
    assert complaint["mean_hours"] == 20
    assert (request["resolved"], request["median_hours"], request["p90_hours"]) == (1, 40, 40)


def test_resolution_time_by_agent_averages_the_two_middle_values(desk):
    rows = by(run("resolution_time_by_agent", **desk.period()), "agent")
    assert (rows["Ana"]["median_hours"], rows["Ana"]["p90_hours"]) == (15, 20)
    assert (rows["Beto"]["median_hours"], rows["Beto"]["p90_hours"]) == (35, 40)


def test_resolution_trend_groups_by_week_starting_on_monday(desk):
    rows = run("resolution_time_trend", **desk.period())
    expected: dict = {}
    for hours in (10, 20, 30, 40):
        day = (desk.base + timedelta(hours=hours)).date()
        monday = day - timedelta(days=day.weekday())
        expected[monday] = expected.get(monday, 0) + 1
    assert {row["week"]: row["resolved"] for row in rows} == expected


def test_totals_per_agent_pending_worked_resolved(desk):
    rows = by(run("totals_by_agent", **desk.period()), "agent")
    assert {k: (v["pending"], v["worked"], v["resolved"]) for k, v in rows.items()} == {
        "Ana": (1, 2, 2),
        "Beto": (1, 2, 2),
        "Unassigned": (1, 0, 0),
    }


def test_totals_keep_worked_and_resolved_apart(desk):
    """Time logged on an unfinished ticket counts as worked, not as resolved."""
    from deskcore.extensions import db
    from deskcore.models import TimeEntry

    db.session.add(
        TimeEntry(ticket_id=desk.tickets[5].id, agent_id=desk.ana.id, minutes=15,
                  spent_on=desk.first_day + timedelta(days=2))
    )  # fmt: skip
    db.session.commit()
    ana = by(run("totals_by_agent", **desk.period()), "agent")["Ana"]
    assert (ana["pending"], ana["worked"], ana["resolved"]) == (1, 3, 2)
    complaint = by(run("totals_by_type", **desk.period()), "type")["Complaint"]
    assert desk.tickets[5].type.name == "Complaint"
    assert (complaint["pending"], complaint["worked"], complaint["resolved"]) == (1, 4, 3)


def test_totals_per_type(desk):
    rows = by(run("totals_by_type", **desk.period()), "type")
    assert (rows["Complaint"]["pending"], rows["Complaint"]["worked"]) == (1, 3)
    assert (rows["Complaint"]["resolved"], rows["Request"]["resolved"]) == (3, 1)
    assert (rows["Request"]["pending"], rows["Request"]["worked"]) == (2, 1)


def test_agent_statistics_separate_covered_customers(desk):
    rows = by(run("agent_statistics", **desk.period()), "agent")
    ana, beto = rows["Ana"], rows["Beto"]
    assert (ana["covered_tickets"], ana["covered_hours"]) == (1, 1.0)
    assert (ana["other_tickets"], ana["other_hours"]) == (1, 0.5)
    assert (beto["covered_tickets"], beto["covered_hours"]) == (1, 0.75)
    assert (beto["tickets"], beto["hours"]) == (2, 2.25)


def test_agent_statistics_only_count_time_in_the_range(desk):
    first = desk.first_day.isoformat()
    rows = by(run("agent_statistics", start=first, end=first), "agent")
    assert list(rows) == ["Ana"]


def test_pending_per_agent(desk):
    rows = by(run("pending_per_agent"), "agent")
    assert (rows["Ana"]["open"], rows["Ana"]["waiting"], rows["Ana"]["total"]) == (1, 0, 1)
    assert (rows["Unassigned"]["open"], rows["Unassigned"]["waiting"]) == (0, 1)


def test_customer_tickets_show_only_that_customer_with_status(desk):
    rows = run("customer_tickets", customer=desk.contract_customer.id)
    assert [(row["number"], row["status"]) for row in rows] == [
        (900_002, "Resolved"),
        (900_001, "Closed"),
    ]


def test_commitments_by_type_per_agent(desk):
    rows = run("commitments_by_type", start=desk.first_day.isoformat(), end="2100-01-01")
    found = {
        (r["agent"], r["commitment_type"]): (r["pending"], r["overdue"], r["done"]) for r in rows
    }
    assert found == {
        ("Ana", "Call back"): (1, 1, 1),
        ("Beto", "Field visit"): (1, 0, 0),
    }


def test_commitment_date_changes(desk):
    (row,) = run("commitment_date_changes", **desk.period())
    assert (row["number"], row["responsible"], row["changed_by"]) == (900_007, "Beto", "Beto")
    assert (row["days_moved"], row["reason"]) == (1.0, "customer asked")


def test_waiting_time_per_ticket(desk):
    rows = by(run("waiting_by_ticket", **desk.period()), "number")
    assert (rows[900_005]["waiting_hours"], rows[900_005]["still_waiting"]) == (3.0, False)
    assert rows[900_006]["still_waiting"] is True
    assert rows[900_006]["waiting_hours"] > 7 * 24  # on hold since eight days ago, still


def test_waiting_time_per_agent(desk):
    rows = by(run("waiting_by_agent", **desk.period()), "agent")
    assert (rows["Ana"]["tickets"], rows["Ana"]["periods"], rows["Ana"]["waiting_hours"]) == (
        1,
        1,
        3.0,
    )
    assert "Unassigned" in rows


@pytest.mark.parametrize(
    "name", [r.name for r in registry.CORE_REPORTS if r.name != "customer_tickets"]
)
def test_every_core_report_runs_on_an_empty_desk_with_its_defaults(app, name):
    report = registry.get(name).report
    result = registry.run(report, {})
    assert result.columns == report.columns
    assert all(set(row) == {c.key for c in report.columns} for row in result.rows)
