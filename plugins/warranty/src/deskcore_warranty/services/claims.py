"""Warranty claims: open one on a ticket (registered as an order at once) and move it along
open → approved | rejected → completed. Each operation is one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from deskcore.errors import Conflict, NotFound, ValidationError
from deskcore.extensions import db
from deskcore.i18n import in_desk_language
from deskcore.models import Ticket, User, utcnow
from deskcore.plugins import hook, plugin_settings
from deskcore.services import coverage, history
from deskcore.services.numbering import next_number
from deskcore.services.tickets import update_ticket
from deskcore.services.tickets_base import load_ticket
from deskcore.services.unit_of_work import unit_of_work, validate

from .. import labels, rules
from ..dates import local_date, today
from ..models import (
    Cause,
    Claim,
    ClaimKind,
    ClaimStatus,
    Order,
    OrderLine,
    Unit,
    claim_label,
)
from ..schemas import SHARE_DECIMALS, ClaimFilterSchema, ClaimSchema, ClaimTransitionSchema
from .catalog import find_unit

CLAIM_SEQUENCE = "warranty_claims"
ORDER_SEQUENCE = "warranty_orders"
#: Who changed a ticket, as its history shows it.
SOURCE = "warranty"
#: The ticket history's action for everything that happens to a claim.
#: History actions: a claim registered, and a claim moved to another status ("warranty", the
#: name every move had before claims got their own opening action).
OPENED_ACTION = "warranty_claim_opened"
HISTORY_ACTION = "warranty"
NOT_SOLD_BY_US = "Unit not sold by us"
SHARE_UNIT = Decimal(1).scaleb(-SHARE_DECIMALS)


def create_claim(data: dict, agent: User) -> Claim:
    """Open a claim on a ticket, register it as an order and tell other plugins.

    The claim and its order get the next consecutive numbers only if everything succeeds.
    """
    values = validate(ClaimSchema, data)
    with unit_of_work():
        ticket = _ticket(values["ticket_number"])
        serial = values["serial_number"] or (ticket.serial_number or "").strip()
        if not serial:
            raise ValidationError(
                {"serial_number": [_l("the ticket has no serial number: give the unit's")]}
            )
        unit = find_unit(serial)
        kind = values["kind"]
        value, share, credit = _trade_in(kind, unit, serial, values["declared_value"])
        covered, note = rules.claim_coverage(
            kind, unit.warranty_until if unit else None, local_date(ticket.received_at)
        )
        claim = Claim(
            ticket_id=ticket.id,
            customer_id=ticket.customer_id,
            unit=unit,
            serial_number=serial,
            kind=kind,
            cause=_cause(values["cause_id"]),
            reason=values["reason"],
            claimed_on=values["claimed_on"] or today(),
            agent_id=agent.id,
            status=ClaimStatus.OPEN.value,
            covered=covered,
            coverage_note=in_desk_language(note),
            declared_value=values["declared_value"],
            trade_in_share=share,
            credit=credit,
        )
        claim.number = next_number(CLAIM_SEQUENCE)
        db.session.add(claim)
        db.session.flush()
        order = _register_order(claim, unit, value)
        history.record(
            ticket,
            OPENED_ACTION,
            agent,
            field=claim.label,
            new=in_desk_language(labels.KINDS[kind]),
            source=SOURCE,
        )
        if not ticket.serial_number:
            # The unit the claim is about is the ticket's: its service log and coverage follow.
            update_ticket(ticket.number, {"serial_number": serial}, agent)
        # A misuse claim makes the ticket billable; the plugin's proposal says so.
        coverage.refresh(ticket, agent)
        hook().warranty_order_registered(order=order)
    return claim


def _ticket(number: int) -> Ticket:
    try:
        return load_ticket(number)
    except NotFound as exc:
        raise ValidationError({"ticket_number": [exc.message]}) from None


def _cause(cause_id: int | None) -> Cause | None:
    if cause_id is None:
        return None
    cause = db.session.get(Cause, cause_id)
    if cause is None or not cause.active:
        raise ValidationError(
            {"cause_id": [_l("unknown or retired warranty cause: %(id)s", id=cause_id)]}
        )
    return cause


def _trade_in(
    kind: str, unit: Unit | None, serial: str, declared: Decimal | None
) -> tuple[Decimal | None, Decimal | None, Decimal]:
    """``(value, share, credit)`` of a claim: a trade-in is worth a share of the unit's sale
    price, or of the value the agent declares for a unit we never sold."""
    if kind != ClaimKind.TRADE_IN:
        if declared is not None:
            raise ValidationError(
                {"declared_value": [_l("only a trade-in takes a declared value")]}
            )
        return None, None, Decimal("0.00")
    if unit is not None:
        if declared is not None:
            raise ValidationError(
                {
                    "declared_value": [
                        _l("we sold %(serial)s: its sale price is its value", serial=serial)
                    ]
                }
            )
        value = unit.sale_price
    elif declared is None:
        raise ValidationError(
            {
                "declared_value": [
                    _l("we never sold %(serial)s: enter the value of the unit", serial=serial)
                ]
            }
        )
    else:
        value = declared
    share = trade_in_share().quantize(SHARE_UNIT)  # the settings allow no more decimals
    return value, share, rules.trade_in_credit(value, share)


def trade_in_share() -> Decimal:
    """The configured share of a traded-in product's value that is credited."""
    return plugin_settings("warranty")["trade_in_share"]


