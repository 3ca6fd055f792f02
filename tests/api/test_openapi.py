"""The OpenAPI document covers every API route with its parameters, bodies and statuses, and
follows the enabled plugins: their routes and fields are there only while they are enabled."""

from __future__ import annotations

import re

import pytest
from deskcore_dummy import plugin as dummy

from deskcore.api.errors import API_ROOT


def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def api_routes(app) -> set[tuple[str, str]]:
    """``(method, path)`` of every core API route, in OpenAPI's path syntax."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_ROOT + "/") and rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule).removeprefix(API_ROOT)
            routes |= {(m.lower(), path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def operations(doc: dict) -> dict[tuple[str, str], dict]:
    return {(m, p): op for p, ops in doc["paths"].items() for m, op in ops.items()}


def documents(documented: set[tuple[str, str]], method: str, template: str) -> bool:
    """Whether the route is documented: at its templated path or at concrete ones."""
    pattern = "/".join(
        "[^/]+" if part.startswith("{") else re.escape(part) for part in template.split("/")
    )
    return any(m == method and re.fullmatch(pattern, path) for m, path in documented)


def test_every_core_route_is_documented(app, client):
    documented = set(operations(document(client)))
    assert [route for route in api_routes(app) if not documents(documented, *route)] == []


def report_operations(doc: dict) -> dict[str, dict]:
    """Each report's operation by report name."""
    return {
        path.removeprefix("/reports/"): ops["get"]
        for path, ops in doc["paths"].items()
        if path.startswith("/reports/")
    }


def parameters_of(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation["parameters"]}


