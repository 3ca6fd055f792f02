"""The ticket desk: list, new-ticket form, ticket page and every action on it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import deskcore_dummy.plugin as dummy
import pytest
from sqlalchemy import select

from deskcore import Veto
from deskcore.extensions import db
from deskcore.models import Comment, Commitment, CommitmentType, Queue, Status, Ticket, TimeEntry
from deskcore.services import add_commitment, change_status, close_ticket, reassign_ticket
from deskcore.services.history import record
from deskcore.services.unit_of_work import unit_of_work

pytestmark = pytest.mark.plugins("dummy")


def status(code: str) -> Status:
    return db.session.scalar(select(Status).where(Status.code == code))


def ticket_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="ticket-number">#(\d+)<', html)]


# -- list --------------------------------------------------------------------------------


def test_list_filters_by_status_and_text(as_agent, make_ticket, agent):
    printer = make_ticket(subject="Impresora atascada")
    screen = make_ticket(subject="Pantalla rota")
    close_ticket(screen.number, {"resolution": "cambiada"}, agent)
    assert ticket_numbers(as_agent.get("/tickets/").text) == [screen.number, printer.number]
    closed = as_agent.get(f"/tickets/?status_id={status('closed').id}").text
    assert ticket_numbers(closed) == [screen.number]
    assert ticket_numbers(as_agent.get("/tickets/?q=impresora").text) == [printer.number]


def test_quick_views_mine_and_unassigned(as_agent, make_ticket, agent):
    mine = make_ticket(assignee_id=agent.id)
    nobody = make_ticket()
    assert ticket_numbers(as_agent.get("/tickets/?view=mine").text) == [mine.number]
    assert ticket_numbers(as_agent.get("/tickets/?view=unassigned").text) == [nobody.number]


def test_overdue_commitments_view(as_agent, make_ticket, agent):
    late, fine = make_ticket(), make_ticket()
    kind = db.session.scalar(select(CommitmentType.id))
    for ticket, days in ((late, -1), (fine, 2)):
        due = (datetime.now(UTC) + timedelta(days=days)).isoformat()
        add_commitment(
            ticket.number, {"type_id": kind, "responsible_id": agent.id, "due_at": due}, agent
        )
    page = as_agent.get("/tickets/?view=overdue_commitments").text
    assert ticket_numbers(page) == [late.number]


def test_cursor_pages_keep_the_filters(as_agent, make_ticket):
    numbers = [make_ticket(subject="Lote").number for _ in range(5)]
    first = as_agent.get("/tickets/?q=Lote&limit=2").text
    assert ticket_numbers(first) == numbers[:-3:-1]
    next_url = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=Lote" in next_url
    second = as_agent.get(next_url).text
    assert ticket_numbers(second) == [numbers[2], numbers[1]]


@pytest.mark.parametrize(
    "query",
    [
        "received_from=2026-13-45",
        "received_from=2026-05-01&received_to=2026-01-01",
        "status_id=abc",
        "cursor=not-a-cursor",
        "sort=sideways",
        "limit=100000",
        "q=" + "x" * 5000,
        "coverage=<script>",
    ],
)
def test_malformed_filters_show_a_message_not_a_500(as_agent, query):
    response = as_agent.get(f"/tickets/?{query}")
    assert response.status_code == 400
    assert "field-error" in response.text or "alert-danger" in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]


# -- new ticket --------------------------------------------------------------------------


def test_new_ticket_with_plugin_field_goes_to_the_ticket(as_agent, make_customer):
    customer = make_customer()
    queue = Queue(name="Soporte")
    db.session.add(queue)
    db.session.commit()
    form = as_agent.get(f"/tickets/new?customer_id={customer.id}").text
    assert 'name="extra_dummy_note"' in form
    response = as_agent.post(
        "/tickets/new",
        data={
            "customer_id": str(customer.id), "subject": "No enciende", "symptom": "Nada",
            "channel": "email", "serial_number": "SN-1", "order_ref": "PED-9",
            "estimated_close_on": "2030-01-31", "queue_id": str(queue.id),
            "extra_dummy_note": "nota del plugin",
        },
    )  # fmt: skip
    ticket = db.session.scalar(select(Ticket))
    assert response.headers["Location"].endswith(f"/tickets/{ticket.number}")
    assert (ticket.channel, ticket.order_ref, ticket.queue.name) == ("email", "PED-9", "Soporte")
    opened = [kw for name, kw in dummy.CALLS if name == "ticket_opened"]
    assert opened[0]["extra"] == {"dummy_note": "nota del plugin"}


def test_errors_are_shown_next_to_fields_and_nothing_typed_is_lost(as_agent, make_customer):
    customer = make_customer()
    response = as_agent.post(
        "/tickets/new",
        data={
            "customer_id": str(customer.id), "subject": "", "symptom": "Se apaga solo",
            "estimated_close_on": "31/31/2030", "priority_id": "999", "related": "#77",
            "extra_dummy_note": "no se pierde",
        },
    )  # fmt: skip
    assert response.status_code == 400
    page = response.text
    assert 'id="subject-error">This field is required.' in page
    assert 'id="estimated_close_on-error">Not a valid date.' in page
    assert ">Se apaga solo</textarea>" in page and ">no se pierde</textarea>" in page
    assert 'value="#77"' in page
    assert db.session.scalar(select(Ticket.id)) is None


def test_a_plugin_veto_is_a_form_message(as_agent, make_customer):
    customer = make_customer()
    dummy.RAISE["ticket_opening"] = Veto("needs a serial number")
    response = as_agent.post(
        "/tickets/new", data={"customer_id": str(customer.id), "subject": "Algo"}
    )
    assert response.status_code == 409
    assert "Plugin &#39;dummy&#39; refused: needs a serial number." in response.text
    assert 'value="Algo"' in response.text


def test_a_plugin_bug_is_a_form_message_too(as_agent, make_customer):
    customer = make_customer()
    dummy.RAISE["ticket_opened"] = RuntimeError("disk full")
    response = as_agent.post(
        "/tickets/new", data={"customer_id": str(customer.id), "subject": "Algo"}
    )
    assert response.status_code == 409
    assert "failed in ticket_opened" in response.text


def test_new_ticket_without_customer_asks_for_one(as_agent, make_customer):
    make_customer(name="Carla Fuentes")
    response = as_agent.post("/tickets/new", data={"subject": "Algo"})
    assert response.status_code == 400
    assert "Choose the customer first." in response.text
    picker = as_agent.get("/tickets/new?customer_q=carla").text
    assert "Carla Fuentes" in picker and "customer_id=" in picker


def test_suggestions_fragment_and_server_side_after_submit(as_agent, make_customer):
    fragment = as_agent.get("/tickets/suggestions?subject=Impresora&symptom=atasco").text
    assert "Dummy answer to: Impresora" in fragment and "<html" not in fragment
    response = as_agent.post(
        "/tickets/new", data={"subject": "Impresora", "symptom": "atasco", "action": "suggest"}
    )
    assert "Dummy answer to: Impresora" in response.text
    assert db.session.scalar(select(Ticket.id)) is None


# -- ticket page -------------------------------------------------------------------------


def test_ticket_page_shows_fields_timeline_coverage_panels_and_actions(as_agent, make_ticket):
    ticket = make_ticket(serial_number="DUMMY-7", order_ref="PED-1", symptom="No carga")
    page = as_agent.get(f"/tickets/{ticket.number}").text
    assert "No carga" in page and "PED-1" in page and "DUMMY-7" in page
    assert "dummy warranty for DUMMY-7" in page and "Decided by the dummy plugin." in page
    billable = as_agent.get(f"/tickets/{make_ticket().number}").text
    assert "Decided by the desk's default rule." in billable
    assert "opened the ticket" in page
    assert "dummy notes</p>" in page
    assert f"/plugins/dummy/tickets/{ticket.number}" in page


def test_timeline_names_a_changed_field_once(as_agent, make_ticket, agent):
    """An action that names its field ("changed the status") is not followed by the field's
    name again; a generic one ("changed", "reassigned") says which field it was."""
    ticket = make_ticket()
    opened = ticket.status.name
    on_hold = db.session.scalar(select(Status).where(Status.name == "On hold"))
    change_status(ticket.number, {"status_id": on_hold.id}, agent)
    queue = Queue(name="Terreno")
    db.session.add(queue)
    db.session.commit()
    reassign_ticket(ticket.number, {"queue_id": queue.id}, agent)
    lines = timeline_lines(as_agent.get(f"/tickets/{ticket.number}").text)
    assert any(line.endswith(f"changed the status: {opened} → On hold") for line in lines)
    assert any(line.endswith("reassigned queue Terreno") for line in lines), lines
    assert not any("status status" in line for line in lines)


def timeline_lines(page: str) -> list[str]:
    """The history entries of a ticket page as plain text."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", line).split())
        for line in re.findall(r'<li class="tl tl-history">.*?</li>', page, re.S)
    ]


