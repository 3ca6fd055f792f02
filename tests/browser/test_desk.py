"""The agent's day in a real browser: log in, find the caller, create them, open a ticket,
work it, close and reopen it, switch to Spanish; an admin switches a plugin off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import ADMIN, log_in

pytestmark = pytest.mark.slow


def test_log_in_and_out(page):
    log_in(page, password="wrong")
    expect(page.locator(".alert-danger")).to_contain_text("Wrong email or password.")
    log_in(page)
    expect(page.locator(".topbar")).to_contain_text("Ana Agente")
    page.click("text=Log out")
    expect(page.locator(".alert-ok")).to_contain_text("You have logged out.")
    page.goto("/tickets/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_find_the_caller_by_a_phone_typed_differently(agent_page):
    page = agent_page
    page.click("nav.mainnav >> text=Customers")
    page.fill("#lookup-q", "(9) 8765-4321")
    page.press("#lookup-q", "Enter")
    expect(page.locator(".customers-table")).to_contain_text("Juana Rojas")
    expect(page.locator(".customers-table .badge")).to_contain_text("dummy")
    page.click("text=Juana Rojas")
    expect(page.locator("h1")).to_contain_text("Juana Rojas")
    expect(page.locator(".plugin-panel")).to_contain_text("Dummy knows Juana Rojas")


def _open_ticket_for_new_customer(page, name: str) -> str:
    """Create ``name`` inline from the caller lookup and open a ticket; returns its number."""
    page.goto("/customers/")
    page.fill("#lookup-q", name)
    page.press("#lookup-q", "Enter")
    expect(page.locator("#new-customer h2")).to_contain_text("Nobody matches")
    expect(page.locator("#new-customer #f-name")).to_have_value(name)
    page.fill("#new-customer #f-phones", "+56 2 2345 6789")
    page.click("text=Create and open a ticket")
    expect(page.locator(".chosen-customer")).to_contain_text(name)
    page.fill("#f-subject", "Impresora no imprime")
    page.fill("#f-symptom", "Atasco de papel")
    expect(page.locator("#suggestions")).to_contain_text("Dummy answer to: Impresora no imprime")
    page.fill("#f-extra_dummy_note", "desde el navegador")
    page.click("text=Open ticket")
    expect(page.locator(".alert-ok")).to_contain_text("opened")
    return page.locator(".eyebrow").inner_text().split("#")[1].split()[0]


def test_create_a_customer_inline_and_open_a_ticket(agent_page):
    number = _open_ticket_for_new_customer(agent_page, "Rosa Millán")
    expect(agent_page.locator("h1")).to_contain_text("Impresora no imprime")
    expect(agent_page.locator(".details")).to_contain_text("Rosa Millán")
    assert agent_page.url.endswith(f"/tickets/{number}")


def test_work_a_ticket_comment_reassign_time_commitment(agent_page):
    page = agent_page
    _open_ticket_for_new_customer(page, "Pedro Soto")
    page.fill("#comment #f-body", "El cliente volverá a llamar")
    page.check("#comment input[value=public]")
    page.click("#comment button[type=submit]")
    expect(page.locator(".timeline")).to_contain_text("El cliente volverá a llamar")

    page.select_option("#reassign #f-assignee_id", label="Ana Agente")
    page.click("#reassign button[type=submit]")
    expect(page.locator(".alert-ok")).to_contain_text("Ticket reassigned.")
    expect(page.locator(".details")).to_contain_text("Ana Agente")

    page.fill("#time #f-minutes", "25")
    page.fill("#time #f-note", "diagnóstico")
    page.click("#time button[type=submit]")
    expect(page.locator(".timeline")).to_contain_text("logged 25 min")

    page.select_option("#commitment #f-type_id", label="Call back")
    page.fill("#commitment #f-due_at", "2030-01-02T10:00")
    page.click("#commitment button:has-text('Add commitment')")
    expect(page.locator(".alert-ok")).to_contain_text("Commitment added.")
    page.fill(".commitment #f-due_at", "2030-01-05T09:30")
    page.fill(".commitment #f-reason", "cliente de viaje")
    page.click(".commitment button:has-text('Reschedule')")
    expect(page.locator(".alert-ok")).to_contain_text("Commitment rescheduled.")
    expect(page.locator(".timeline")).to_contain_text("rescheduled a commitment")


def test_close_and_reopen_a_ticket(agent_page):
    page = agent_page
    _open_ticket_for_new_customer(page, "Luis Vera")
    page.click("#close button[type=submit]")  # the browser refuses an empty resolution
    expect(page.locator(".alert-ok")).to_have_count(1)
    page.fill("#close #f-resolution", "Se cambió el rodillo")
    page.click("#close button[type=submit]")
    expect(page.locator(".alert-ok")).to_contain_text("Ticket closed.")
    expect(page.locator(".page-head .status-closed")).to_be_visible()
    page.click("text=Reopen ticket")
    expect(page.locator(".alert-ok")).to_contain_text("Ticket reopened.")
    expect(page.locator(".page-head .status-open")).to_be_visible()


def test_switch_to_spanish(agent_page):
    page = agent_page
    page.click(".user-name")
    page.select_option("#f-locale", "es")
    page.click("#details button[type=submit]")
    expect(page.locator(".alert-ok")).to_contain_text("Perfil guardado.")
    expect(page.locator("nav.mainnav")).to_contain_text("Clientes")
    page.goto("/tickets/new")
    expect(page.locator("h1")).to_have_text("Nuevo caso")
    expect(page.locator("label[for=f-subject]")).to_contain_text("Asunto")
    page.goto("/profile/")
    page.select_option("#f-locale", "en")
    page.click("#details button[type=submit]")
    expect(page.locator(".alert-ok")).to_contain_text("Profile saved.")


def test_admin_disables_a_plugin_and_its_menu_and_panels_disappear(agent_page, browser, base_url):
    agent = agent_page
    agent.goto("/customers/?q=juana")
    agent.click("text=Juana Rojas")
    expect(agent.locator("nav.mainnav")).to_contain_text("Dummy")
    expect(agent.locator(".plugin-panel")).to_have_count(1)
    customer_url = agent.url

    admin_context = browser.new_context(base_url=base_url)
    admin = admin_context.new_page()
    try:
        log_in(admin, ADMIN)
        admin.goto("/admin/plugins/")
        admin.click("#plugin-dummy >> text=Disable")
        expect(admin.locator("h1")).to_contain_text("Disable Dummy?")
        admin.click("text=Yes, disable")
        expect(admin.locator(".alert-ok")).to_contain_text("Disabled: dummy")

        agent.goto(customer_url)
        expect(agent.locator("nav.mainnav")).not_to_contain_text("Dummy")
        expect(agent.locator(".plugin-panel")).to_have_count(0)

        admin.goto("/admin/plugins/")
        admin.click("#plugin-dummy >> text=Enable")
        admin.click("text=Yes, enable")
        expect(admin.locator(".alert-ok")).to_contain_text("Plugin dummy enabled.")
        agent.goto(customer_url)
        expect(agent.locator(".plugin-panel")).to_have_count(1)
    finally:
        admin_context.close()


def test_pages_work_without_javascript(nojs_page):
    nojs = nojs_page
    nojs.fill("#f-subject", "Sin JavaScript")
    nojs.click("text=Show suggestions")
    expect(nojs.locator("#suggestions")).to_contain_text("Dummy answer to: Sin JavaScript")
    expect(nojs.locator("#f-subject")).to_have_value("Sin JavaScript")
    nojs.click("text=Open ticket")
    expect(nojs.locator("h1")).to_contain_text("Sin JavaScript")
    nojs.fill("#comment #f-body", "comentario sin JS")
    nojs.click("#comment button[type=submit]")
    expect(nojs.locator(".timeline")).to_contain_text("comentario sin JS")


@pytest.mark.parametrize("url", ["/tickets/", "/customers/?q=juana", "/tickets/new"])
def test_pages_fit_a_tablet_without_sideways_scrolling(agent_page, url):
    page = agent_page
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768


def test_filter_fields_stay_inside_the_filter_column(agent_page):
    """The date range's two inputs stack in the narrow filter column instead of running past
    its edge (a two-column pair wider than the column did)."""
    page = agent_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/tickets/")
    overflowing = page.evaluate(
        """() => {
            const column = document.querySelector(".filters").getBoundingClientRect();
            return [...document.querySelectorAll(".filters input, .filters select")]
                .filter((field) => field.type !== "hidden")
                .filter((field) => field.getBoundingClientRect().right > column.right + 0.5)
                .map((field) => field.name);
        }"""
    )
    assert overflowing == []
