"""The warranty and knowledge-base plugins' reports (declared in the short form) run through
the registry: page, CSV and API, with their parameters validated."""

from __future__ import annotations

import pytest

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
