"""The consultant field in a real browser: suggestions while typing, and the pick saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def consultants(desk):
    from deskcore.extensions import db
    from deskcore.services.customers import create_customer

    app = desk[1]
    with app.app_context():
        for name, national_id in (("Consuelo Vidal", "15.555.555-5"), ("Consuelo Araya", None)):
            create_customer({"name": name, "kind": "consultant", "national_id": national_id})
        create_customer({"name": "Consuelo Cliente"})  # a customer, never suggested
        db.session.remove()


def test_consultant_suggestions_as_the_agent_types(agent_page, consultants):
    page = agent_page
    page.goto("/tickets/new?customer_q=juana")
    page.click("text=Choose")
    page.fill("#f-subject", "Consultor sugerido")
    page.locator("#f-consultant").press_sequentially("consu", delay=30)
    options = page.locator("#consultant-options option")
    expect(options).to_have_count(2)
    assert [options.nth(i).get_attribute("value") for i in range(2)] == [
        "Consuelo Araya",
        "Consuelo Vidal",
    ]
    expect(options.nth(1)).to_have_attribute("label", "15.555.555-5")
    page.fill("#f-consultant", "Consuelo Vidal")  # what picking the suggestion does
    expect(page.locator("input[name=consultant_id]")).to_have_count(1)
    page.click("text=Open ticket")
    expect(page.locator(".details")).to_contain_text("Consuelo Vidal")
    page.click("text=Edit")
    expect(page.locator("#f-consultant")).to_have_value("Consuelo Vidal")


def test_a_typed_consultant_is_resolved_without_javascript(nojs_page, consultants):
    nojs = nojs_page
    nojs.fill("#f-subject", "Consultor sin JavaScript")
    nojs.fill("#f-consultant", "consuelo")
    nojs.click("text=Open ticket")
    expect(nojs.locator("#consultant-error")).to_contain_text(
        "Several consultants match “consuelo” (Consuelo Araya, Consuelo Vidal)"
    )
    nojs.fill("#f-consultant", "vidal")
    nojs.click("text=Open ticket")
    expect(nojs.locator(".details")).to_contain_text("Consuelo Vidal")
