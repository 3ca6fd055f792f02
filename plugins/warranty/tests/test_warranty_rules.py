"""The warranty rules on their own: how long a warranty lasts, what a trade-in is worth,
what a claim and a ticket are covered by, and how a claim moves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from deskcore_warranty import rules

from deskcore.contributions import CoverageProposal


@pytest.mark.parametrize(
    ("sold", "months", "until"),
    [
        (date(2024, 1, 15), 12, date(2025, 1, 15)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: the last day of February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 5, 10), 0, date(2024, 5, 10)),  # no warranty: only the day of sale
        (date(2024, 12, 1), 24, date(2026, 12, 1)),
    ],
)
def test_the_warranty_lasts_the_months_from_the_sale_day(sold, months, until):
    assert rules.warranty_until(sold, months) == until


def test_the_last_day_of_the_warranty_is_still_covered():
    last_day = date(2025, 1, 15)
    assert rules.in_warranty(last_day, date(2025, 1, 15))
    assert not rules.in_warranty(last_day, date(2025, 1, 16))


@pytest.mark.parametrize(
    ("value", "share", "credit"),
    [
        ("1000.00", "0.50", "500.00"),
        ("1000.00", "0", "0.00"),
        ("1000.00", "1", "1000.00"),
        ("999.99", "0.50", "500.00"),  # 499.995 rounds half up
        ("0.01", "0.50", "0.01"),
        ("333.33", "0.3333", "111.10"),
    ],
)
def test_trade_in_credits_a_share_of_the_value_in_cents_half_up(value, share, credit):
    result = rules.trade_in_credit(Decimal(value), Decimal(share))
    assert result == Decimal(credit)
    assert result.as_tuple().exponent == -2


def test_a_defect_return_is_covered_inside_the_warranty_only():
    until = date(2025, 1, 15)
    assert rules.claim_coverage("defect_return", until, until) == (
        True,
        "warranty until 2025-01-15",
    )
    assert rules.claim_coverage("defect_return", until, date(2025, 1, 16)) == (
        False,
        "warranty expired on 2025-01-15",
    )
    assert rules.claim_coverage("defect_return", None, until) == (False, "unit not sold by us")


def test_misuse_damage_is_never_covered_and_sales_are_no_warranty_question():
    assert rules.claim_coverage("misuse_damage", date(2030, 1, 1), date(2025, 1, 1))[0] is False
    assert rules.claim_coverage("trade_in", date(2030, 1, 1), date(2025, 1, 1)) == (None, "")
    assert rules.claim_coverage("exchange", None, date(2025, 1, 1)) == (None, "")


def test_the_ticket_coverage_rule():
    until = date(2025, 1, 15)
    assert rules.ticket_coverage(until, until, None) == CoverageProposal(
        "warranty", "warranty until 2025-01-15"
    )
    assert rules.ticket_coverage(date(2025, 1, 16), until, None) == CoverageProposal(
        "billable", "warranty expired on 2025-01-15"
    )
    assert rules.ticket_coverage(until, until, "W-12") == CoverageProposal(
        "billable", "misuse damage, claim W-12"
    )
    assert rules.ticket_coverage(until, None, None) is None


def test_claims_move_open_to_approved_or_rejected_and_approved_to_completed():
    assert rules.can_move("open", "approved")
    assert rules.can_move("open", "rejected")
    assert rules.can_move("approved", "completed")
    assert not rules.can_move("open", "completed")
    assert not rules.can_move("rejected", "completed")
    assert not rules.can_move("completed", "open")
    assert not rules.can_move("approved", "rejected")
