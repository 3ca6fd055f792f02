"""Customers over the API: find the caller, create, read, update — through the services."""

from __future__ import annotations

from deskcore.extensions import db
from deskcore.models import Customer


def test_find_the_caller_by_phone_national_id_or_name(api, make_customer):
    juan = make_customer(name="Juan Pérez", phones=[{"number": "+56 9 8765 4321"}])
    juan_id = juan.id
    make_customer(name="Ana Soto", national_id="12.345.678-5")

    def found(q: str) -> list[str]:
        response = api.get("/customers", query_string={"q": q})
        assert response.status_code == 200
        return [c["name"] for c in response.json["items"]]

    assert found("8765 4321") == ["Juan Pérez"]
    assert found("123456785") == ["Ana Soto"]
    assert found("perez ju") == ["Juan Pérez"]
    assert found("") == []
    item = api.get("/customers", query_string={"q": "juan"}).json["items"][0]
    assert item["id"] == juan_id
    assert item["phones"] == [{"number": "+56 9 8765 4321", "label": ""}]


def test_search_filters_by_kind_and_limits(api, make_customer):
    for n in range(3):
        make_customer(name=f"Rosa {n}")
    make_customer(name="Rosa Consultora", kind="consultant")
    answer = api.get("/customers", query_string={"q": "rosa", "kind": "consultant"}).json
    assert [c["name"] for c in answer["items"]] == ["Rosa Consultora"]
    assert len(api.get("/customers", query_string={"q": "rosa", "limit": 2}).json["items"]) == 2


def test_create_read_and_update_a_customer(api):
    created = api.post(
        "/customers",
        json={
            "name": "Marta Díaz",
            "email": "marta@example.com",
            "phones": [{"number": "2 2345 6789"}],
        },
    )
    assert created.status_code == 201, created.json
    customer = created.json
    assert customer["name"] == "Marta Díaz" and customer["kind"] == "customer"
    assert db.session.get(Customer, customer["id"]).email == "marta@example.com"

    read = api.get(f"/customers/{customer['id']}")
    assert read.json == customer

    patched = api.patch(f"/customers/{customer['id']}", json={"city": "Talca"})
    assert patched.status_code == 200
    assert (patched.json["city"], patched.json["name"]) == ("Talca", "Marta Díaz")


def test_bad_customer_input_names_each_field(api):
    response = api.post(
        "/customers", json={"name": " ", "email": "nope", "phones": [{"number": "1"}]}
    )
    assert response.status_code == 400
    errors = response.json["errors"]
    assert set(errors) == {"name", "email", "phones"}
    assert errors["phones"] == {"0": {"number": ["a phone number needs at least 3 digits"]}}


def test_unknown_customers_are_404(api):
    assert api.get("/customers/999").status_code == 404
    assert api.patch("/customers/999", json={"city": "Talca"}).status_code == 404
    assert api.get("/customers/99999999999").status_code == 404
