"""Bad input of every kind answers 400 with per-field messages; nothing reaches the
database and fails there."""

from __future__ import annotations

import pytest

#: A valid opening, to spoil one field at a time.
OPEN = {"customer_id": 1, "subject": "x"}
#: A received_at cursor whose time overflows when converted to UTC.
YEAR_ONE_CURSOR = "WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzAxOjAwIiwgMV0"


@pytest.fixture
def ticket(make_ticket):
    return make_ticket()


@pytest.mark.parametrize(
    ("data", "content_type", "field"),
    [
        ("{", "application/json", "_body"),
        ("[1, 2]", "application/json", "_body"),
        ('"text"', "application/json", "_body"),
        ("customer_id=1", "application/x-www-form-urlencoded", "_body"),
        ('{"subject": "x"}', "text/plain", "_body"),
        ("", "application/json", "_body"),
        ("[" * 100000 + "]" * 100000, "application/json", "_body"),
        (b"\xff\xfe{", "application/json", "_body"),
    ],
)
def test_bodies_that_are_not_a_json_object(api, data, content_type, field):
    response = api.post("/tickets", data=data, headers={"Content-Type": content_type})
    assert response.status_code == 400 and response.is_json
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"customer_id": 2**31, "subject": "x"}, "customer_id"),
        ({"customer_id": -1, "subject": "x"}, "customer_id"),
        ({"customer_id": "1", "subject": "x"}, "customer_id"),
        ({"customer_id": 1.5, "subject": "x"}, "customer_id"),
        ({"customer_id": 1, "subject": "a\x00b"}, "subject"),
        ({"customer_id": 1, "subject": "\ud800"}, "subject"),
        ({"customer_id": 1, "subject": "x", "related": [2**40]}, "related"),
        (
            {"customer_id": 1, "subject": "x", "received_at": "0001-01-01T00:00:00+01:00"},
            "received_at",
        ),
        (
            {"customer_id": 1, "subject": "x", "estimated_close_on": "9999-12-31"},
            "estimated_close_on",
        ),
        ({"customer_id": 1, "subject": "x" * 201}, "subject"),
        ({"customer_id": 1}, "subject"),
    ],
)
def test_values_out_of_range_or_of_the_wrong_type(api, body, field):
    response = api.post("/tickets", json=body)
    assert response.status_code == 400, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"customer_id": "99999999999"}, "customer_id"),
        ({"customer_id": "abc"}, "customer_id"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"received_to": "9999-12-31"}, "received_to"),
        ({"received_from": "2026-02-01", "received_to": "2026-01-01"}, "received_from"),
        ({"view": "everything"}, "view"),
        ({"sort": "subject"}, "sort"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WzEwMDAwMDAwMDAwMDAsIDFd"}, "cursor"),
        (
            {"cursor": "WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzAxOjAwIiwgMV0", "sort": "received_at"},
            "cursor",
        ),
        ({"q": "a\x00"}, "q"),
    ],
)
def test_bad_list_parameters(api, query, field):
    response = api.get("/tickets", query_string=query)
    assert response.status_code == 400, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize("q", ["99999999999999999999", "٣٣", "#12"])
def test_numbers_in_the_search_box_never_fail(api, ticket, q):
    assert api.get("/tickets", query_string={"q": q}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/tickets/0", "/tickets/2147483648", "/tickets/99999999999999999999", "/tickets/-1"]
)
def test_ids_out_of_range_in_the_path_are_404(api, path):
    for method in ("get", "patch", "post"):
        response = getattr(api, method)(path + ("/close" if method == "post" else ""), json={})
        assert (response.status_code, response.is_json) == (404, True), (method, path)


@pytest.mark.parametrize(
    ("report", "query", "field"),
    [
        ("closed_tickets", {"end": "9999-12-31"}, "end"),
        ("closed_tickets", {"start": "0001-01-01"}, "start"),
        ("closed_tickets", {"start": "2026-02-01", "end": "2026-01-01"}, "end"),
        ("closed_tickets", {"start": "2999-01-01"}, "end"),
        ("closed_tickets", {"agent": "99999999999999999999"}, "agent"),
        ("closed_tickets", {"limit": "0"}, "limit"),
        ("customer_tickets", {}, "customer"),
        ("customer_tickets", {"customer": "2147483648"}, "customer"),
        ("dummy_notes", {"limit": "99999999999999999999"}, "limit"),
    ],
)
@pytest.mark.plugins("dummy")
def test_bad_report_parameters(api_as, supervisor, report, query, field):
    """Dates the desk's calendar cannot convert, ids and counts no database integer holds,
    and a period that ends before it starts (alone or against a default) are bad input."""
    response = api_as(supervisor).get(f"/reports/{report}", query_string=query)
    assert response.status_code == 400, response.json
    assert field in response.json["errors"]


def test_bad_customer_search_parameters(api):
    response = api.get("/customers", query_string={"q": "x" * 201, "kind": "alien", "limit": "x"})
    assert response.status_code == 400
    assert set(response.json["errors"]) == {"q", "kind", "limit"}


def test_an_unknown_related_ticket_is_bad_input(api, make_customer):
    body = {"customer_id": make_customer().id, "subject": "x", "related": [404]}
    response = api.post("/tickets", json=body)
    assert response.status_code == 400 and "related" in response.json["errors"]
