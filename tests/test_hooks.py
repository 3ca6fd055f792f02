"""Every hook, proven through the real services and the real plugin registry.

The dummy plugin (tests/plugins/deskcore_dummy) implements every hook and records each call
in ``CALLS``; each test here checks that one hook runs at its documented moment, with its
documented arguments, and that what it returns or raises has the documented effect.
"""

from decimal import Decimal

import deskcore_alpha as alpha
import deskcore_dummy.plugin as dummy
import pytest
from deskcore_dummy.models import DummyNote
from markupsafe import Markup
from sqlalchemy import select

from deskcore import Veto
from deskcore.contributions import Action, Badge, FormField, MenuLink, Panel, Suggestion
from deskcore.errors import PluginError, ValidationError
from deskcore.extensions import db
from deskcore.models import HistoryEvent, PluginState, Queue, Status, Ticket
from deskcore.plugins import plugin_settings, registry
from deskcore.services import (
    add_comment,
    change_status,
    close_ticket,
    log_time,
    open_ticket,
    override_coverage,
    reassign_ticket,
    reopen_ticket,
    update_ticket,
)
from deskcore.services.plugin_admin import configure_plugin
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("dummy")

WITH_ALPHA = {"DESKCORE_PLUGIN_MODULES": ["deskcore_dummy.plugin", "deskcore_alpha"]}


@pytest.fixture(autouse=True)
def dummy_calls():
    """Each test starts with an empty record (before its app exists) and no planted errors."""
    dummy.CALLS.clear()
    dummy.RAISE.clear()
    alpha.CALLS.clear()
    yield
    dummy.RAISE.clear()


def calls(hook: str) -> list[dict]:
    """The keyword arguments of every call of ``hook`` on the dummy plugin, in order."""
    return [kwargs for name, kwargs in dummy.CALLS if name == hook]


def hooks_called() -> list[str]:
    return [name for name, _ in dummy.CALLS]


def status(code: str) -> Status:
    return db.session.scalar(select(Status).where(Status.code == code))


def history(ticket: Ticket) -> list[tuple]:
    rows = db.session.scalars(
        select(HistoryEvent).where(HistoryEvent.ticket_id == ticket.id).order_by(HistoryEvent.id)
    )
    return [(e.action, e.field, e.source) for e in rows]


def note_texts() -> list[str]:
    return list(db.session.scalars(select(DummyNote.text).order_by(DummyNote.id)))


# -- registration ----------------------------------------------------------------------------


def test_register_blueprints_mounts_pages_under_plugins_dummy(app, login, agent, disable_plugin):
    assert calls("register_blueprints") == [{"app": app}]
    client = login(agent)
    assert client.get("/plugins/dummy/ping").json == {"plugin": "dummy", "notes": 1}
    disable_plugin("dummy")
    assert client.get("/plugins/dummy/ping").status_code == 404


@pytest.mark.plugins()
def test_registration_hooks_run_for_installed_plugins_even_when_disabled(app, login, agent):
    assert hooks_called() == ["register_blueprints", "register_api_routes", "register_commands"]
    assert login(agent).get("/plugins/dummy/ping").status_code == 404


def test_register_api_routes_mounts_json_under_api_v1_dummy(
    app, client, agent, disable_plugin, enable_plugin
):
    assert calls("register_api_routes") == [{"app": app}]
    _, token = create_token(agent)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.get("/api/v1/dummy/notes")
    assert response.json == {"notes": [{"id": 1, "ticket_id": None, "text": dummy.WELCOME_NOTE}]}
    disable_plugin("dummy")
    response = client.get("/api/v1/dummy/notes")
    assert (response.status_code, response.is_json) == (404, True)
    enable_plugin("dummy")
    assert client.get("/api/v1/dummy/notes").status_code == 200


def test_register_commands_adds_a_command_that_refuses_while_disabled(app, disable_plugin):
    assert calls("register_commands") == [{"cli": app.cli}]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["dummy-hello", "Ana"]).output == "Hello, Ana!\n"
    disable_plugin("dummy")
    result = runner.invoke(args=["dummy-hello", "Ana"])
    assert result.exit_code == 1
    assert "plugin 'dummy' is disabled" in result.output
    assert "Hello" not in result.output


