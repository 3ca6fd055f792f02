"""Coverage: one field says who pays; plugins propose, precedence decides, supervisors override."""

import pytest
from flask_babel import get_locale, lazy_gettext
from sqlalchemy import func, select

from deskcore.contributions import CoverageProposal
from deskcore.errors import PermissionDenied, PluginError, ValidationError
from deskcore.extensions import db
from deskcore.models import HistoryEvent
from deskcore.plugins import registry
from deskcore.services import override_coverage, restore_automatic_coverage
from deskcore.services.coverage import NO_COVERAGE_REASON, decide, refresh
from deskcore.services.tokens import create_token

SPANISH_DESK = {"BABEL_DEFAULT_LOCALE": "es"}


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


def _coverage_events(ticket) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(HistoryEvent)
        .where(HistoryEvent.ticket_id == ticket.id, HistoryEvent.action == "coverage")
    )


@pytest.mark.parametrize(
    ("deskcore_config", "request_language", "reason"),
    [
        (SPANISH_DESK, "en", "ningún contrato ni garantía cubre este caso"),
        ({"BABEL_DEFAULT_LOCALE": "en"}, "es", "no warranty or contract covers this ticket"),
    ],
)
def test_the_reason_is_stored_in_the_desks_language_not_the_callers(
    client, agent, make_customer, request_language, reason
):
    _, token = create_token(agent, "tests")
    answer = client.post(
        "/api/v1/tickets",
        json={"customer_id": make_customer().id, "subject": "No enciende"},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": request_language},
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["coverage"]["reason"] == reason


@pytest.mark.parametrize("deskcore_config", [SPANISH_DESK])
def test_a_plugins_lazy_reason_is_stored_in_the_desks_language(
    app, agent, make_ticket, monkeypatch
):
    ticket = make_ticket()
    # Any message of the merged catalog will do: core's "Coverage" is "Cobertura".
    proposal = CoverageProposal("contract", lazy_gettext("Coverage"))
    monkeypatch.setattr(registry(), "each", lambda hook, **kwargs: [("a_plugin", proposal)])
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(proposal.reason) == "Coverage"  # what the English caller would read
        refresh(ticket, agent)
        refresh(ticket, agent)
    db.session.commit()
    assert (ticket.coverage, ticket.coverage_plugin, ticket.coverage_reason) == (
        "contract",
        "a_plugin",
        "Cobertura",
    )
    event = db.session.scalars(
        select(HistoryEvent).where(
            HistoryEvent.ticket_id == ticket.id, HistoryEvent.action == "coverage"
        )
    ).one()  # the change once, not again on the second refresh
    assert (event.old_value, event.new_value) == (
        "billable: ningún contrato ni garantía cubre este caso",
        "contract: Cobertura",
    )


@pytest.mark.parametrize("deskcore_config", [SPANISH_DESK])
def test_refreshing_an_unchanged_coverage_records_no_history(app, client, agent, make_ticket):
    ticket = make_ticket()
    assert ticket.coverage_reason == "ningún contrato ni garantía cubre este caso"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(get_locale()) == "en"
        refresh(ticket, agent)
    db.session.commit()
    assert _coverage_events(ticket) == 0
    # Through the API too: an English-speaking client changes a field that asks the plugins.
    _, token = create_token(agent, "tests")
    answer = client.patch(
        f"/api/v1/tickets/{ticket.number}",
        json={"serial_number": "SN-NEW"},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["coverage"]["reason"] == "ningún contrato ni garantía cubre este caso"
    assert _coverage_events(ticket) == 0
