"""The customer screen: find the caller, create them inline, the customer page."""

from __future__ import annotations

import deskcore_dummy.plugin as dummy
import pytest
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import Customer
from deskcore.services import close_ticket

pytestmark = pytest.mark.plugins("dummy")


def test_a_phone_typed_differently_finds_the_caller(as_agent, make_customer):
    customer = make_customer(name="Juana Rojas", phones=[{"number": "+56 9 8765 4321"}])
    page = as_agent.get("/customers/?q=(9) 8765-4321")
    assert page.status_code == 200
    assert "Juana Rojas" in page.text
    assert f"/customers/{customer.id}" in page.text


def test_results_show_plugin_badges_from_one_call_for_the_whole_page(as_agent, make_customer):
    for n in range(5):
        make_customer(name=f"Pedro Soto {n}")
    page = as_agent.get("/customers/?q=pedro soto")
    calls = [kwargs for name, kwargs in dummy.CALLS if name == "customer_badges"]
    assert len(calls) == 1 and len(calls[0]["customers"]) == 5
    assert page.text.count('class="badge tone-info">dummy<') == 5


def test_results_count_open_tickets(as_agent, make_customer, make_ticket, agent):
    customer = make_customer(name="Ana Lagos")
    make_ticket(customer_id=customer.id)
    closed = make_ticket(customer_id=customer.id)
    close_ticket(closed.number, {"resolution": "done"}, agent)
    page = as_agent.get("/customers/?q=lagos")
    assert "<td>1</td>" in page.text


@pytest.mark.parametrize(
    ("typed", "field", "value"),
    [
        ("+56 9 1111 2222", "phones", "+56 9 1111 2222"),
        ("12.345.678-5", "national_id", "12.345.678-5"),
        ("Rosa Millán", "name", "Rosa Millán"),
    ],
)
def test_nobody_found_offers_the_new_customer_form_prefilled(as_agent, typed, field, value):
    page = as_agent.get("/customers/", query_string={"q": typed})
    assert "Nobody matches" in page.text
    if field == "phones":
        assert f">{value}</textarea>" in page.text
    else:
        assert f'name="{field}" type="text" value="{value}"' in page.text


def test_create_inline_and_carry_on_to_a_new_ticket(as_agent):
    response = as_agent.post(
        "/customers/",
        data={
            "q": "Rosa",
            "name": "Rosa Millán",
            "phones": "+56 2 2345 6789\n9 8888 7777",
            "then": "ticket",
        },
    )
    customer = db.session.scalar(select(Customer).where(Customer.name == "Rosa Millán"))
    assert [p.number for p in customer.phones] == ["+56 2 2345 6789", "9 8888 7777"]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tickets/new?customer_id={customer.id}")
    form = as_agent.get(response.headers["Location"]).text
    assert "Rosa Millán" in form and f'name="customer_id" value="{customer.id}"' in form


def test_an_invalid_new_customer_keeps_what_was_typed(as_agent):
    response = as_agent.post(
        "/customers/",
        data={"q": "x", "name": "", "email": "not-an-email", "city": "Temuco", "phones": "12"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Not a valid email address." in response.text
    assert 'value="Temuco"' in response.text and 'value="not-an-email"' in response.text
    assert db.session.scalar(select(Customer.id)) is None


def test_customer_page_shows_details_tickets_panels_and_the_new_ticket_action(
    as_agent, make_customer, make_ticket, agent
):
    customer = make_customer(name="Luis Vera", email="luis@example.com", city="Talca")
    open_one = make_ticket(customer_id=customer.id, subject="Pantalla negra")
    past = make_ticket(customer_id=customer.id, subject="Ruido extraño")
    close_ticket(past.number, {"resolution": "ajustado"}, agent)
    page = as_agent.get(f"/customers/{customer.id}").text
    assert "luis@example.com" in page and "Talca" in page
    open_part, past_part = page.split("Past tickets", 1)
    assert f"#{open_one.number}" in open_part and "Pantalla negra" in open_part
    assert f"#{past.number}" in past_part and "Closed" in past_part
    assert "<p>Dummy knows Luis Vera</p>" in page
    assert f"/tickets/new?customer_id={customer.id}" in page


def test_plugin_panel_markup_is_trusted_but_customer_text_is_escaped(as_agent, make_customer):
    customer = make_customer(name="<script>alert(1)</script>", notes="<b>vip</b>")
    page = as_agent.get(f"/customers/{customer.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;vip&lt;/b&gt;" in page


def test_a_failing_plugin_panel_does_not_take_the_page_down(as_agent, make_customer):
    customer = make_customer(name="Marta Díaz")
    dummy.RAISE["customer_panels"] = RuntimeError("boom")
    page = as_agent.get(f"/customers/{customer.id}")
    assert page.status_code == 200
    assert "plugin &#39;dummy&#39; failed in customer_panels" in page.text


def test_edit_a_customer_keeps_phone_labels(as_agent, make_customer):
    customer = make_customer(name="Olga Paz", phones=[{"number": "2 2222 3333", "label": "casa"}])
    response = as_agent.post(
        f"/customers/{customer.id}/edit",
        data={"name": "Olga Paz Soto", "kind": "customer", "phones": "2 2222 3333\n9 1234 5678"},
    )
    assert response.status_code == 302
    db.session.refresh(customer)
    assert customer.name == "Olga Paz Soto"
    assert [(p.number, p.label) for p in customer.phones] == [
        ("2 2222 3333", "casa"),
        ("9 1234 5678", ""),
    ]


def test_unknown_customer_is_a_404_page(as_agent):
    assert as_agent.get("/customers/424242").status_code == 404