def test_register_reports_contributes_reports_while_enabled(app, disable_plugin):
    [[report]] = registry().hook.register_reports()
    assert calls("register_reports") == [{}]
    assert (report.name, report.title) == ("dummy_notes", "Dummy notes")
    assert report.run() == [{"id": 1, "ticket_id": None, "text": dummy.WELCOME_NOTE}]
    disable_plugin("dummy")
    assert registry().hook.register_reports() == []


def test_settings_schema_gives_complete_settings_with_defaults(app):
    assert plugin_settings("dummy") == {
        "greeting": "Hello",
        "max_notes": 10,
        "fee": Decimal("9.90"),
    }
    assert calls("settings_schema") == [{}]


def test_settings_schema_validates_and_stores_changes(app):
    configure_plugin("dummy", {"greeting": "Hola", "fee": "12.5"})
    assert plugin_settings("dummy") == {
        "greeting": "Hola",
        "max_notes": 10,
        "fee": Decimal("12.50"),
    }
    assert app.test_cli_runner().invoke(args=["dummy-hello", "Ana"]).output == "Hola, Ana!\n"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"max_notes": 0}, "max_notes"),
        ({"greeting": ""}, "greeting"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_settings_schema_refuses_a_bad_value_and_keeps_the_old_ones(app, changes, field):
    configure_plugin("dummy", {"max_notes": 3})
    with pytest.raises(ValidationError) as exc:
        configure_plugin("dummy", {"greeting": "Hola", **changes})
    assert list(exc.value.messages) == [field]
    assert plugin_settings("dummy")["greeting"] == "Hello"
    assert plugin_settings("dummy")["max_notes"] == 3


def test_settings_the_plugin_no_longer_declares_are_ignored(app):
    configure_plugin("dummy", {"greeting": "Hola"})
    state = db.session.get(PluginState, "dummy")
    state.settings = {**state.settings, "colour": "red"}
    db.session.commit()
    assert plugin_settings("dummy")["greeting"] == "Hola"
    assert "colour" not in plugin_settings("dummy")


# -- lifecycle -------------------------------------------------------------------------------


@pytest.mark.plugins()
@pytest.mark.parametrize("deskcore_config", [WITH_ALPHA])
def test_plugin_enabled_runs_only_on_the_plugin_being_enabled(app, enable_plugin):
    enable_plugin("dummy")
    assert calls("plugin_enabled") == [{"app": app}]
    assert alpha.CALLS == []
    assert note_texts() == [dummy.WELCOME_NOTE]
    enable_plugin("alpha")
    [(hook, kwargs)] = alpha.CALLS
    assert (hook, kwargs) == ("plugin_enabled", {"app": app})
    assert len(calls("plugin_enabled")) == 1


@pytest.mark.plugins("dummy", "alpha")
@pytest.mark.parametrize("deskcore_config", [WITH_ALPHA])
def test_plugin_disabled_runs_only_on_the_plugin_being_disabled(app, disable_plugin):
    alpha.CALLS.clear()
    disable_plugin("alpha")
    [(hook, kwargs)] = alpha.CALLS
    assert (hook, kwargs) == ("plugin_disabled", {"app": app})
    assert calls("plugin_disabled") == []
    disable_plugin("dummy")
    assert calls("plugin_disabled") == [{"app": app}]
    assert len(alpha.CALLS) == 1


def test_disabling_keeps_the_plugin_data_and_enabling_brings_it_back(
    make_ticket, disable_plugin, enable_plugin, login, agent
):
    make_ticket(extra={"dummy_note": "llamar antes"})
    disable_plugin("dummy")
    assert note_texts() == [dummy.WELCOME_NOTE, "llamar antes"]
    enable_plugin("dummy")
    assert len(calls("plugin_enabled")) == 2
    assert note_texts() == [dummy.WELCOME_NOTE, "llamar antes"]
    assert login(agent).get("/plugins/dummy/tickets/1").text == "llamar antes"


# -- opening a ticket ------------------------------------------------------------------------


def test_ticket_opening_gets_the_unnumbered_ticket_and_the_validated_input(agent, make_customer):
    customer = make_customer()
    ticket = open_ticket(
        {"customer_id": customer.id, "subject": " No enciende ", "extra": {"dummy_note": "x"}},
        agent,
    )
    [opening] = calls("ticket_opening")
    assert (opening["ticket"], opening["agent"]) == (ticket, agent)
    assert opening["data"]["subject"] == "No enciende"
    assert opening["data"]["extra"] == {"dummy_note": "x"}
    ticket_hooks = [h for h in hooks_called() if h.startswith("ticket_")]
    assert ticket_hooks == ["ticket_opening", "ticket_coverage", "ticket_opened"]


def test_veto_in_ticket_opening_writes_nothing_and_consumes_no_number(make_customer, agent):
    customer = make_customer()
    dummy.RAISE["ticket_opening"] = Veto("visits need a serial number")
    with pytest.raises(PluginError) as exc:
        open_ticket({"customer_id": customer.id, "subject": "Visita"}, agent)
    assert str(exc.value) == "plugin 'dummy' refused: visits need a serial number"
    assert (exc.value.plugin, exc.value.refused, exc.value.status) == ("dummy", True, 409)
    assert calls("ticket_opening")[0]["ticket"].number is None
    assert "ticket_opened" not in hooks_called()
    assert db.session.scalar(select(db.func.count(Ticket.id))) == 0
    dummy.RAISE.clear()
    assert open_ticket({"customer_id": customer.id, "subject": "Visita"}, agent).number == 1


def test_ticket_opened_gets_the_numbered_ticket_and_the_form_field_values(make_ticket, agent):
    ticket = make_ticket(extra={"dummy_note": "cliente frecuente"})
    assert calls("ticket_opened") == [
        {"ticket": ticket, "agent": agent, "extra": {"dummy_note": "cliente frecuente"}}
    ]
    assert ticket.number == 1
    assert ticket.customer.notes == "#1: cliente frecuente"
    assert note_texts() == [dummy.WELCOME_NOTE, "cliente frecuente"]


def test_a_plugin_failing_in_ticket_opened_rolls_everything_back_and_is_named(make_customer, agent):
    customer = make_customer(notes="VIP")
    dummy.RAISE["ticket_opened"] = RuntimeError("disk full")
    data = {"customer_id": customer.id, "subject": "No enciende", "extra": {"dummy_note": "x"}}
    with pytest.raises(PluginError) as exc:
        open_ticket(data, agent)
    assert str(exc.value) == "plugin 'dummy' failed in ticket_opened: RuntimeError: disk full"
    assert (exc.value.plugin, exc.value.hook, exc.value.status) == ("dummy", "ticket_opened", 500)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Ticket.id))) == 0
    assert db.session.scalar(select(db.func.count(HistoryEvent.id))) == 0
    assert customer.notes == "VIP"
    assert note_texts() == [dummy.WELCOME_NOTE]
    dummy.RAISE.clear()
    assert open_ticket(data, agent).number == 1


