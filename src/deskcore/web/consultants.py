"""The consultant field of the ticket forms and list filter: the agent types a name, national
ID or phone, and the server resolves it to one consultant with the customer lookup's rules
(so it works without JavaScript; desk.js only adds suggestions while typing)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Customer, CustomerKind
from ..normalize import fold
from ..services.customers import find_customers
from .forms import integer

#: Longest text taken from the field (the lookup reads the first words only anyway).
MAX_TEXT = 200
#: Names listed in the message when the text matches several consultants.
SHOWN_WHEN_SEVERAL = 5


@dataclass(frozen=True)
class ConsultantChoice:
    """What the field designates: ``consultant_id`` as the services take it (an id, None for
    no consultant, or what was sent when it is not a number so they can say why), the text to
    show in the field, and a message when the text does not name exactly one consultant."""

    text: str = ""
    consultant_id: int | str | None = None
    error: str | None = None


def of_consultant(consultant: Customer | None) -> ConsultantChoice:
    """The field showing a consultant already chosen (a ticket being edited)."""
    if consultant is None:
        return ConsultantChoice()
    return ConsultantChoice(consultant.name, consultant.id)


def read_consultant(values) -> ConsultantChoice:
    """The consultant named by a submitted form or query string.

    ``consultant`` (the text field) decides when it was sent: blank means none, otherwise it
    must match exactly one consultant. ``consultant_id`` alone (links from other pages, old
    bookmarks) is taken as is. With both, the id is kept while the text is still its name, so
    an unchanged field never becomes ambiguous between two consultants of the same name.
    """
    hint = integer(values.get("consultant_id"))
    if "consultant" not in values:
        known = db.session.get(Customer, hint) if isinstance(hint, int) else None
        return ConsultantChoice(known.name if known else "", hint)
    typed = (values.get("consultant") or "").strip()[:MAX_TEXT]
    if not typed:
        return ConsultantChoice()
    if isinstance(hint, int):
        known = db.session.get(Customer, hint)
        if known and known.kind == CustomerKind.CONSULTANT and fold(known.name) == fold(typed):
            return ConsultantChoice(known.name, known.id)
    found = find_customers(typed, kind=CustomerKind.CONSULTANT, limit=SHOWN_WHEN_SEVERAL + 1)
    if len(found) > 1:
        found = _named_exactly(typed) or found
    if len(found) == 1:
        return ConsultantChoice(found[0].name, found[0].id)
    if not found:
        return ConsultantChoice(typed, None, _("No consultant matches “%(text)s”.", text=typed))
    names = ", ".join(c.name for c in found[:SHOWN_WHEN_SEVERAL])
    if len(found) > SHOWN_WHEN_SEVERAL:
        names += ", …"
    message = _(
        "Several consultants match “%(text)s” (%(names)s): type more of the name, or the "
        "national ID.",
        text=typed,
        names=names,
    )
    return ConsultantChoice(typed, None, message)


def _named_exactly(typed: str) -> list[Customer]:
    """The one consultant whose whole name is what was typed (one picked from the
    suggestions, when another name merely starts the same way), else nothing."""
    stmt = select(Customer).where(
        Customer.kind == CustomerKind.CONSULTANT, Customer.name_folded == fold(typed)[:200]
    )
    exact = list(db.session.scalars(stmt.limit(2)))
    return exact if len(exact) == 1 else []


def with_consultant(form: dict, choice: ConsultantChoice) -> dict:
    """``form`` with the field's text and the chosen id, for re-showing it."""
    chosen = choice.consultant_id if isinstance(choice.consultant_id, int) else ""
    return {**form, "consultant": choice.text, "consultant_id": chosen}
