"""The warranty pages in the desk: login and roles, the claim form and page, products,
units and causes, the service log, and what the plugin adds to core pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from deskcore_warranty import services
from deskcore_warranty.dates import today
from deskcore_warranty.models import Claim, Product, Unit
from sqlalchemy import event, select

from deskcore.extensions import db
from deskcore.models import User
from deskcore.plugins import registry

pytestmark = pytest.mark.plugins("warranty")


@pytest.fixture
def client_for(app):
    """``client_for(user)``: a separate test client logged in as ``user``."""

    def make(user):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return client

    return make


@pytest.fixture
def desk(make_unit, make_ticket, make_claim):
    """A unit sold at 1,000.00, a ticket about it inside the warranty and a trade-in claim."""
    unit = make_unit("SN-1")
    ticket = make_ticket(
        customer_id=unit.customer_id, serial_number="SN-1", received_at="2024-06-01T10:00:00Z"
    )
    claim = make_claim(ticket, "trade_in")
    return unit, ticket, claim


def page_urls(unit, ticket, claim) -> list[str]:
    return [
        "/plugins/warranty/claims/",
        "/plugins/warranty/claims/?status=open&kind=trade_in&serial_number=SN-1",
        f"/plugins/warranty/claims/{claim.number}",
        f"/plugins/warranty/claims/new?ticket={ticket.number}",
        "/plugins/warranty/claims/new",
        "/plugins/warranty/products/",
        "/plugins/warranty/products/RX-200",
        "/plugins/warranty/serials/",
        "/plugins/warranty/serials/SN-1",
        "/plugins/warranty/serials/NEVER-SOLD",
    ]


def test_every_page_renders_for_an_agent(desk, client_for, agent):
    client = client_for(agent)
    for url in page_urls(*desk):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert 'name="csrf_token"' in response.text  # the layout's logout form at least


def test_every_warranty_route_sends_anonymous_users_to_the_login(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("warranty."):
            continue
        url = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: "1" if m[1] in ("number", "cause_id") else "x", rule.rule
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, rule.rule)
            assert "/login" in response.headers["Location"]
            checked += 1
    assert checked >= 15


def test_agents_may_not_manage_the_catalogue_the_units_or_the_causes(client_for, agent):
    client = client_for(agent)
    assert client.get("/plugins/warranty/causes/").status_code == 403
    assert client.post("/plugins/warranty/causes/", data={"name": "x"}).status_code == 403
    assert client.post("/plugins/warranty/causes/1", data={"active": "0"}).status_code == 403
    assert client.post("/plugins/warranty/products/", data={"code": "X"}).status_code == 403
    assert client.post("/plugins/warranty/products/X", data={"code": "X"}).status_code == 403
    assert client.get("/plugins/warranty/units/new").status_code == 403
    assert client.post("/plugins/warranty/units/new").status_code == 403


def test_the_ticket_page_offers_a_claim_and_shows_the_tickets_claims(desk, client_for, agent):
    _, ticket, claim = desk
    page = client_for(agent).get(f"/tickets/{ticket.number}").text
    assert f'href="/plugins/warranty/claims/new?ticket={ticket.number}"' in page
    assert "New warranty claim" in page
    assert f'href="/plugins/warranty/claims/{claim.number}"' in page
    assert "W-1" in page and "500.00" in page and "WO-1" in page
    assert "warranty until 2025-01-15" in page


def test_the_customer_page_lists_the_units_with_their_warranty(
    desk, client_for, agent, make_unit, make_customer
):
    unit, _, _ = desk
    make_unit("SN-2", sale_date=today(), customer=unit.customer)
    page = client_for(agent).get(f"/customers/{unit.customer_id}").text
    assert "Products and warranties" in page
    assert "/plugins/warranty/serials/SN-1" in page
    assert "warranty expired on 2025-01-15" in page
    assert "/plugins/warranty/serials/SN-2" in page


def test_the_menu_links_to_the_claims(client_for, agent):
    page = client_for(agent).get("/tickets/").text
    assert 'href="/plugins/warranty/claims/"' in page


def test_an_agent_opens_a_claim_from_the_form(desk, client_for, agent):
    _, ticket, _ = desk
    cause = services.list_causes()[0]
    response = client_for(agent).post(
        "/plugins/warranty/claims/new",
        data={
            "ticket_number": str(ticket.number),
            "kind": "defect_return",
            "cause_id": str(cause.id),
            "reason": "No enfría",
            "serial_number": "",
            "claimed_on": "",
            "declared_value": "",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plugins/warranty/claims/2")
    claim = services.get_claim(2)
    assert (claim.kind, claim.cause, claim.agent, claim.covered) == (
        "defect_return",
        cause,
        agent,
        True,
    )


def test_the_claim_form_shows_what_is_wrong_next_to_the_fields(desk, client_for, agent):
    _, ticket, _ = desk
    client = client_for(agent)
    response = client.post(
        "/plugins/warranty/claims/new",
        data={"ticket_number": str(ticket.number), "kind": "trade_in", "reason": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    response = client.post(
        "/plugins/warranty/claims/new",
        data={
            "ticket_number": str(ticket.number),
            "kind": "trade_in",
            "reason": "viejo",
            "serial_number": "NEVER-SOLD",
        },
    )
    assert response.status_code == 400
    # A page shows a service's message as a sentence.
    assert "We never sold NEVER-SOLD: enter the value of the unit." in response.text
    assert db.session.scalar(select(Claim.id).where(Claim.number == 2)) is None


def test_the_claim_page_moves_the_claim_along(desk, client_for, agent):
    _, _, claim = desk
    client = client_for(agent)
    page = client.get(f"/plugins/warranty/claims/{claim.number}").text
    assert 'value="approved"' in page and 'value="rejected"' in page
    assert 'value="completed"' not in page
    assert '<td class="strong" id="order-credit">500.00</td>' in page
    assert '<dd id="claim-credit">500.00</dd>' in page

    response = client.post(
        f"/plugins/warranty/claims/{claim.number}/transition",
        data={"status": "approved", "note": "ok"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/plugins/warranty/claims/{claim.number}/transition", data={"status": "rejected"}
    )
    assert response.status_code == 409
    assert "cannot go from &#39;approved&#39; to &#39;rejected&#39;" in response.text
    assert services.get_claim(claim.number).status == "approved"


def test_a_missing_claim_is_a_404(client_for, agent):
    assert client_for(agent).get("/plugins/warranty/claims/99").status_code == 404


def test_the_service_log_shows_every_ticket_and_claim_of_the_serial_in_order(
    desk, client_for, agent, make_ticket, make_claim
):
    unit, first, _ = desk
    second = make_ticket(serial_number="SN-1", received_at="2024-09-01T10:00:00Z")
    make_claim(second, "exchange")
    make_ticket(serial_number="SN-OTHER")
    log = services.service_log("SN-1")
    assert [(e.kind, e.item.number) for e in log.entries] == [
        ("ticket", first.number),
        ("ticket", second.number),
        ("claim", 1),
        ("claim", 2),
    ]
    page = client_for(agent).get("/plugins/warranty/serials/SN-1").text
    positions = [page.index(f">#{first.number}<"), page.index(f">#{second.number}<")]
    assert positions == sorted(positions)
    assert "W-1" in page and "W-2" in page and unit.customer.name in page


def count_queries(app):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    return statements, lambda: event.remove(engine, "before_cursor_execute", record)


def test_the_service_log_page_costs_the_same_queries_for_many_entries(
    app, desk, client_for, agent, make_ticket, make_claim
):
    client = client_for(agent)
    statements, stop = count_queries(app)

    def queries_for_the_page() -> int:
        db.session.expunge_all()  # nothing already loaded: count what the page needs
        statements.clear()
        assert client.get("/plugins/warranty/serials/SN-1").status_code == 200
        return len([s for s in statements if s.startswith("SELECT")])

    few = queries_for_the_page()
    again = db.session.get(User, agent.id)
    for _ in range(5):
        make_claim(make_ticket(agent=again, serial_number="SN-1"), "exchange", agent=again)
    many = queries_for_the_page()
    stop()
    assert many == few


def test_badges_for_a_whole_page_of_customers_take_one_query(
    app, make_unit, make_customer, make_product
):
    product = make_product("LONG", warranty_months=600)
    customers = [make_customer() for _ in range(4)]
    for n, customer in enumerate(customers[:3]):
        make_unit(f"L-{n}", sale_date=date(2024, 1, 15 + n), customer=customer, product=product)
    make_unit("OLD", sale_date=date(2000, 1, 1), customer=customers[3])
    statements, stop = count_queries(app)
    with app.test_request_context():
        badges = registry().call_plugin("warranty", "customer_badges", customers=customers)
    stop()
    assert len([s for s in statements if "warranty_units" in s]) == 1
    assert sorted((b.customer_id, b.label) for b in badges) == [
        (customers[0].id, "warranty until 2074-01-15"),
        (customers[1].id, "warranty until 2074-01-16"),
        (customers[2].id, "warranty until 2074-01-17"),
    ]


def test_a_supervisor_keeps_the_catalogue_and_registers_units(
    client_for, supervisor, make_customer
):
    client = client_for(supervisor)
    customer = make_customer()
    response = client.post(
        "/plugins/warranty/products/",
        data={
            "code": "TV-55",
            "name": "Televisor 55",
            "warranty_months": "",
            "list_price": "499.90",
        },
    )
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.code == "TV-55"))
    assert product.warranty_months == 12  # the default setting

    response = client.post(
        "/plugins/warranty/products/TV-55",
        data={
            "code": "TV-55",
            "name": 'Televisor 55"',
            "warranty_months": "24",
            "list_price": "450",
        },
    )
    assert response.status_code == 302
    db.session.refresh(product)
    assert (product.warranty_months, product.active) == (24, False)

    form = client.get(f"/plugins/warranty/units/new?customer_id={customer.id}").text
    assert customer.name in form
    response = client.post(
        "/plugins/warranty/units/new",
        data={
            "customer_id": str(customer.id),
            "product_code": "TV-55",
            "serial_number": "TV-1",
            "sale_date": "2024-02-29",
            "sale_price": "",
            "order_ref": "P-9",
        },
    )
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.serial_number == "TV-1"))
    assert str(unit.sale_price) == "450.00"
    assert unit.warranty_until.isoformat() == "2026-02-28"

    response = client.post(
        "/plugins/warranty/units/new",
        data={
            "customer_id": str(customer.id),
            "product_code": "TV-55",
            "serial_number": "TV-1",
            "sale_date": "2024-02-29",
        },
    )
    assert response.status_code == 400
    assert "is already registered" in response.text


def test_a_supervisor_edits_the_warranty_causes(client_for, supervisor):
    client = client_for(supervisor)
    assert "Does not power on" in client.get("/plugins/warranty/causes/").text
    assert (
        client.post(
            "/plugins/warranty/causes/", data={"name": "Pantalla rota", "position": "9"}
        ).status_code
        == 302
    )
    cause = next(c for c in services.list_causes() if c.name == "Pantalla rota")
    assert (
        client.post(
            f"/plugins/warranty/causes/{cause.id}",
            data={"name": "Pantalla quebrada", "position": "1"},
        ).status_code
        == 302
    )
    assert (
        client.post(f"/plugins/warranty/causes/{cause.id}", data={"active": "0"}).status_code == 302
    )
    assert "Pantalla quebrada" not in [c.name for c in services.list_causes()]
    response = client.post("/plugins/warranty/causes/", data={"name": "Does not power on"})
    assert response.status_code == 400
    assert "already exists" in response.text


@pytest.mark.parametrize("deskcore_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_claim_form_without_the_csrf_token_is_refused(desk, client_for, agent):
    _, ticket, _ = desk
    client = client_for(agent)
    data = {"ticket_number": str(ticket.number), "kind": "exchange", "reason": "color"}
    assert client.post("/plugins/warranty/claims/new", data=data).status_code == 400
    form = client.get(f"/plugins/warranty/claims/new?ticket={ticket.number}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/plugins/warranty/claims/new", data=data | {"csrf_token": token})
    assert response.status_code == 302


def test_a_disabled_plugin_leaves_no_trace_in_the_desk(desk, client_for, agent, disable_plugin):
    unit, ticket, claim = desk
    disable_plugin("warranty")
    client = client_for(agent)
    for url in page_urls(unit, ticket, claim):
        assert client.get(url).status_code == 404, url
    ticket_page = client.get(f"/tickets/{ticket.number}").text
    assert "warranty/claims" not in ticket_page
    assert "warranty/serials" not in client.get(f"/customers/{unit.customer_id}").text