# -- changing a ticket -----------------------------------------------------------------------


def test_ticket_updated_gets_each_changed_field_as_old_and_new(make_ticket, make_customer, agent):
    ticket = make_ticket()
    old_customer, new_customer = ticket.customer, make_customer()
    update_ticket(
        ticket.number,
        {"subject": "Pantalla rota", "serial_number": "SN-1", "customer_id": new_customer.id},
        agent,
    )
    assert calls("ticket_updated") == [
        {
            "ticket": ticket,
            "changes": {
                "customer_id": (old_customer, new_customer),
                "subject": ("No enciende", "Pantalla rota"),
                "serial_number": (None, "SN-1"),
            },
            "agent": agent,
        }
    ]
    update_ticket(ticket.number, {"subject": "Pantalla rota"}, agent)
    assert len(calls("ticket_updated")) == 1


def test_ticket_status_changing_and_changed_get_both_statuses(make_ticket, agent):
    ticket = make_ticket()
    dummy.CALLS.clear()
    change_status(ticket.number, {"status_id": status("on_hold").id}, agent)
    expected = {
        "ticket": ticket,
        "old_status": status("pending"),
        "new_status": status("on_hold"),
        "agent": agent,
    }
    assert hooks_called() == ["ticket_status_changing", "ticket_status_changed"]
    assert calls("ticket_status_changing") == calls("ticket_status_changed") == [expected]


