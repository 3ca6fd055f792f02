"""The quick-search panel on the customer page: it searches in place (no JavaScript needed)
and, before any search, shows articles related to the customer's open tickets."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base.customer_panel import RELATED_WORDS, related_text
from deskcore_knowledge_base.models import KbSearchLog
from sqlalchemy import select

from deskcore.extensions import db

pytestmark = pytest.mark.plugins("knowledge_base")


@pytest.fixture
def fridge_articles(make_article):
    """An internal and a customer-facing article about the same problem, internal first."""
    return (
        make_article(
            "Refrigerador no enfría: revisar el compresor",
            "Medir la corriente del compresor del refrigerador.",
        ),
        make_article(
            "Si su refrigerador no enfría",
            "Revise que el termostato del refrigerador esté en 4 °C.",
            audience="customer",
        ),
        make_article("Impresora atascada", "Abra la bandeja trasera.", audience="customer"),
    )


def panel(page: str) -> str:
    start = page.index('id="kb-panel"')
    return page[start : page.index("</div>", start)]


def test_before_a_search_it_lists_articles_of_the_open_tickets_customer_facing_first(
    fridge_articles, login, agent, make_customer, make_ticket
):
    internal, for_customers, printer = fridge_articles
    customer = make_customer()
    make_ticket(customer_id=customer.id, subject="El refrigerador no enfría", symptom="ruido")
    shown = panel(login(agent).get(f"/customers/{customer.id}").text)
    assert "Related to this customer" in shown
    assert shown.index(f"KB-{for_customers.number}") < shown.index(f"KB-{internal.number}")
    assert f"KB-{printer.number}" not in shown
    assert db.session.scalar(select(KbSearchLog.id)) is None  # nobody typed it


def test_a_customer_without_open_tickets_gets_the_form_only(
    fridge_articles, login, agent, make_customer
):
    customer = make_customer()
    shown = panel(login(agent).get(f"/customers/{customer.id}").text)
    assert "No articles related" in shown and "KB-" not in shown
    assert f'action="/customers/{customer.id}#kb-panel"' in shown and 'name="kb_q"' in shown


def test_searching_answers_inside_the_panel_on_the_customer_page(
    fridge_articles, login, agent, make_customer
):
    internal, for_customers, printer = fridge_articles
    customer = make_customer()
    answer = login(agent).get(f"/customers/{customer.id}?kb_q=refrigerador")
    assert answer.status_code == 200 and customer.name in answer.text
    shown = panel(answer.text)
    assert "2 articles found." in shown and "<mark" in shown
    assert shown.index(f"KB-{for_customers.number}") < shown.index(f"KB-{internal.number}")
    assert "Customer-facing" in shown and "Internal" in shown
    assert f"KB-{printer.number}" not in shown
    assert db.session.execute(select(KbSearchLog.query, KbSearchLog.hits)).all() == [
        ("refrigerador", 2)
    ]


def test_a_search_without_results_says_so_and_suggests(
    fridge_articles, login, agent, make_customer
):
    customer = make_customer()
    client = login(agent)
    shown = panel(client.get(f"/customers/{customer.id}?kb_q=termostatto").text)
    assert "No articles found." in shown and "Did you mean" in shown
    assert f"/customers/{customer.id}?kb_q=termostato#kb-panel" in shown


def test_what_was_typed_is_escaped(fridge_articles, login, agent, make_customer):
    customer = make_customer()
    page = login(agent).get(f"/customers/{customer.id}?kb_q=%3Cscript%3Ealert(1)").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_related_words_are_distinct_and_few(make_customer, make_ticket):
    customer = make_customer()
    make_ticket(customer_id=customer.id, subject=" ".join(f"palabra{n}" for n in range(20)))
    make_ticket(customer_id=customer.id, subject="Lavadora no centrifuga", symptom="lavadora ruido")
    words = related_text(customer).split()  # the most recent ticket's words first
    assert len(words) == RELATED_WORDS == len(set(words))
    assert words[:3] == ["lavadora", "centrifuga", "ruido"] and "no" not in words
