"""Tickets over the API: the list with filters and cursor pages, open, read with the
timeline, update, and the workflow, all through the services the UI uses."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import event, select

from deskcore.extensions import db
from deskcore.models import Status


def status_id(code: str) -> int:
    return db.session.scalar(select(Status.id).where(Status.code == code))


def test_open_a_ticket(api, agent, make_customer):
    customer = make_customer(name="Juan Pérez")
    response = api.post(
        "/tickets", json={"customer_id": customer.id, "subject": "No enciende", "channel": "email"}
    )
    assert response.status_code == 201, response.json
    ticket = response.json
    assert ticket["number"] == 1
    assert ticket["customer"] == {"id": customer.id, "name": "Juan Pérez"}
    assert ticket["status"]["code"] == "pending"
    assert (ticket["channel"], ticket["entered_by_id"]) == ("email", agent.id)
    assert ticket["coverage"]["kind"] == "billable"


def test_opening_reads_no_classification_and_does_not_reload_the_agent(api, make_customer):
    body = {"customer_id": make_customer().id, "subject": "No enciende"}
    assert api.post("/tickets", json=body).status_code == 201  # fills the defaults cache
    statements: list[str] = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = api.post("/tickets", json=body)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 201, response.text
    assert response.json["status"]["category"] == "open"
    joined = "\n".join(statements)
    for table in ("ticket_types", "priorities", "statuses", "customer_phones", "FROM users"):
        assert table not in joined, joined
    # token, [BEGIN IMMEDIATE], customer, defaults' version, enabled plugins, number,
    # ticket, history (SQLite adds its BEGIN statements)
    assert len(statements) <= 9, joined


def test_read_a_ticket_with_its_timeline(api, make_ticket):
    ticket = make_ticket(subject="Pantalla rota")
    api.post(f"/tickets/{ticket.number}/comments", json={"body": "Llamé al cliente"})
    api.post(f"/tickets/{ticket.number}/time-entries", json={"minutes": 15})
    response = api.get(f"/tickets/{ticket.number}")
    assert response.status_code == 200
    detail = response.json
    assert detail["subject"] == "Pantalla rota" and detail["related"] == []
    assert [e["kind"] for e in detail["timeline"]] == ["history", "comment", "time"]
    assert detail["timeline"][0]["history"]["action"] == "opened"
    assert detail["timeline"][1]["comment"]["body"] == "Llamé al cliente"
    assert detail["timeline"][2]["time"]["minutes"] == 15


def test_related_tickets_are_listed_by_number(api, make_ticket, make_customer):
    first = make_ticket()
    second = api.post(
        "/tickets",
        json={"customer_id": make_customer().id, "subject": "Otra vez", "related": [first.number]},
    ).json
    assert api.get(f"/tickets/{second['number']}").json["related"] == [first.number]


def test_the_list_filters_and_pages_with_next_links(api, make_ticket, make_customer):
    customer = make_customer()
    for n in range(5):
        make_ticket(customer_id=customer.id, subject=f"Caso {n}")
    make_ticket(subject="Otro cliente")
    response = api.get("/tickets", query_string={"customer_id": customer.id, "limit": 2})
    numbers, pages = [], 0
    while True:
        assert response.status_code == 200
        numbers += [t["number"] for t in response.json["items"]]
        pages += 1
        if response.json["next"] is None:
            break
        link = urlsplit(response.json["next"])
        assert link.path == "/api/v1/tickets" and f"customer_id={customer.id}" in link.query
        response = api.get(f"/tickets?{link.query}")
    assert numbers == [5, 4, 3, 2, 1] and pages == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "impresora"}, [2]),
        ({"status_category": "closed"}, [3]),
        ({"view": "unassigned"}, [2, 1]),
        ({"sort": "number"}, [1, 2, 3]),
        ({"serial_number": "SN-1"}, [1]),
    ],
)
def test_every_filter_of_the_ticket_list_works(api, make_ticket, query, expected):
    make_ticket(subject="Teclado", serial_number="SN-1")
    make_ticket(subject="Impresora atascada")
    closed = make_ticket(subject="Mouse")
    api.post(f"/tickets/{closed.number}/close", json={"resolution": "cambiado"})
    numbers = [t["number"] for t in api.get("/tickets", query_string=query).json["items"]]
    assert numbers == expected


def test_update_fields_and_see_them_in_history(api, make_ticket):
    ticket = make_ticket()
    response = api.patch(f"/tickets/{ticket.number}", json={"serial_number": "AB-12"})
    assert response.status_code == 200 and response.json["serial_number"] == "AB-12"
    history = [e["history"] for e in api.get(f"/tickets/{ticket.number}").json["timeline"]]
    assert history[-1]["field"] == "serial_number" and history[-1]["new_value"] == "AB-12"


def test_a_ticket_keeps_its_type_and_priority(api, make_ticket):
    ticket = make_ticket()
    response = api.patch(f"/tickets/{ticket.number}", json={"type_id": None, "priority_id": None})
    assert response.status_code == 400
    assert set(response.json["errors"]) <= {"type_id", "priority_id"}


def test_status_changes_follow_the_workflow(api, make_ticket):
    ticket = make_ticket()
    moved = api.post(f"/tickets/{ticket.number}/status", json={"status_id": status_id("on_hold")})
    assert moved.status_code == 200 and moved.json["status"]["code"] == "on_hold"
    same = api.post(f"/tickets/{ticket.number}/status", json={"status_id": status_id("on_hold")})
    assert same.status_code == 409 and "on_hold" not in same.json.get("errors", {})


def test_close_and_reopen(api, make_ticket):
    ticket = make_ticket()
    without = api.post(f"/tickets/{ticket.number}/close", json={})
    assert without.status_code == 400 and "resolution" in without.json["errors"]
    closed = api.post(f"/tickets/{ticket.number}/close", json={"resolution": "Cambio de fuente"})
    assert closed.status_code == 200
    assert closed.json["status"]["category"] == "closed" and closed.json["closed_at"]
    assert api.post(f"/tickets/{ticket.number}/close", json={"resolution": "x"}).status_code == 409
    reopened = api.post(f"/tickets/{ticket.number}/reopen")
    assert reopened.status_code == 200 and reopened.json["status"]["code"] == "pending"
    assert api.post(f"/tickets/{ticket.number}/reopen").status_code == 409


def test_reassign(api, make_ticket, supervisor):
    ticket = make_ticket()
    response = api.post(f"/tickets/{ticket.number}/reassign", json={"assignee_id": supervisor.id})
    assert response.status_code == 200 and response.json["assignee_id"] == supervisor.id
    nothing = api.post(f"/tickets/{ticket.number}/reassign", json={})
    assert nothing.status_code == 400 and "_schema" in nothing.json["errors"]


def test_unknown_tickets_are_404_everywhere(api):
    for method, path in [
        ("get", "/tickets/77"),
        ("patch", "/tickets/77"),
        ("post", "/tickets/77/status"),
        ("post", "/tickets/77/reassign"),
        ("post", "/tickets/77/close"),
        ("post", "/tickets/77/reopen"),
        ("get", "/tickets/77/comments"),
        ("get", "/tickets/77/time-entries"),
        ("get", "/tickets/77/commitments"),
    ]:
        body = {"status_id": 1, "resolution": "x", "queue_id": None} if method != "get" else None
        response = getattr(api, method)(path, json=body)
        assert (response.status_code, response.is_json) == (404, True), path