def _register_order(claim: Claim, unit: Unit | None, value: Decimal | None) -> Order:
    """The claim as an order for the sales side: one line for the unit handed in."""
    order = Order(
        number=next_number(ORDER_SEQUENCE),
        claim=claim,
        customer_id=claim.customer_id,
        credit=claim.credit,
        lines=[
            OrderLine(
                position=1,
                kind=claim.kind,
                product_id=unit.product_id if unit else None,
                description=unit.product.name if unit else NOT_SOLD_BY_US,
                serial_number=claim.serial_number,
                quantity=1,
                value=value,
                credit=claim.credit,
            )
        ],
    )
    db.session.add(order)
    db.session.flush()
    return order


def _status_word(status: str) -> str:
    """A status as the history stores it: a word in the desk's language, like every text the
    desk writes for all its readers (coverage reasons too)."""
    return in_desk_language(labels.STATUS_WORDS[status])


def transition_claim(number: int, data: dict, agent: User) -> Claim:
    """Approve, reject or complete a claim; only approved claims are completed."""
    values = validate(ClaimTransitionSchema, data)
    with unit_of_work():
        claim = get_claim(number, for_update=True)
        old, new = claim.status, values["status"]
        if not rules.can_move(old, new):
            raise Conflict(_refused_move(claim.label, old, new))
        note = values["note"] or ""
        claim.status = new
        if new == ClaimStatus.COMPLETED:
            claim.completed_at = utcnow()
        else:
            claim.decided_at = utcnow()
            claim.decision_note = note
        history.record(
            claim.ticket,
            HISTORY_ACTION,
            agent,
            field=claim.label,
            old=_status_word(old),
            new=f"{_status_word(new)}: {note}" if note else _status_word(new),
            source=SOURCE,
        )
        if claim.kind == ClaimKind.MISUSE_DAMAGE:
            # A rejected misuse claim no longer makes the ticket billable.
            coverage.refresh(claim.ticket, agent)
        hook().warranty_claim_changed(claim=claim, old_status=old, new_status=new, agent=agent)
    return claim


def _refused_move(label: str, old: str, new: str) -> LazyString:
    """Why a claim cannot move, with the statuses in the reader's words (English: the codes)."""
    allowed = sorted(rules.TRANSITIONS[old])
    words = {"claim": label, "old": labels.STATUS_WORDS[old], "new": labels.STATUS_WORDS[new]}
    if not allowed:
        return _l("claim %(claim)s cannot go from '%(old)s' to '%(new)s'; allowed: none", **words)
    # Joined when the message is read, so each word is in the reader's language.
    listed = LazyString(lambda: ", ".join(str(labels.STATUS_WORDS[s]) for s in allowed))
    return _l(
        "claim %(claim)s cannot go from '%(old)s' to '%(new)s'; allowed: %(allowed)s",
        allowed=listed,
        **words,
    )


def get_claim(number: int, *, for_update: bool = False) -> Claim:
    """The claim with human number ``number`` (and its order); NotFound otherwise."""
    stmt = select(Claim).where(Claim.number == number)
    if for_update:
        stmt = stmt.with_for_update()
    claim = db.session.scalar(stmt)
    if claim is None:
        raise NotFound(_l("warranty claim %(claim)s not found", claim=claim_label(number)))
    return claim


@dataclass(frozen=True)
class ClaimPage:
    """A page of claims, newest first; ``next_before`` asks for the next page (or None)."""

    claims: list[Claim]
    next_before: int | None


def list_claims(filters: dict | None = None) -> ClaimPage:
    """Claims newest first, filtered; ``before`` (a claim number) pages back in time."""
    values = validate(ClaimFilterSchema, filters or {})
    stmt = (
        select(Claim)
        .options(
            joinedload(Claim.ticket),
            joinedload(Claim.customer),
            joinedload(Claim.cause),
            joinedload(Claim.agent),
            joinedload(Claim.order).selectinload(Order.lines),
        )
        .order_by(Claim.number.desc())
        .limit(values["limit"] + 1)  # one more says whether there is a next page
    )
    for key in ("status", "kind", "serial_number", "customer_id"):
        if values[key] is not None:
            stmt = stmt.where(getattr(Claim, key) == values[key])
    if values["ticket_number"] is not None:
        stmt = stmt.join(Claim.ticket).where(Ticket.number == values["ticket_number"])
    if values["before"] is not None:
        stmt = stmt.where(Claim.number < values["before"])
    claims = list(db.session.scalars(stmt))
    if len(claims) <= values["limit"]:
        return ClaimPage(claims, None)
    del claims[values["limit"] :]
    return ClaimPage(claims, claims[-1].number)


def claims_of_ticket(ticket_id: int) -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(Claim.ticket_id == ticket_id)
            .options(joinedload(Claim.cause), selectinload(Claim.order))
            .order_by(Claim.number)
        )
    )


def misuse_claim_of(ticket_id: int) -> int | None:
    """The number of the latest misuse-damage claim of a ticket that was not rejected."""
    return db.session.scalar(
        select(Claim.number)
        .where(
            Claim.ticket_id == ticket_id,
            Claim.kind == ClaimKind.MISUSE_DAMAGE,
            Claim.status != ClaimStatus.REJECTED,
        )
        .order_by(Claim.number.desc())
        .limit(1)
    )
