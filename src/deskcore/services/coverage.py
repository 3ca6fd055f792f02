"""Coverage: how a ticket is paid for — warranty, contract, courtesy or billable.

Plugins propose through the ``ticket_coverage`` hook; this module is the one place that
decides between proposals. Invoicing and reports read only ``Ticket.coverage``.

A proposal's reason is a translatable (lazy) message; it is stored rendered in the desk's
language (``BABEL_DEFAULT_LOCALE``), not in the language of whoever's request asked, so a
ticket's reason never depends on who last touched it and the API gives a plain string.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..contributions import CoverageProposal
from ..errors import PermissionDenied, PluginError
from ..i18n import in_desk_language
from ..models import Coverage, Role, Ticket, User
from ..plugins import registry
from ..schemas import CoverageOverrideSchema
from . import history
from .tickets_base import load_ticket
from .unit_of_work import unit_of_work, validate

#: When plugins disagree, the first kind in this order wins.
PRECEDENCE = (Coverage.WARRANTY, Coverage.CONTRACT, Coverage.COURTESY, Coverage.BILLABLE)
NO_COVERAGE_REASON = _l("no warranty or contract covers this ticket")


def decide(proposals: list[tuple[str, CoverageProposal]]) -> tuple[str, str, str | LazyString]:
    """``(kind, plugin, reason)`` from plugin proposals; billable by core when none.

    The reason is the proposal's as given (a lazy message, usually): see ``in_desk_language``.
    """
    best = None
    for plugin, proposal in proposals:
        if proposal.kind not in PRECEDENCE:
            raise PluginError(plugin, "ticket_coverage", f"unknown coverage '{proposal.kind}'")
        rank = PRECEDENCE.index(Coverage(proposal.kind))
        if best is None or rank < best[0]:
            best = (rank, plugin, proposal)
    if best is None:
        return Coverage.BILLABLE.value, "core", NO_COVERAGE_REASON
    _, plugin, proposal = best
    return proposal.kind, plugin, proposal.reason


def refresh(ticket: Ticket, agent: User | None) -> None:
    """Ask the enabled plugins again, unless a supervisor fixed the coverage by hand."""
    if ticket.coverage_overridden:
        return
    proposals = [
        (plugin, proposal)
        for plugin, proposal in registry().each("ticket_coverage", ticket=ticket)
        if proposal is not None
    ]
    kind, plugin, reason = decide(proposals)
    # Rendered before the comparison with the stored reason, so a refresh in another
    # language (or a lazy string against a str) never looks like a change.
    reason = in_desk_language(reason)
    if (kind, plugin, reason) != (ticket.coverage, ticket.coverage_plugin, ticket.coverage_reason):
        if ticket.id is not None:
            history.record(
                ticket,
                "coverage",
                agent,
                field="coverage",
                old=f"{ticket.coverage}: {ticket.coverage_reason}",
                new=f"{kind}: {reason}",
                source=plugin,
            )
        ticket.coverage, ticket.coverage_plugin, ticket.coverage_reason = kind, plugin, reason


def _require_supervisor(agent: User) -> None:
    if not agent.has_role(Role.SUPERVISOR):
        raise PermissionDenied(_l("only supervisors and admins may change a ticket's coverage"))


def override_coverage(number: int, data: dict, agent: User) -> Ticket:
    """A supervisor decides the coverage by hand (a courtesy, say); plugins no longer change it."""
    _require_supervisor(agent)
    values = validate(CoverageOverrideSchema, data)
    with unit_of_work():
        ticket = load_ticket(number)
        history.record(
            ticket,
            "coverage",
            agent,
            field="coverage",
            old=f"{ticket.coverage}: {ticket.coverage_reason}",
            new=f"{values['kind']}: {values['reason']}",
        )
        ticket.coverage = values["kind"]
        ticket.coverage_reason = values["reason"]
        ticket.coverage_plugin = "core"
        ticket.coverage_overridden = True
    return ticket


def restore_automatic_coverage(number: int, agent: User) -> Ticket:
    """Undo a supervisor's override: the enabled plugins decide again."""
    _require_supervisor(agent)
    with unit_of_work():
        ticket = load_ticket(number)
        ticket.coverage_overridden = False
        refresh(ticket, agent)
    return ticket
