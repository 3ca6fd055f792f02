"""Warranty reports for the reports page: the database groups and sums, Python only names the
columns. Their parameters are core ``Param``s: the report registry validates them (one message
per parameter) and hands the functions typed values, as for core's reports."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, String, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from deskcore.contributions import Param, Report
from deskcore.models import Customer
from deskcore.reports.sql import on_days, rows

from .dates import today
from .models import Cause, Claim, ClaimKind, ClaimStatus, Product, Unit

#: Claims whose credit was granted: approved, then completed.
GRANTED = (ClaimStatus.APPROVED.value, ClaimStatus.COMPLETED.value)


class month_of(FunctionElement):
    """The month a date falls in, as text that sorts: "2025-03"."""

    type = String()
    inherit_cache = True


class year_of(FunctionElement):
    type = String()
    inherit_cache = True


class days_between(FunctionElement):
    """Whole days from the second date to the first."""

    type = Integer()
    inherit_cache = True


@compiles(month_of)
def _month_to_char(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_strftime(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_of)
def _year_to_char(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY')"


@compiles(year_of, "sqlite")
def _year_strftime(element, compiler, **kw):
    return f"strftime('%Y', {compiler.process(element.clauses, **kw)})"


@compiles(days_between)
def _days_subtract(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_julian(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


PERIODS = {"month": month_of, "year": year_of}
#: Claim dates, inclusive; left empty, every claim.
PERIOD_PARAMS = {
    "start": Param("date", _l("From")),
    "end": Param("date", _l("To (inclusive)")),
    "period": Param(
        "choice",
        _l("Group by"),
        default="month",
        choices=(("month", _l("Month")), ("year", _l("Year"))),
    ),
}
EXPIRY_PARAMS = {"days": Param("int", _l("Ending within (days)"), default=30, low=0, high=3650)}


def claims_by_kind_and_cause(start=None, end=None, period="month") -> list[dict]:
    """Claims per month (or year), kind and cause, between two claim dates (inclusive)."""
    when = PERIODS[period](Claim.claimed_on).label("period")
    cause = func.coalesce(Cause.name, "").label("cause")
    stmt = (
        select(when, Claim.kind.label("kind"), cause, func.count(Claim.id).label("claims"))
        .outerjoin(Cause, Cause.id == Claim.cause_id)
        .group_by(when, Claim.kind, cause)
        .order_by(when, Claim.kind, cause)
    )
    return rows(stmt.where(on_days(Claim.claimed_on, start, end)))


def units_expiring(days=30) -> list[dict]:
    """Units whose warranty ends within the next ``days`` days (today included), soonest
    first: whom to call before it runs out."""
    first = today()
    last = first + timedelta(days=days)
    stmt = (
        select(
            Unit.serial_number,
            Product.code.label("product_code"),
            Product.name.label("product"),
            Customer.id.label("customer_id"),
            Customer.name.label("customer"),
            Unit.sale_date,
            Unit.warranty_until,
            days_between(Unit.warranty_until, literal(first, Date)).label("days_left"),
        )
        .join(Product, Product.id == Unit.product_id)
        .join(Customer, Customer.id == Unit.customer_id)
        .where(Unit.warranty_until >= first, Unit.warranty_until <= last)
        .order_by(Unit.warranty_until, Unit.serial_number)
    )
    return rows(stmt)


def trade_in_credit(start=None, end=None, period="month") -> list[dict]:
    """Trade-in credit granted (approved or completed claims) per month or year."""
    when = PERIODS[period](Claim.claimed_on).label("period")
    stmt = (
        select(
            when,
            func.count(Claim.id).label("claims"),
            func.sum(Claim.credit).label("credit"),
        )
        .where(Claim.kind == ClaimKind.TRADE_IN.value, Claim.status.in_(GRANTED))
        .group_by(when)
        .order_by(when)
    )
    return rows(stmt.where(on_days(Claim.claimed_on, start, end)))


def warranty_reports() -> list[Report]:
    return [
        Report(
            name="warranty_claims_by_kind_and_cause",
            title=_l("Warranty claims by kind and cause"),
            run=claims_by_kind_and_cause,
            description=_l("Claims per month (or year), kind and warranty cause."),
            params=PERIOD_PARAMS,
        ),
        Report(
            name="warranty_units_expiring",
            title=_l("Warranties expiring soon"),
            run=units_expiring,
            description=_l("Units whose warranty ends within the next N days."),
            params=EXPIRY_PARAMS,
        ),
        Report(
            name="warranty_trade_in_credit",
            title=_l("Trade-in credit granted"),
            run=trade_in_credit,
            description=_l("Credit of approved and completed trade-ins per period."),
            params=PERIOD_PARAMS,
        ),
    ]