def test_plugins_word_their_history_actions(as_agent, make_ticket, agent, disable_plugin):
    ticket = make_ticket()
    with unit_of_work():
        record(ticket, "dummy_noted", agent, field="note", new="hello", source="dummy")
        record(ticket, "dummy_touched", agent, field="gadget", new="on", source="dummy")
    on_hold = db.session.scalar(select(Status).where(Status.name == "On hold"))
    change_status(ticket.number, {"status_id": on_hold.id}, agent)
    lines = timeline_lines(as_agent.get(f"/tickets/{ticket.number}").text)
    assert any(line.endswith("took a dummy note hello") for line in lines), lines
    assert any(line.endswith("touched gadget on") for line in lines), lines
    assert any("changed the status:" in line for line in lines), lines  # not the plugin's
    assert not any("hijacked" in line or "dummy_noted" in line for line in lines)

    disable_plugin("dummy")  # no labels: the actions as recorded
    lines = timeline_lines(as_agent.get(f"/tickets/{ticket.number}").text)
    assert any(line.endswith("dummy_noted note hello") for line in lines), lines


def test_only_allowed_transitions_are_offered(as_agent, make_ticket):
    ticket = make_ticket()
    page = as_agent.get(f"/tickets/{ticket.number}").text
    status_form = page.split('id="status"', 1)[1].split("</form>", 1)[0]
    offered = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', status_form)
    assert offered == ["On hold", "Resolved", "Closed"]


