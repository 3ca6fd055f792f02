"""The warranty and knowledge-base plugins' reports run through the registry: page, CSV and
API, with their parameters validated."""

from __future__ import annotations

import re

import pytest

from deskcore.cli import main as cli
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("warranty", "knowledge_base")

PLUGIN_REPORTS = [
    "warranty_claims_by_kind_and_cause",
    "warranty_units_expiring",
    "warranty_trade_in_credit",
    "knowledge_base_most_used",
    "knowledge_base_searches_without_results",
]


@pytest.mark.parametrize("name", PLUGIN_REPORTS)
def test_plugin_report_page_and_csv(login, supervisor, name):
    client = login(supervisor)
    assert client.get("/reports/").get_data(as_text=True).count(f"/reports/{name}") == 1
    assert client.get(f"/reports/{name}").status_code == 200
    download = client.get(f"/reports/{name}/export.csv")
    assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")


def test_plugin_report_bad_date_is_a_form_message(login, supervisor):
    page = login(supervisor).get("/reports/warranty_trade_in_credit?start=soon")
    assert page.status_code == 400
    assert "Not a valid date." in page.get_data(as_text=True)


def test_plugin_report_checks_its_own_rules(login, supervisor):
    page = login(supervisor).get("/reports/warranty_trade_in_credit?period=decade")
    assert page.status_code == 400
    assert "Must be one of" in page.get_data(as_text=True)


def test_warranty_reports_get_typed_form_inputs(login, supervisor):
    client = login(supervisor)
    page = client.get("/reports/warranty_trade_in_credit").get_data(as_text=True)
    assert re.search(r'name="start" value=""\s+type="date"', page)
    assert '<select id="p-period" name="period"' in page and '<option value="year">' in page
    expiring = client.get("/reports/warranty_units_expiring").get_data(as_text=True)
    assert re.search(r'name="days" value="30"\s+type="number"', expiring)


def test_a_bad_warranty_parameter_is_refused_by_name_on_the_api_and_the_cli(
    app, client, supervisor, restore_flask_run_flag
):
    _, token = create_token(supervisor, "tests")
    answer = client.get(
        "/api/v1/reports/warranty_units_expiring?days=-1",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 400
    assert list(answer.json["errors"]) == ["days"]
    args = ["reports", "run", "warranty_trade_in_credit", "-p", "period=week"]
    result = app.test_cli_runner().invoke(cli, args)
    assert result.exit_code != 0 and "period:" in result.output


@pytest.fixture
def restore_flask_run_flag(monkeypatch):
    """FlaskGroup sets FLASK_RUN_FROM_CLI for its process; keep it out of other tests."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")
