"""The warranty reports on a small data set whose numbers are known."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from deskcore_warranty import services
from deskcore_warranty.dates import today
from deskcore_warranty.reports import claims_by_kind_and_cause, trade_in_credit, units_expiring

from deskcore.contributions import Report
from deskcore.errors import ValidationError
from deskcore.plugins import registry
from deskcore.reports import registry as reports

pytestmark = pytest.mark.plugins("warranty")


@pytest.fixture
def claims(make_unit, make_ticket, make_claim, agent):
    """Seven claims over January, February and March 2025, two causes, three kinds.

    Trade-ins: 1,000.00 approved (500.00) and 600.00 completed (300.00) in January, 250.00
    open in January (not granted), 400.00 approved in March (200.00), 100.00 rejected in
    March (not granted).
    """
    broken, changed = services.list_causes()[0], services.list_causes()[-1]
    unit = make_unit("SN-1", sale_price="1000.00")
    ticket = make_ticket(customer_id=unit.customer_id, serial_number="SN-1")

    def claim(kind, day, status=(), cause=None, **fields):
        made = make_claim(
            ticket, kind, claimed_on=day, cause_id=cause.id if cause else None, **fields
        )
        for step in status:
            services.transition_claim(made.number, {"status": step}, agent)

    claim("trade_in", "2025-01-05", ["approved"], broken)
    claim("trade_in", "2025-01-20", ["approved", "completed"], broken, serial_number="X1",
          declared_value="600.00")  # fmt: skip
    claim("trade_in", "2025-01-31", [], changed, serial_number="X2", declared_value="250.00")
    claim("defect_return", "2025-01-31", [], broken)
    claim("defect_return", "2025-02-01", ["rejected"])
    claim("trade_in", "2025-03-15", ["approved"], None, serial_number="X3", declared_value="400")
    claim("trade_in", "2025-03-16", ["rejected"], None, serial_number="X4", declared_value="100")
    return broken.name, changed.name


def test_claims_by_kind_and_cause_per_month(claims):
    broken, changed = claims
    assert claims_by_kind_and_cause() == [
        {"period": "2025-01", "kind": "defect_return", "cause": broken, "claims": 1},
        {"period": "2025-01", "kind": "trade_in", "cause": changed, "claims": 1},
        {"period": "2025-01", "kind": "trade_in", "cause": broken, "claims": 2},
        {"period": "2025-02", "kind": "defect_return", "cause": "", "claims": 1},
        {"period": "2025-03", "kind": "trade_in", "cause": "", "claims": 2},
    ]


def test_claims_by_kind_and_cause_between_dates_and_per_year(claims):
    broken, _ = claims
    assert claims_by_kind_and_cause(start=date(2025, 1, 31), end=date(2025, 2, 1)) == [
        {"period": "2025-01", "kind": "defect_return", "cause": broken, "claims": 1},
        {"period": "2025-01", "kind": "trade_in", "cause": claims[1], "claims": 1},
        {"period": "2025-02", "kind": "defect_return", "cause": "", "claims": 1},
    ]
    per_year = claims_by_kind_and_cause(period="year")
    assert sum(row["claims"] for row in per_year) == 7
    assert {row["period"] for row in per_year} == {"2025"}


def test_trade_in_credit_granted_per_month_counts_approved_and_completed_only(claims):
    rows = trade_in_credit()
    assert rows == [
        {"period": "2025-01", "claims": 2, "credit": Decimal("800.00")},
        {"period": "2025-03", "claims": 1, "credit": Decimal("200.00")},
    ]
    assert all(isinstance(row["credit"], Decimal) for row in rows)
    assert trade_in_credit(period="year") == [
        {"period": "2025", "claims": 3, "credit": Decimal("1000.00")}
    ]
    assert trade_in_credit(start=date(2025, 2, 1)) == [
        {"period": "2025-03", "claims": 1, "credit": Decimal("200.00")}
    ]


def test_units_whose_warranty_expires_within_n_days(make_unit, make_customer, make_product):
    # Four years of warranty: a unit sold four years before its last day (a 29 February too).
    product = make_product("M4", warranty_months=48)
    ana = make_customer(name="Ana")
    last_days = {"EXPIRED": -1, "TODAY": 0, "IN-10": 10, "IN-30": 30, "IN-31": 31}
    for serial, days_left in last_days.items():
        last_day = today() + timedelta(days=days_left)
        sale = last_day.replace(year=last_day.year - 4)
        assert (
            make_unit(serial, sale_date=sale, customer=ana, product=product).warranty_until
            == last_day
        )

    rows = units_expiring(days=30)

    assert [(row["serial_number"], row["days_left"]) for row in rows] == [
        ("TODAY", 0),
        ("IN-10", 10),
        ("IN-30", 30),
    ]
    assert rows[0] == {
        "serial_number": "TODAY",
        "product_code": "M4",
        "product": "Refrigerador M4",
        "customer_id": ana.id,
        "customer": "Ana",
        "sale_date": today().replace(year=today().year - 4),
        "warranty_until": today(),
        "days_left": 0,
    }
    # From a form, the API or the command line: text, typed by the report registry.
    typed = reports.run(reports.get("warranty_units_expiring").report, {"days": "0"})
    assert [row["serial_number"] for row in typed.rows] == ["TODAY"]


def _refused(name: str, given: dict) -> dict:
    with pytest.raises(ValidationError) as refused:
        reports.run(reports.get(name).report, given)
    return refused.value.messages


def test_report_parameters_are_checked_one_message_per_parameter(app):
    assert _refused("warranty_units_expiring", {"days": "-1"}) == {
        "days": ["Must be greater than or equal to 0 and less than or equal to 3650."]
    }
    assert _refused("warranty_trade_in_credit", {"period": "week", "start": "yesterday"}) == {
        "period": ["Must be one of: month, year."],
        "start": ["Not a valid date."],
    }
    assert _refused(
        "warranty_claims_by_kind_and_cause", {"start": "2025-02-01", "end": "2025-01-01"}
    ) == {"end": ["The end date is before the start date."]}


def test_the_reports_are_registered_while_the_plugin_is_enabled(app, disable_plugin):
    def warranty_reports() -> dict[str, Report]:
        found = [r for reports in registry().hook.register_reports() for r in reports]
        return {r.name: r for r in found if r.name.startswith("warranty_")}

    reports = warranty_reports()
    assert set(reports) == {
        "warranty_claims_by_kind_and_cause",
        "warranty_units_expiring",
        "warranty_trade_in_credit",
    }
    days = reports["warranty_units_expiring"].params["days"]
    assert (days.kind, days.default, days.low, days.high) == ("int", 30, 0, 3650)
    period = reports["warranty_trade_in_credit"].params["period"]
    assert (period.kind, period.default, [v for v, _ in period.choices]) == (
        "choice",
        "month",
        ["month", "year"],
    )
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert str(reports["warranty_units_expiring"].title) == "Garantías por vencer"
    disable_plugin("warranty")
    assert warranty_reports() == {}
