"""The warranty rules, one function each, free of the database so tests read like the policy.

- how long a warranty lasts: ``warranty_until``, ``in_warranty``;
- what a trade-in is worth: ``trade_in_credit``;
- whether the warranty covers a claim: ``claim_coverage``;
- how a ticket is paid for as far as warranties go: ``ticket_coverage``;
- which status a claim may move to: ``can_move``.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from deskcore.contributions import CoverageProposal
from deskcore.models import Coverage

from .models import ClaimKind, ClaimStatus

CENT = Decimal("0.01")
#: The company's policy: an old product is taken for half of its value.
DEFAULT_TRADE_IN_SHARE = Decimal("0.50")
DEFAULT_WARRANTY_MONTHS = 12

#: open → approved | rejected; approved → completed. Rejected and completed are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.OPEN: frozenset({ClaimStatus.APPROVED, ClaimStatus.REJECTED}),
    ClaimStatus.APPROVED: frozenset({ClaimStatus.COMPLETED}),
    ClaimStatus.REJECTED: frozenset(),
    ClaimStatus.COMPLETED: frozenset(),
}


def warranty_until(sale_date: date, months: int) -> date:
    """The last day of the warranty: the sale date ``months`` later (the 31st of January plus
    one month is the last day of February). That day is still covered."""
    month_index = sale_date.month - 1 + months
    year, month = sale_date.year + month_index // 12, month_index % 12 + 1
    day = min(sale_date.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def in_warranty(until: date, on: date) -> bool:
    """Covered up to and including the last day."""
    return on <= until


def trade_in_credit(value: Decimal, share: Decimal) -> Decimal:
    """The credit for a product handed in: ``share`` of its value, in cents, half up."""
    return (value * share).quantize(CENT, rounding=ROUND_HALF_UP)


def claim_coverage(kind: str, until: date | None, on: date) -> tuple[bool | None, str]:
    """``(covered, note)`` of a claim made ``on`` a day for a unit under warranty ``until``.

    Defect returns are covered inside the warranty period of a unit we sold; misuse or
    accident damage never is. Trade-ins and exchanges are sales, not warranty questions.
    The note is a lazy message: the claim stores it in the desk's language.
    """
    if kind == ClaimKind.DEFECT_RETURN:
        if until is None:
            return False, _l("unit not sold by us")
        if in_warranty(until, on):
            return True, _l("warranty until %(day)s", day=until.isoformat())
        return False, _l("warranty expired on %(day)s", day=until.isoformat())
    if kind == ClaimKind.MISUSE_DAMAGE:
        return False, _l("misuse or accident damage is not covered")
    return None, ""


def ticket_coverage(
    received_on: date, until: date | None, misuse_claim: str | None
) -> CoverageProposal | None:
    """What the warranty says about a ticket received on ``received_on``.

    A claim for misuse damage (``misuse_claim`` is its label) makes the ticket billable;
    otherwise a unit inside its warranty covers it and one outside it is billable. A serial
    we never sold says nothing. Reasons are lazy messages, which core stores in the desk's
    language; days stay ISO (as on the warranty badges), the same in every language.
    """
    if misuse_claim is not None:
        reason = _l("misuse damage, claim %(claim)s", claim=misuse_claim)
        return CoverageProposal(Coverage.BILLABLE.value, reason)
    if until is None:
        return None
    day = until.isoformat()
    if in_warranty(until, received_on):
        return CoverageProposal(Coverage.WARRANTY.value, _l("warranty until %(day)s", day=day))
    return CoverageProposal(Coverage.BILLABLE.value, _l("warranty expired on %(day)s", day=day))


def can_move(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())
