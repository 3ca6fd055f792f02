"""The knowledge base in the desk: pages to browse, search, read and edit; suggestions on
the new-ticket form; the customer panel; the menu; linking an article to a ticket."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base import articles
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import HistoryEvent

pytestmark = pytest.mark.plugins("knowledge_base")


@pytest.fixture
def published(make_topic, make_article):
    topic = make_topic("Refrigeradores")
    return make_article(
        "El refrigerador no enfría",
        "Revise que el **termostato** esté en 4 °C. <script>alert(1)</script>",
        keywords="frío, termostato",
        topic_id=topic.id,
        audience="customer",
    )


def test_agents_browse_topics_and_read_articles(published, login, agent):
    client = login(agent)
    home = client.get("/plugins/knowledge_base/").text
    assert "Refrigeradores" in home and "New article" not in home
    topic_page = client.get(f"/plugins/knowledge_base/?topic={published.topic_id}").text
    assert "El refrigerador no enfría" in topic_page
    page = client.get("/plugins/knowledge_base/articles/1").text
    assert "<strong>termostato</strong>" in page and "<script>alert" not in page


def test_a_draft_page_works_out_once_whether_its_reader_may_edit(
    make_article, login, supervisor, monkeypatch
):
    make_article("Borrador", status="draft")
    asked = []
    may_edit = articles.may_edit
    monkeypatch.setattr(articles, "may_edit", lambda user: asked.append(user) or may_edit(user))
    page = login(supervisor).get("/plugins/knowledge_base/articles/1").text
    assert "/articles/1/edit" in page  # the editor's button
    assert len(asked) == 1


def test_agents_do_not_see_drafts(make_article, login, agent):
    make_article("Borrador", status="draft")
    assert login(agent).get("/plugins/knowledge_base/articles/1").status_code == 404


def test_the_search_page_highlights_and_suggests(published, login, agent):
    client = login(agent)
    page = client.get("/plugins/knowledge_base/search?q=termostatos").text
    assert "<mark" in page and "KB-1" in page
    page = client.get("/plugins/knowledge_base/search?q=termostatto").text
    assert "Did you mean" in page and "termostato" in page


def test_editors_create_and_edit_articles(login, supervisor, make_topic):
    topic = make_topic("Impresoras")
    client = login(supervisor)
    assert client.get("/plugins/knowledge_base/articles/new").status_code == 200
    answer = client.post(
        "/plugins/knowledge_base/articles/new",
        data={
            "title": "Printer jams",
            "keywords": "paper",
            "topic_id": str(topic.id),
            "audience": "customer",
            "status": "published",
            "body": "Open the **rear** tray.",
        },
    )
    assert answer.status_code == 302 and answer.location.endswith("/articles/1")
    answer = client.post(
        "/plugins/knowledge_base/articles/1/edit",
        data={
            "title": "Printer paper jams",
            "audience": "customer",
            "status": "published",
            "body": "Open the rear tray gently.",
            "keywords": "paper",
            "topic_id": "",
        },
    )
    assert answer.status_code == 302
    article = articles.get_article(1)
    assert (article.title, article.version, article.topic_id) == ("Printer paper jams", 2, None)
    assert "jams" in client.get("/plugins/knowledge_base/search?q=jammed").text


def test_a_bad_form_is_shown_again_with_messages(login, supervisor):
    answer = login(supervisor).post(
        "/plugins/knowledge_base/articles/new",
        data={"title": "", "audience": "internal", "status": "draft"},
    )
    assert answer.status_code == 400 and "This field is required." in answer.text


def test_agents_cannot_edit(published, login, agent):
    client = login(agent)
    assert client.get("/plugins/knowledge_base/articles/new").status_code == 403
    assert client.post("/plugins/knowledge_base/articles/1/edit", data={}).status_code == 403


def test_editors_add_nested_topics(login, supervisor):
    client = login(supervisor)
    client.post("/plugins/knowledge_base/topics", data={"name": "Productos"})
    parent = articles.list_topics()[0]
    client.post(
        "/plugins/knowledge_base/topics", data={"name": "Lavadoras", "parent_id": parent.id}
    )
    assert [(t.name, d) for t, d in articles.topic_tree()] == [("Productos", 0), ("Lavadoras", 1)]


def test_the_new_ticket_form_suggests_matching_articles(published, login, agent):
    client = login(agent)
    hints = client.get("/tickets/suggestions?subject=No+enfria&symptom=").text
    assert "El refrigerador no enfría" in hints and "/plugins/knowledge_base/articles/1" in hints
    assert "El refrigerador" not in client.get("/tickets/suggestions?subject=impresora").text


def test_the_menu_and_the_customer_panel(published, login, agent, make_customer):
    client = login(agent)
    customer = make_customer()
    page = client.get(f"/customers/{customer.id}").text
    assert "/plugins/knowledge_base/search" in page
    assert 'href="/plugins/knowledge_base/"' in client.get("/tickets/").text


def test_linking_an_article_records_it_in_the_ticket_history(published, login, agent, make_ticket):
    ticket = make_ticket()
    client = login(agent)
    answer = client.post("/plugins/knowledge_base/articles/1/use", data={"ticket": ticket.number})
    assert answer.status_code == 302
    event = db.session.scalar(
        select(HistoryEvent).where(HistoryEvent.action == "kb_article_linked")
    )
    assert (event.source, event.new_value, event.ticket_id) == ("knowledge_base", "KB-1", ticket.id)
    page = client.get(f"/tickets/{ticket.number}").text
    assert "linked the knowledge-base article" in page and "KB-1" in page
    assert "kb_article_linked" not in page
    agent.locale = "es"
    db.session.commit()
    page = client.get(f"/tickets/{ticket.number}").text
    assert "vinculó el artículo de la base de conocimiento" in page


def test_an_agent_cannot_link_a_draft_they_may_not_read(make_article, login, agent, make_ticket):
    draft = make_article("Borrador interno", "Texto", status="draft")
    ticket = make_ticket()
    client = login(agent)
    client.post(
        f"/plugins/knowledge_base/articles/{draft.number}/use", data={"ticket": ticket.number}
    )
    linked = select(HistoryEvent).where(HistoryEvent.action == "kb_article_linked")
    assert db.session.scalar(linked) is None
