"""The shared layout: navigation with plugin links, flash messages, breadcrumbs, search."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.plugins("dummy")


def test_navigation_has_core_sections_and_plugin_links(client_for, agent, admin):
    agent_page = client_for(agent).get("/tickets/").text
    nav = agent_page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert [
        part.split("<", 1)[0] for part in nav.split('">')[2:] if part.split("<", 1)[0].strip()
    ] == ["Customers", "Tickets", "New ticket", "Dummy"]
    assert "Admin" in client_for(admin).get("/tickets/").text.split("</nav>", 1)[0]


def test_breadcrumbs_and_flash_messages(as_agent, make_ticket):
    ticket = make_ticket()
    response = as_agent.post(
        f"/tickets/{ticket.number}/comment", data={"body": "hola"}, follow_redirects=True
    )
    assert 'class="alert alert-ok"' in response.text and "Comment added." in response.text
    crumbs = response.text.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "Tickets" in crumbs and f"#{ticket.number}" in crumbs


def test_global_search_opens_a_ticket_by_number(as_agent, make_ticket):
    ticket = make_ticket()
    response = as_agent.get(f"/search?q=%23{ticket.number}")
    assert response.headers["Location"].endswith(f"/tickets/{ticket.number}")


def test_global_search_lists_customers_and_tickets(as_agent, make_customer, make_ticket):
    customer = make_customer(name="Iván Castro", phones=[{"number": "+56 9 7777 1234"}])
    make_ticket(customer_id=customer.id, subject="Lavadora pierde agua")
    by_phone = as_agent.get("/search?q=7777 1234").text
    assert "Iván Castro" in by_phone
    by_text = as_agent.get("/search?q=lavadora").text
    assert "Lavadora pierde agua" in by_text


def test_only_the_section_of_the_page_is_marked_current(as_agent):
    page = as_agent.get("/tickets/new").text
    nav = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count('aria-current="page"') == 1
    assert 'href="/tickets/new" aria-current="page"' in nav
