"""Spanish and English: the plugin ships catalogs that are complete, reproducible and agree
with core's words, and its pages speak the agent's language."""

from __future__ import annotations

from pathlib import Path

import deskcore_knowledge_base
import pytest

from deskcore.extensions import db
from deskcore.testing import translation_problems

PACKAGE = Path(deskcore_knowledge_base.__file__).parent


def test_the_catalogs_are_complete_compiled_and_agree_with_core():
    assert translation_problems(PACKAGE / "translations", PACKAGE / "templates") == []


@pytest.mark.plugins("knowledge_base")
def test_the_knowledge_base_pages_speak_spanish(make_article, login, agent):
    make_article("Garantía", "Texto", audience="customer")
    agent.locale = "es"
    db.session.commit()
    client = login(agent)
    assert "<h1>Base de conocimiento</h1>" in client.get("/plugins/knowledge_base/").text
    page = client.get("/plugins/knowledge_base/articles/1").text
    assert "Para clientes" in page and "Enviar al cliente" in page
    assert "Quiso decir" in client.get("/plugins/knowledge_base/search?q=garantis").text


@pytest.fixture
def spanish(agent, supervisor):
    """The agent and the supervisor (an editor) read Spanish."""
    agent.locale = supervisor.locale = "es"
    db.session.commit()


@pytest.mark.plugins("knowledge_base")
def test_a_spanish_agent_reads_a_refused_send_in_spanish(
    spanish, make_article, make_ticket, make_customer, login, agent
):
    internal = make_article("Diagnóstico interno", "Solo técnicos.", audience="internal")
    for_customers = make_article("Garantía", "Presente la boleta.", audience="customer")
    ticket = make_ticket(customer_id=make_customer(email=None).id)
    client = login(agent)

    def send(number):
        path = f"/plugins/knowledge_base/articles/{number}/use"
        data = {"ticket": ticket.number, "action": "send"}
        return client.post(path, data=data, follow_redirects=True).text

    not_for_customers = send(internal.number)
    assert "Solo se pueden enviar a los clientes artículos publicados para clientes." in (
        not_for_customers
    )
    assert "customer-facing articles" not in not_for_customers
    no_email = send(for_customers.number)
    assert "El cliente no tiene dirección de correo." in no_email
    assert "no email address" not in no_email
    # A lowercase service phrase reads as a sentence on the page.
    assert "No se encontró el artículo 999." in send(999)


@pytest.mark.plugins("knowledge_base")
def test_a_spanish_editor_reads_refused_topics_and_articles_in_spanish(
    spanish, make_topic, login, supervisor
):
    topic = make_topic("Garantías")
    client = login(supervisor)
    twin = client.post(
        "/plugins/knowledge_base/topics", data={"name": "Garantías"}, follow_redirects=True
    )
    assert "Ya existe un tema con este nombre aquí." in twin.text
    orphan = client.post(
        "/plugins/knowledge_base/topics",
        data={"name": "Ruidos", "parent_id": "999"},
        follow_redirects=True,
    )
    assert "No se encontró el tema 999." in orphan.text
    form = {"title": "Ruidos", "audience": "internal", "status": "draft"}
    nowhere = client.post("/plugins/knowledge_base/articles/new", data=form | {"topic_id": "999"})
    assert nowhere.status_code == 400
    assert "No existe ese tema." in nowhere.text and "no such topic" not in nowhere.text
    assert topic.id != 999


@pytest.mark.plugins("knowledge_base")
def test_the_api_answers_a_spanish_token_user_in_spanish(
    client, make_user, make_article, supervisor
):
    from deskcore.services.tokens import create_token

    draft = make_article("Borrador", status="draft")

    def call(user, method, path, **kwargs):
        _, token = create_token(user, "i18n")
        headers = {"Authorization": f"Bearer {token}"}
        url = f"/api/v1/knowledge_base{path}"
        return client.open(url, method=method, headers=headers, **kwargs)

    agent = make_user(locale="es")
    missing = call(agent, "GET", "/articles/999")
    assert missing.status_code == 404
    assert missing.json["error"] == "no se encontró el artículo 999"
    # A draft is hidden from a reader who may not edit, with the same words.
    hidden = call(agent, "GET", f"/articles/{draft.number}")
    assert hidden.json["error"] == f"no se encontró el artículo {draft.number}"
    refused = call(agent, "POST", "/articles", json={"title": "Nuevo"})
    assert refused.status_code == 403
    assert refused.json["error"] == (
        "solo los editores de la base de conocimiento pueden modificar artículos"
    )
    editor = make_user(role="supervisor", locale="es")
    bad = call(editor, "POST", "/articles", json={"title": "Nuevo", "topic_id": 999})
    assert bad.status_code == 400
    assert bad.json["errors"] == {"topic_id": ["no existe ese tema"]}

    english = make_user(locale=None)
    assert call(english, "GET", "/articles/999").json["error"] == "article 999 not found"
    english_editor = make_user(role="supervisor", locale=None)
    bad = call(english_editor, "POST", "/articles", json={"title": "Nuevo", "topic_id": 999})
    assert bad.json["errors"] == {"topic_id": ["no such topic"]}


@pytest.mark.plugins("knowledge_base")
def test_service_messages_stay_english_outside_a_request(app, make_topic, supervisor):
    """The CLI and the logs read the untranslated text; a Spanish reader gets Spanish."""
    from deskcore_knowledge_base import articles, transfer
    from flask_babel import force_locale

    from deskcore.errors import NotFound, ValidationError

    with pytest.raises(NotFound) as missing:
        articles.get_topic(999)
    assert str(missing.value) == "topic 999 not found"
    with force_locale("es"):
        assert str(missing.value) == "no se encontró el tema 999"
    make_topic("Garantías")
    with pytest.raises(ValidationError) as twin:
        articles.create_topic({"name": "Garantías"}, supervisor)
    assert str(twin.value) == "name: a topic with this name already exists here"
    with pytest.raises(ValidationError) as empty:
        transfer.topic_by_path(" / ", supervisor)
    assert str(empty.value) == "topic: empty topic path"
    with force_locale("es"):
        assert str(empty.value) == "topic: la ruta del tema está vacía"