def test_each_core_report_is_documented_at_its_own_path_with_its_parameters(client):
    doc = document(client)
    assert "/reports/{name}" not in doc["paths"]
    reports = report_operations(doc)
    assert {"tickets_by_status", "closed_tickets", "customer_tickets"} <= set(reports)
    closed = reports["closed_tickets"]
    assert closed["operationId"] == "api_report_rows_closed_tickets"
    assert closed["summary"] == "Closed in a period"
    assert closed["description"] == "Tickets closed between two days, with the days each one took."
    assert closed["tags"] == ["reports"]
    assert set(closed["responses"]) == {"200", "400", "401", "403"}
    result = closed["responses"]["200"]["content"]["application/json"]["schema"]
    assert result == {"$ref": "#/components/schemas/ReportResult"}
    params = parameters_of(closed)
    assert list(params) == ["start", "end", "agent", "queue", "type", "limit"]
    assert {p["in"] for p in params.values()} == {"query"}
    start = params["start"]
    assert start["schema"]["type"] == "string" and start["schema"]["format"] == "date"
    assert "default" not in start["schema"]  # 30 days before the day it runs: not fixed
    assert start["description"].startswith("From. Default: worked out when the report runs")
    assert params["agent"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    assert params["limit"] == {
        "in": "query",
        "name": "limit",
        "description": "Rows at most",
        "required": False,
        "schema": {"type": "integer", "default": 500, "minimum": 1, "maximum": 5000},
    }
    customer = parameters_of(reports["customer_tickets"])["customer"]
    assert customer["required"] is True and customer["description"] == "Customer id"
    ids = [op["operationId"] for op in operations(doc).values()]
    assert len(ids) == len(set(ids))


def test_report_titles_are_documented_in_english_whoever_asks_first(client):
    spanish = client.get("/api/v1/openapi.json", headers={"Accept-Language": "es"}).json
    closed = report_operations(spanish)["closed_tickets"]
    assert closed["summary"] == "Closed in a period"
    assert parameters_of(closed)["limit"]["description"] == "Rows at most"


def test_a_plugin_report_is_documented_only_while_its_plugin_is_enabled(
    client, enable_plugin, disable_plugin
):
    enable_plugin("dummy")
    notes = report_operations(document(client))["dummy_notes"]
    assert notes["tags"] == ["dummy"] and notes["summary"] == "Dummy notes"
    # The short form ``{"limit": 100}``: an int with that default, within a database integer.
    assert parameters_of(notes)["limit"]["schema"] == {
        "type": "integer",
        "default": 100,
        "minimum": -(2**31 - 1),
        "maximum": 2**31 - 1,
    }

    disable_plugin("dummy")
    assert "dummy_notes" not in report_operations(document(client))


@pytest.mark.plugins("warranty")
def test_a_choice_parameter_is_documented_as_an_enum_with_its_default(client):
    claims = report_operations(document(client))["warranty_claims_by_kind_and_cause"]
    assert claims["tags"] == ["warranty"]
    period = parameters_of(claims)["period"]
    assert period["schema"] == {"type": "string", "default": "month", "enum": ["month", "year"]}


@pytest.mark.plugins("dummy", "warranty", "knowledge_base")
def test_requests_built_from_the_documented_parameters_answer_200(
    client, api_as, supervisor, make_customer
):
    """Every documented parameter that has a default, is required or is a date is sent."""
    customer = make_customer()
    api = api_as(supervisor)
    for name, operation in report_operations(document(client)).items():
        query = {}
        for param in operation["parameters"]:
            schema = param["schema"]
            if "default" in schema:
                query[param["name"]] = schema["default"]
            elif schema.get("format") == "date":
                query[param["name"]] = "2026-01-15"
            elif param["required"]:
                query[param["name"]] = customer.id
        answer = api.get(f"/reports/{name}", query_string=query)
        assert answer.status_code == 200, (name, query, answer.json)
        echoed = {key: answer.json["params"][key] for key in query}
        assert echoed == {key: str(value) for key, value in query.items()}


def test_bearer_security_and_error_answers_everywhere(client):
    doc = document(client)
    assert doc["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert doc["security"] == [{"bearer": []}]
    for (method, path), operation in operations(doc).items():
        if path == "/openapi.json":
            continue
        assert {"401", "403"} <= set(operation["responses"]), (method, path)
        if "{" in path:
            assert "404" in operation["responses"], (method, path)


def test_bodies_queries_and_idempotency_are_declared(client):
    ops = operations(document(client))
    open_ticket = ops[("post", "/tickets")]
    schema = open_ticket["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/TicketOpenInput"}
    assert {"201", "400", "409", "422"} <= set(open_ticket["responses"])
    assert "Idempotency-Key" in [p["name"] for p in open_ticket["parameters"]]
    listed = {p["name"] for p in ops[("get", "/tickets")]["parameters"]}
    assert {"status_id", "view", "cursor", "limit", "q", "received_from"} <= listed
    patch = ops[("patch", "/tickets/{number}")]["requestBody"]["content"]["application/json"]
    assert patch["schema"] == {"$ref": "#/components/schemas/TicketFieldsPartial"}
    number = ops[("get", "/tickets/{number}")]["parameters"][0]
    assert number["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_plugin_routes_and_fields_are_documented_only_while_enabled(
    client, enable_plugin, disable_plugin
):
    enable_plugin("dummy")
    doc = document(client)
    assert ("post", "/dummy/tickets/{number}/notes") in operations(doc)
    assert set(doc["components"]["schemas"]["TicketPluginFields"]["properties"]) == {"dummy"}
    assert "DummyTicketFields" in doc["components"]["schemas"]
    assert "DummyCustomerFields" in doc["components"]["schemas"]

    disable_plugin("dummy")
    doc = document(client)
    assert not [path for path in doc["paths"] if path.startswith("/dummy/")]
    assert doc["components"]["schemas"]["TicketPluginFields"].get("properties", {}) == {}
    assert "DummyTicketFields" not in doc["components"]["schemas"]


@pytest.mark.plugins("dummy")
def test_plugin_fields_are_asked_once_per_page(api, make_ticket, make_customer):
    tickets = [make_ticket() for _ in range(3)]
    api.post(f"/dummy/tickets/{tickets[0].number}/notes", json={"text": "hola"})
    dummy.CALLS.clear()
    page = api.get("/tickets").json["items"]
    assert [t["plugins"] for t in page] == [
        {"dummy": {"note_count": 0}},
        {"dummy": {"note_count": 0}},
        {"dummy": {"note_count": 1}},
    ]
    asked = [kwargs["tickets"] for name, kwargs in dummy.CALLS if name == "ticket_api_fields"]
    assert [len(batch) for batch in asked] == [3]

    customer = make_customer(name="Juan Pérez")
    assert api.get(f"/customers/{customer.id}").json["plugins"] == {"dummy": {"initials": "JP"}}


def test_a_disabled_plugin_adds_no_fields_and_its_routes_answer_404(
    api, make_ticket, disable_plugin
):
    disable_plugin("dummy")
    ticket = make_ticket()
    assert api.get(f"/tickets/{ticket.number}").json["plugins"] == {}
    assert api.post(f"/dummy/tickets/{ticket.number}/notes", json={"text": "x"}).status_code == 404


@pytest.mark.plugins("dummy")
def test_plugin_routes_validate_with_the_same_decorator(api, make_ticket):
    ticket = make_ticket()
    created = api.post(f"/dummy/tickets/{ticket.number}/notes", json={"text": "hola"})
    assert created.status_code == 201 and created.json["text"] == "hola"
    bad = api.post(f"/dummy/tickets/{ticket.number}/notes", json={"text": ""})
    assert bad.status_code == 400 and "text" in bad.json["errors"]
    assert api.post("/dummy/tickets/999/notes", json={"text": "x"}).status_code == 404


@pytest.mark.plugins("dummy")
def test_enabled_plugins_are_listed(api):
    assert api.get("/plugins").json == {
        "items": [{"name": "dummy", "title": "Dummy", "version": None}]
    }


def test_classifications_are_listed(api):
    statuses = api.get("/statuses").json["items"]
    by_code = {s["code"]: s for s in statuses}
    assert by_code["closed"]["next_status_ids"] == [by_code["pending"]["id"]]
    assert api.get("/types").json["items"][0]["name"] == "Complaint"
    assert [p["is_default"] for p in api.get("/priorities").json["items"]].count(True) == 1
    assert len(api.get("/commitment-types").json["items"]) == 4
    assert api.get("/topics").json == {"items": []}
    assert api.get("/queues").json == {"items": []}