def test_comment_reassign_time_and_commitments(as_agent, make_ticket, agent):
    ticket = make_ticket()
    n = ticket.number
    queue = Queue(name="Terreno")
    db.session.add(queue)
    db.session.commit()
    kind = db.session.scalar(select(CommitmentType.id))
    steps = [
        ("comment", {"body": "Llamó otra vez", "visibility": "public"}),
        ("reassign", {"queue_id": str(queue.id), "assignee_id": str(agent.id)}),
        ("time", {"minutes": "25", "note": "diagnóstico"}),
        ("commitments", {"type_id": str(kind), "responsible_id": str(agent.id),
                         "due_at": "2030-01-02T10:00"}),
    ]  # fmt: skip
    for path, data in steps:
        response = as_agent.post(f"/tickets/{n}/{path}", data=data)
        assert response.status_code == 302, (path, response.text)
    commitment = db.session.scalar(select(Commitment))
    response = as_agent.post(
        f"/tickets/{n}/commitments/{commitment.id}/reschedule",
        data={"due_at": "2030-01-05T09:30", "reason": "cliente de viaje"},
    )
    assert response.status_code == 302
    db.session.refresh(commitment)
    assert commitment.due_at == datetime(2030, 1, 5, 9, 30, tzinfo=UTC)
    assert as_agent.post(f"/tickets/{n}/commitments/{commitment.id}/complete").status_code == 302
    db.session.refresh(ticket)
    assert ticket.assignee_id == agent.id and ticket.queue_id == queue.id
    assert db.session.scalar(select(Comment.visibility)) == "public"
    assert db.session.scalar(select(TimeEntry.minutes)) == 25
    page = as_agent.get(f"/tickets/{n}").text
    assert "Llamó otra vez" in page and "rescheduled a commitment" in page
    assert "completed a commitment" in page