def test_veto_in_ticket_status_changing_keeps_the_status(make_ticket, agent):
    ticket = make_ticket()
    dummy.RAISE["ticket_status_changing"] = Veto("parts are on order")
    with pytest.raises(PluginError, match="plugin 'dummy' refused: parts are on order"):
        change_status(ticket.number, {"status_id": status("on_hold").id}, agent)
    db.session.expire_all()
    assert ticket.status == status("pending")
    assert history(ticket) == [("opened", "status", "core")]
    assert "ticket_status_changed" not in hooks_called()


def test_veto_in_ticket_closing_keeps_the_ticket_open(make_ticket, agent):
    ticket = make_ticket()
    dummy.RAISE["ticket_closing"] = Veto("supplies are not priced yet")
    with pytest.raises(PluginError, match="plugin 'dummy' refused: supplies are not priced yet"):
        close_ticket(ticket.number, {"resolution": "Cambio de fuente"}, agent)
    db.session.expire_all()
    assert (ticket.status, ticket.resolution, ticket.closed_at) == (status("pending"), "", None)
    assert "ticket_closed" not in hooks_called()


def test_ticket_closing_is_not_asked_for_other_status_changes(make_ticket, agent):
    ticket = make_ticket()
    change_status(ticket.number, {"status_id": status("resolved").id, "resolution": "ok"}, agent)
    assert calls("ticket_closing") == calls("ticket_closed") == []


def test_ticket_closed_fires_when_close_ticket_closes(make_ticket, agent):
    ticket = make_ticket()
    dummy.CALLS.clear()
    close_ticket(ticket.number, {"resolution": "Cambio de fuente"}, agent)
    assert hooks_called() == [
        "ticket_status_changing",
        "ticket_closing",
        "ticket_status_changed",
        "ticket_closed",
    ]
    assert calls("ticket_closing") == calls("ticket_closed") == [{"ticket": ticket, "agent": agent}]
    assert ticket.resolution == "Cambio de fuente"


def test_ticket_closed_fires_when_a_status_change_enters_a_closed_status(make_ticket, agent):
    ticket = make_ticket()
    change_status(ticket.number, {"status_id": status("closed").id, "resolution": "ok"}, agent)
    assert calls("ticket_closed") == [{"ticket": ticket, "agent": agent}]


def test_ticket_reopened_fires_when_reopen_ticket_reopens(make_ticket, agent):
    ticket = make_ticket()
    close_ticket(ticket.number, {"resolution": "Cambio de fuente"}, agent)
    dummy.CALLS.clear()
    reopen_ticket(ticket.number, {}, agent)
    assert hooks_called() == ["ticket_status_changing", "ticket_status_changed", "ticket_reopened"]
    assert calls("ticket_status_changed")[0]["old_status"] == status("closed")
    assert calls("ticket_reopened") == [{"ticket": ticket, "agent": agent}]


def test_ticket_reopened_is_not_called_when_leaving_a_waiting_status(make_ticket, agent):
    ticket = make_ticket()
    change_status(ticket.number, {"status_id": status("on_hold").id}, agent)
    change_status(ticket.number, {"status_id": status("pending").id}, agent)
    assert calls("ticket_reopened") == []


