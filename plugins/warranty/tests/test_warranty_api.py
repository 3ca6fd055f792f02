"""The JSON API under /api/v1/warranty/: bearer tokens, claims and units by serial number."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from deskcore.extensions import db
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("warranty")

API = "/api/v1/warranty"


@pytest.fixture
def api(client, agent):
    """``api.get(path)``, ``api.post(path, json)`` with the agent's bearer token."""
    _, secret = create_token(agent, "tests")
    headers = {"Authorization": f"Bearer {secret}"}

    class Api:
        def __init__(self):
            self.headers = headers

        def get(self, path: str, **kwargs):
            return client.get(API + path, headers=headers, **kwargs)

        def post(self, path: str, json=None):
            return client.post(API + path, headers=headers, json=json)

    return Api()


@pytest.fixture
def ticket(make_unit, make_ticket):
    unit = make_unit("SN-1", sale_price="1000.00")
    return make_ticket(
        customer_id=unit.customer_id, serial_number="SN-1", received_at="2024-06-01T10:00:00Z"
    )


def test_every_route_needs_a_bearer_token(client, agent, login):
    login(agent)  # a browser session is not enough: the API has no CSRF protection
    for method, path in [
        ("GET", "/claims"),
        ("POST", "/claims"),
        ("GET", "/claims/1"),
        ("POST", "/claims/1/transition"),
        ("GET", "/units/SN-1"),
    ]:
        response = client.open(API + path, method=method)
        assert response.status_code == 401, (method, path)
        assert response.json == {"error": "send a bearer token"}
    bad = client.get(API + "/claims", headers={"Authorization": "Bearer dk_nope"})
    assert bad.status_code == 401


def test_create_a_trade_in_and_read_its_credit_as_an_exact_string(api, ticket, agent):
    response = api.post(
        "/claims",
        {"ticket_number": ticket.number, "kind": "trade_in", "reason": "Cambia por nuevo"},
    )
    assert response.status_code == 201
    claim = response.json
    assert (claim["label"], claim["status"], claim["kind"]) == ("W-1", "open", "trade_in")
    assert (claim["credit"], claim["trade_in_share"]) == ("500.00", "0.5000")
    assert claim["order"]["label"] == "WO-1"
    assert claim["order"]["credit"] == "500.00"
    assert claim["order"]["lines"] == [
        {
            "kind": "trade_in",
            "description": "Refrigerador RX-200",
            "serial_number": "SN-1",
            "quantity": 1,
            "value": "1000.00",
            "credit": "500.00",
        }
    ]
    assert claim["agent"] == {"id": agent.id, "name": agent.name}
    assert claim["ticket_number"] == ticket.number and claim["sold_by_us"] is True
    assert api.get("/claims/1").json == claim
    assert api.get("/claims/2147483648").status_code == 404


@pytest.mark.plugins("warranty")
def test_the_routes_are_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert {
        ("get", "/warranty/claims"),
        ("post", "/warranty/claims"),
        ("get", "/warranty/claims/{number}"),
        ("post", "/warranty/claims/{number}/transition"),
        ("get", "/warranty/units/{serial}"),
    } <= {(method, path) for path, ops in doc["paths"].items() for method in ops}
    credit = doc["components"]["schemas"]["WarrantyClaim"]["properties"]["credit"]
    assert (credit["type"], credit["format"]) == ("string", "decimal")


def test_bad_input_gets_messages_per_field(api, ticket):
    response = api.post("/claims", {"ticket_number": ticket.number, "kind": "gift"})
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"kind", "reason"}
    response = api.post("/claims", ["not", "an", "object"])
    assert response.status_code == 400
    response = api.post("/claims", {"ticket_number": "1", "kind": "exchange", "reason": "x"})
    assert response.json["errors"] == {"ticket_number": ["Not a valid integer."]}
    response = api.post(
        "/claims",
        {"ticket_number": 2**31, "kind": "trade_in", "reason": "x", "declared_value": 1e12},
    )
    assert set(response.json["errors"]) == {"ticket_number", "declared_value"}
    response = api.post(
        "/claims",
        {"ticket_number": ticket.number, "kind": "trade_in", "reason": "x", "serial_number": "Z"},
    )
    assert response.status_code == 400
    assert response.json["errors"] == {
        "declared_value": ["we never sold Z: enter the value of the unit"]
    }


def test_move_a_claim_along(api, ticket):
    api.post("/claims", {"ticket_number": ticket.number, "kind": "defect_return", "reason": "x"})
    response = api.post("/claims/1/transition", {"status": "approved", "note": "ok"})
    assert response.status_code == 200
    assert (response.json["status"], response.json["decision_note"]) == ("approved", "ok")
    assert response.json["order"]["status"] == "approved"
    response = api.post("/claims/1/transition", {"status": "rejected"})
    assert response.status_code == 409
    assert "cannot go from 'approved' to 'rejected'" in response.json["error"]
    assert api.post("/claims/9/transition", {"status": "approved"}).status_code == 404


def test_list_claims_newest_first_with_filters_and_pages(api, client, ticket):
    for kind in ("exchange", "trade_in", "exchange"):
        api.post("/claims", {"ticket_number": ticket.number, "kind": kind, "reason": "x"})
    first = api.get("/claims", query_string={"kind": "exchange", "limit": 1}).json
    assert [c["number"] for c in first["items"]] == [3]
    assert first["next"] == f"http://desk.test{API}/claims?kind=exchange&limit=1&before=3"
    rest = client.get(first["next"], headers=api.headers).json
    assert [c["number"] for c in rest["items"]] == [1]
    assert rest["next"] is None
    assert api.get("/claims", query_string={"status": "nope"}).status_code == 400


def test_a_unit_by_serial_number(api, ticket):
    api.post("/claims", {"ticket_number": ticket.number, "kind": "exchange", "reason": "x"})
    unit = api.get("/units/SN-1").json
    assert unit == {
        "serial_number": "SN-1",
        "customer_id": ticket.customer_id,
        "product": {"code": "RX-200", "name": "Refrigerador RX-200", "warranty_months": 12},
        "sale_date": "2024-01-15",
        "sale_price": "1000.00",
        "order_ref": "",
        "warranty_until": "2025-01-15",
        "in_warranty": False,
        "claims": [1],
    }
    missing = api.get("/units/NEVER-SOLD")
    assert missing.status_code == 404
    assert missing.json == {"error": "no unit sold with serial number 'NEVER-SOLD'"}
    assert api.get("/units/A%00B").status_code == 404


def test_the_api_answers_404_while_the_plugin_is_disabled(api, disable_plugin):
    disable_plugin("warranty")
    assert api.get("/claims").status_code == 404


def test_a_page_of_claims_costs_the_same_queries_for_3_or_9_claims(app, api, ticket):
    def selects_for_the_list() -> int:
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        db.session.expunge_all()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert api.get("/claims").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len([s for s in statements if s.startswith("SELECT")])

    body = {"ticket_number": ticket.number, "kind": "exchange", "reason": "x"}

    def add_claims(count: int) -> None:
        for _ in range(count):
            assert api.post("/claims", body).status_code == 201

    add_claims(3)
    few = selects_for_the_list()
    add_claims(6)
    assert selects_for_the_list() == few