def test_close_then_reopen(as_agent, make_ticket):
    ticket = make_ticket()
    refused = as_agent.post(f"/tickets/{ticket.number}/close", data={"resolution": ""})
    assert refused.status_code == 400 and "This field is required." in refused.text
    closed = as_agent.post(f"/tickets/{ticket.number}/close", data={"resolution": "Reemplazo"})
    assert closed.status_code == 302
    db.session.refresh(ticket)
    assert ticket.status.code == "closed" and ticket.resolution == "Reemplazo"
    page = as_agent.get(f"/tickets/{ticket.number}").text
    assert "Reopen ticket" in page and "Close ticket" not in page
    assert as_agent.post(f"/tickets/{ticket.number}/reopen").status_code == 302
    db.session.refresh(ticket)
    assert ticket.status.code == "pending"


def test_a_refused_transition_is_a_form_message(as_agent, make_ticket):
    ticket = make_ticket()
    response = as_agent.post(
        f"/tickets/{ticket.number}/status", data={"status_id": str(status("pending").id)}
    )
    assert response.status_code == 409
    assert "already" in response.text or "cannot go" in response.text


def test_link_a_related_ticket(as_agent, make_ticket):
    earlier, ticket = make_ticket(), make_ticket()
    missing = as_agent.post(f"/tickets/{ticket.number}/link", data={"related": "#99999"})
    assert missing.status_code == 404 and "not found" in missing.text
    assert (
        as_agent.post(
            f"/tickets/{ticket.number}/link", data={"related": f"#{earlier.number}"}
        ).status_code
        == 302
    )
    db.session.refresh(ticket)
    assert [t.number for t in ticket.related] == [earlier.number]


def test_edit_fields(as_agent, make_ticket):
    ticket = make_ticket()
    form = as_agent.get(f"/tickets/{ticket.number}/edit").text
    assert 'value="No enciende"' in form
    response = as_agent.post(
        f"/tickets/{ticket.number}/edit",
        data={"subject": "Enciende a veces", "diagnosis": "fuente", "channel": "web",
              "type_id": str(ticket.type_id), "priority_id": str(ticket.priority_id)},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(ticket)
    assert (ticket.subject, ticket.diagnosis, ticket.channel) == (
        "Enciende a veces",
        "fuente",
        "web",
    )


def test_coverage_override_and_restore(client_for, supervisor, make_ticket):
    ticket = make_ticket(serial_number="DUMMY-1")
    client = client_for(supervisor)
    client.post(
        f"/tickets/{ticket.number}/coverage", data={"kind": "courtesy", "reason": "cliente VIP"}
    )
    db.session.refresh(ticket)
    assert (ticket.coverage, ticket.coverage_overridden) == ("courtesy", True)
    assert "Set by a supervisor." in client.get(f"/tickets/{ticket.number}").text
    client.post(f"/tickets/{ticket.number}/coverage/restore")
    db.session.refresh(ticket)
    assert (ticket.coverage, ticket.coverage_overridden) == ("warranty", False)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("comment", {"body": "x" * 60000}),
        ("comment", {"body": "hola", "visibility": "everyone"}),
        ("status", {"status_id": "abc"}),
        ("status", {"status_id": "999999"}),
        ("reassign", {"queue_id": "-1"}),
        ("reassign", {}),
        ("time", {"minutes": "0"}),
        ("time", {"minutes": "veinte", "spent_on": "ayer"}),
        ("commitments", {"type_id": "1", "responsible_id": "1", "due_at": "2030-02-30T25:00"}),
        ("commitments/999999/reschedule", {"due_at": "2030-01-01T10:00"}),
        ("commitments/999999/complete", {}),
        ("link", {"related": "<b>1</b>"}),
        ("edit", {"subject": "x" * 500, "estimated_close_on": "mañana", "type_id": "<i>"}),
        ("coverage", {"kind": "free", "reason": ""}),
    ],
)
def test_no_action_answers_500_whatever_is_typed(client_for, admin, make_ticket, path, data):
    ticket = make_ticket()
    response = client_for(admin).post(f"/tickets/{ticket.number}/{path}", data=data)
    assert response.status_code in (400, 404, 409), response.text
    assert "<i>" not in response.text and "<b>1</b>" not in response.text


def test_an_action_on_an_unknown_ticket_is_a_404_page(as_agent):
    response = as_agent.post("/tickets/424242/comment", data={"body": "hola"})
    assert response.status_code == 404
