"""Disabling the plugin removes its menu, panels, suggestions and routes and keeps every
article; enabling it again brings all of it back."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base.models import KbArticle, KbArticleVersion, KbTopic
from sqlalchemy import func, select

from deskcore.extensions import db

pytestmark = pytest.mark.plugins("knowledge_base")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_disabling_hides_everything_and_enabling_again_restores_it(
    app,
    make_topic,
    make_article,
    supervisor,
    login,
    agent,
    make_customer,
    make_ticket,
    disable_plugin,
    enable_plugin,
):
    from deskcore_knowledge_base import articles

    topic = make_topic("Refrigeradores")
    made = [
        make_article("El refrigerador no enfría", "Revise el termostato.", topic_id=topic.id),
        make_article("Printer jams", "Open the tray."),
    ]
    articles.update_article(made[0].number, {"body": "Revise el termostato otra vez."}, supervisor)
    customer = make_customer()
    ticket = make_ticket(customer_id=customer.id)
    client = login(agent)
    hints = "/tickets/suggestions?subject=refrigerador+no+enfria"

    def visible() -> dict:
        return {
            "menu": 'href="/plugins/knowledge_base/"' in client.get("/tickets/").text,
            "panel": "/plugins/knowledge_base/search"
            in client.get(f"/customers/{customer.id}").text,
            "suggestion": "KB-1" in client.get(hints).text,
            "page": client.get("/plugins/knowledge_base/articles/1").status_code == 200,
        }

    client.post("/plugins/knowledge_base/articles/1/use", data={"ticket": ticket.number})
    assert set(visible().values()) == {True}

    disable_plugin("knowledge_base")
    assert set(visible().values()) == {False}
    assert client.get("/plugins/knowledge_base/search?q=x").status_code == 404
    assert (count(KbArticle), count(KbTopic), count(KbArticleVersion)) == (2, 1, 1)

    enable_plugin("knowledge_base")
    assert set(visible().values()) == {True}
    assert "Printer jams" in client.get("/plugins/knowledge_base/search?q=printer").text
    assert make_article("Tercero").number == 3
