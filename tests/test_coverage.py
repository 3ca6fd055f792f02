"""Coverage: one field says who pays; plugins propose, precedence decides, supervisors override."""

import pytest

from deskcore.contributions import CoverageProposal
from deskcore.errors import PermissionDenied, PluginError, ValidationError
from deskcore.services import override_coverage, restore_automatic_coverage
from deskcore.services.coverage import NO_COVERAGE_REASON, decide


def test_without_proposals_a_ticket_is_billable_by_core():
    assert decide([]) == ("billable", "core", NO_COVERAGE_REASON)


def test_warranty_beats_contract_beats_billable():
    proposals = [
        ("invoicing", CoverageProposal("billable", "no contract")),
        ("contracts", CoverageProposal("contract", "contract C-7: 12 h left")),
        ("warranty", CoverageProposal("warranty", "warranty until 2027-01-31")),
    ]
    assert decide(proposals) == ("warranty", "warranty", "warranty until 2027-01-31")
    assert decide(proposals[:2]) == ("contract", "contracts", "contract C-7: 12 h left")


def test_between_equal_kinds_the_first_plugin_called_wins():
    proposals = [
        ("a_plugin", CoverageProposal("contract", "first")),
        ("b_plugin", CoverageProposal("contract", "second")),
    ]
    assert decide(proposals)[1:] == ("a_plugin", "first")


def test_an_unknown_kind_names_the_plugin():
    with pytest.raises(PluginError, match="'odd'"):
        decide([("odd", CoverageProposal("free", "?"))])


def test_a_new_ticket_without_plugins_is_billable(make_ticket):
    ticket = make_ticket()
    assert (ticket.coverage, ticket.coverage_plugin, ticket.coverage_overridden) == (
        "billable",
        "core",
        False,
    )


def test_a_supervisor_grants_a_courtesy(make_ticket, supervisor):
    ticket = make_ticket()
    override_coverage(
        ticket.number, {"kind": "courtesy", "reason": "cliente frecuente"}, supervisor
    )
    assert (ticket.coverage, ticket.coverage_reason, ticket.coverage_overridden) == (
        "courtesy",
        "cliente frecuente",
        True,
    )


def test_an_agent_may_not_override_coverage(make_ticket, agent):
    ticket = make_ticket()
    with pytest.raises(PermissionDenied):
        override_coverage(ticket.number, {"kind": "courtesy", "reason": "amigo"}, agent)
    assert ticket.coverage == "billable"


def test_an_override_needs_a_known_kind_and_a_reason(make_ticket, admin):
    ticket = make_ticket()
    with pytest.raises(ValidationError) as exc:
        override_coverage(ticket.number, {"kind": "gratis", "reason": ""}, admin)
    assert set(exc.value.messages) == {"kind", "reason"}


def test_restoring_automatic_coverage_lets_plugins_decide_again(make_ticket, supervisor, agent):
    ticket = make_ticket()
    override_coverage(ticket.number, {"kind": "courtesy", "reason": "gesto comercial"}, supervisor)
    with pytest.raises(PermissionDenied):
        restore_automatic_coverage(ticket.number, agent)
    restore_automatic_coverage(ticket.number, supervisor)
    assert (ticket.coverage, ticket.coverage_plugin, ticket.coverage_overridden) == (
        "billable",
        "core",
        False,
    )
