"""Reports over the API and the command line: the same registry, the same numbers, bad
parameters answered with a message per parameter (API 400, CLI one line and exit 1)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from deskcore.cli import main as cli
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("dummy")


@pytest.fixture
def api(api_as, desk):
    return api_as(desk.boss)


@pytest.fixture
def api_as(client):
    return lambda user: ApiClient(client, user)


@pytest.fixture(autouse=True)
def _restore_flask_run_flag(monkeypatch):
    """FlaskGroup sets FLASK_RUN_FROM_CLI for its process; keep it out of other tests."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")


class ApiClient:
    """GET relative to /api/v1 with a bearer token of one user."""

    def __init__(self, client, user):
        self.client = client
        _, self.token = create_token(user, "tests")

    def get(self, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.client.get(f"/api/v1{path}", headers=headers, **kwargs)


def test_api_lists_reports_with_parameters_and_columns(api):
    answer = api.get("/reports")
    assert answer.status_code == 200
    reports = {item["name"]: item for item in answer.json["items"]}
    assert reports["dummy_notes"]["source"] == "dummy"
    closed = reports["closed_tickets"]
    assert [p["name"] for p in closed["params"]] == [
        "start",
        "end",
        "agent",
        "queue",
        "type",
        "limit",
    ]
    assert {"key": "days_open", "label": "Days open", "kind": "number"} in closed["columns"]


def test_api_runs_a_report_with_iso_dates(api, desk):
    answer = api.get("/reports/closed_tickets", query_string=desk.period())
    assert answer.status_code == 200
    rows = answer.json["rows"]
    assert [row["number"] for row in rows] == [900_003, 900_001]
    assert rows[1]["closed_at"].startswith(desk.first_day.isoformat() + "T")
    assert answer.json["params"]["start"] == desk.period()["start"]


def test_api_percentiles_match_the_known_desk(api, desk):
    rows = api.get("/reports/resolution_time_by_agent", query_string=desk.period()).json["rows"]
    assert {r["agent"]: r["median_hours"] for r in rows} == {"Ana": 15, "Beto": 35}


def test_api_bad_parameters_answer_400_per_field(api):
    answer = api.get("/reports/closed_tickets?start=nope&colour=red")
    assert answer.status_code == 400
    assert answer.json["errors"]["start"] == ["Not a valid date."]
    assert "unknown parameter" in answer.json["errors"]["colour"][0]


def test_api_unknown_report_is_404(api):
    assert api.get("/reports/nope").status_code == 404


def test_api_reports_need_a_supervisor(api_as, desk):
    assert api_as(desk.ana).get("/reports").status_code == 403
    assert api_as(desk.ana).get("/reports/tickets_by_status").status_code == 403


def test_cli_lists_one_report_per_line_name_first(app, desk):
    result = app.test_cli_runner().invoke(cli, ["reports", "list"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert "tickets_by_status" in names and "dummy_notes" in names


def test_cli_runs_a_report_as_a_table(app, desk):
    args = ["reports", "run", "pending_per_agent"]
    result = app.test_cli_runner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[0] == "Agent"
    assert any(line.split()[:2] == ["Ana", "1"] for line in lines[1:])


def test_cli_csv_equals_the_web_download(app, desk, login):
    period = desk.period()
    args = ["reports", "run", "totals_by_agent", "--format", "csv"]
    args += [f"--param=start={period['start']}", "-p", f"end={period['end']}"]
    result = app.test_cli_runner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    web = login(desk.boss).get("/reports/totals_by_agent/export.csv", query_string=period)
    assert result.stdout_bytes == web.data


def test_cli_writes_xlsx_to_a_file(app, desk, tmp_path):
    target = tmp_path / "status.xlsx"
    args = ["reports", "run", "tickets_by_status", "--format", "xlsx", "-o", str(target)]
    result = app.test_cli_runner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("Status", "Category", "Tickets")
    assert ("Pending", "open", 2) in rows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "There is no report named 'nope'."),
        (["closed_tickets", "-p", "start=32/13/2026"], "start: Not a valid date."),
        (["closed_tickets", "-p", "colour=red"], "colour: unknown parameter"),
        (["closed_tickets", "-p", "start"], "'start' is not KEY=VALUE"),
        (["pending_tickets", "-p", "limit=0"], "limit:"),
    ],
)
def test_cli_bad_input_is_one_line_and_a_failure(app, desk, args, message):
    result = app.test_cli_runner().invoke(cli, ["reports", "run", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_cli_csv_parses_back(app, desk):
    result = app.test_cli_runner().invoke(
        cli, ["reports", "run", "tickets_by_status", "--format", "csv"]
    )
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0] == ["Status", "Category", "Tickets"] and ["On hold", "waiting", "1"] in rows