def test_ticket_reassigned_gets_the_previous_queue_and_assignee(make_ticket, make_user, agent):
    queue = Queue(name="Taller")
    db.session.add(queue)
    db.session.commit()
    ticket = make_ticket()
    technician = make_user("agent")
    reassign_ticket(ticket.number, {"queue_id": queue.id, "assignee_id": technician.id}, agent)
    reassign_ticket(ticket.number, {"assignee_id": agent.id}, agent)
    reassign_ticket(ticket.number, {"assignee_id": agent.id}, agent)
    assert calls("ticket_reassigned") == [
        {"ticket": ticket, "old_queue": None, "old_assignee": None, "agent": agent},
        {"ticket": ticket, "old_queue": queue, "old_assignee": technician, "agent": agent},
    ]


def test_comment_added_gets_the_stored_comment(make_ticket, agent):
    ticket = make_ticket()
    comment = add_comment(ticket.number, {"body": "Llega mañana", "visibility": "public"}, agent)
    assert calls("comment_added") == [{"ticket": ticket, "comment": comment, "agent": agent}]
    assert (comment.id, comment.visibility) == (1, "public")


def test_time_logged_gets_the_stored_entry(make_ticket, agent):
    ticket = make_ticket()
    entry = log_time(ticket.number, {"minutes": 45, "spent_on": "2026-03-02"}, agent)
    assert calls("time_logged") == [{"ticket": ticket, "entry": entry, "agent": agent}]
    assert (entry.id, entry.minutes, entry.spent_on.isoformat()) == (1, 45, "2026-03-02")


# -- coverage --------------------------------------------------------------------------------


def test_ticket_coverage_proposal_decides_the_coverage_with_plugin_and_reason(make_ticket):
    ticket = make_ticket(serial_number="DUMMY-42")
    assert calls("ticket_coverage") == [{"ticket": ticket}]
    assert (ticket.coverage, ticket.coverage_plugin, ticket.coverage_reason) == (
        "warranty",
        "dummy",
        "dummy warranty for DUMMY-42",
    )
    assert make_ticket(serial_number="SN-1").coverage_plugin == "core"


def test_ticket_coverage_is_asked_again_when_the_serial_number_changes(make_ticket, agent):
    ticket = make_ticket(serial_number="SN-1")
    update_ticket(ticket.number, {"subject": "Otra cosa"}, agent)
    assert len(calls("ticket_coverage")) == 1
    update_ticket(ticket.number, {"serial_number": "DUMMY-7"}, agent)
    assert len(calls("ticket_coverage")) == 2
    assert (ticket.coverage, ticket.coverage_plugin) == ("warranty", "dummy")
    assert ("coverage", "coverage", "dummy") in history(ticket)


def test_a_supervisor_override_is_not_replaced_by_later_proposals(make_ticket, supervisor, agent):
    ticket = make_ticket(serial_number="DUMMY-1")
    override_coverage(ticket.number, {"kind": "courtesy", "reason": "gesto comercial"}, supervisor)
    update_ticket(ticket.number, {"serial_number": "DUMMY-2"}, agent)
    assert len(calls("ticket_coverage")) == 1
    assert (ticket.coverage, ticket.coverage_plugin, ticket.coverage_reason) == (
        "courtesy",
        "core",
        "gesto comercial",
    )


# -- UI contributions ------------------------------------------------------------------------


def test_menu_links_returns_the_plugin_links_for_the_user(app, agent):
    with app.test_request_context():
        assert registry().hook.menu_links(user=agent) == [
            [MenuLink("Dummy", "/plugins/dummy/ping")]
        ]
    assert calls("menu_links") == [{"user": agent}]


def test_ticket_panels_returns_panels_for_the_ticket_page(app, make_ticket, agent):
    ticket = make_ticket(extra={"dummy_note": "x"})
    panels = registry().hook.ticket_panels(ticket=ticket, user=agent)
    assert panels == [[Panel("Dummy notes", Markup("<p>1 dummy notes</p>"))]]
    assert calls("ticket_panels") == [{"ticket": ticket, "user": agent}]


def test_customer_panels_returns_escaped_panels_for_the_customer_page(app, make_customer, agent):
    customer = make_customer(name="Ana <b>Pérez</b>")
    [[panel]] = registry().hook.customer_panels(customer=customer, user=agent)
    assert panel.html == "<p>Dummy knows Ana &lt;b&gt;Pérez&lt;/b&gt;</p>"
    assert calls("customer_panels") == [{"customer": customer, "user": agent}]


def test_customer_badges_gets_the_whole_page_of_customers_at_once(app, make_customer):
    page = [make_customer(), make_customer()]
    badges = registry().hook.customer_badges(customers=page)
    assert badges == [[Badge(page[0].id, "dummy"), Badge(page[1].id, "dummy")]]
    assert calls("customer_badges") == [{"customers": page}]


def test_ticket_actions_returns_buttons_that_lead_to_plugin_pages(app, login, make_ticket, agent):
    ticket = make_ticket(extra={"dummy_note": "revisar cable"})
    with app.test_request_context():
        [[action]] = registry().hook.ticket_actions(ticket=ticket, user=agent)
    assert action == Action("Dummy notes", "/plugins/dummy/tickets/1")
    assert calls("ticket_actions") == [{"ticket": ticket, "user": agent}]
    assert login(agent).get(action.url).text == "revisar cable"


def test_ticket_form_fields_values_reach_the_opening_hooks(app, make_ticket, agent):
    [[field]] = registry().hook.ticket_form_fields(user=agent)
    assert field == FormField("dummy_note", "Dummy note", type="textarea", help="Kept by the dummy")
    assert calls("ticket_form_fields") == [{"user": agent}]
    make_ticket(extra={field.name: "frágil"})
    assert calls("ticket_opening")[0]["data"]["extra"] == {"dummy_note": "frágil"}
    assert calls("ticket_opened")[0]["extra"] == {"dummy_note": "frágil"}


def test_ticket_suggestions_answers_what_the_agent_typed_so_far(app, agent):
    hooks = registry().hook
    found = hooks.ticket_suggestions(subject="No enciende", symptom="", user=agent)
    assert found == [[Suggestion("Dummy answer to: No enciende", summary="")]]
    assert hooks.ticket_suggestions(subject="", symptom="", user=agent) == [[]]
    assert calls("ticket_suggestions")[0] == {
        "subject": "No enciende",
        "symptom": "",
        "user": agent,
    }


# -- enabled plugins only --------------------------------------------------------------------


@pytest.mark.plugins()
def test_hooks_are_not_called_on_disabled_plugins(app, make_ticket, agent, supervisor):
    _every_operation(app, make_ticket, agent)
    assert hooks_called() == ["register_blueprints", "register_api_routes", "register_commands"]


def test_hooks_stop_as_soon_as_the_plugin_is_disabled(app, make_ticket, agent, disable_plugin):
    disable_plugin("dummy")
    dummy.CALLS.clear()
    _every_operation(app, make_ticket, agent)
    assert hooks_called() == []


def _every_operation(app, make_ticket, agent) -> None:
    """Open, change, close and reopen a ticket and ask every UI hook: nothing may answer."""
    ticket = make_ticket(serial_number="DUMMY-1", extra={"dummy_note": "x"})
    assert (ticket.coverage, ticket.coverage_plugin) == ("billable", "core")
    update_ticket(ticket.number, {"subject": "Otra"}, agent)
    add_comment(ticket.number, {"body": "Hola"}, agent)
    log_time(ticket.number, {"minutes": 5}, agent)
    reassign_ticket(ticket.number, {"assignee_id": agent.id}, agent)
    change_status(ticket.number, {"status_id": status("on_hold").id}, agent)
    close_ticket(ticket.number, {"resolution": "ok"}, agent)
    reopen_ticket(ticket.number, {}, agent)
    hooks = registry().hook
    with app.test_request_context():
        assert hooks.menu_links(user=agent) == []
        assert hooks.ticket_panels(ticket=ticket, user=agent) == []
        assert hooks.customer_panels(customer=ticket.customer, user=agent) == []
        assert hooks.customer_badges(customers=[ticket.customer]) == []
        assert hooks.ticket_actions(ticket=ticket, user=agent) == []
        assert hooks.ticket_form_fields(user=agent) == []
        assert hooks.register_reports() == []
        assert hooks.ticket_suggestions(subject="No enciende", symptom="", user=agent) == []
