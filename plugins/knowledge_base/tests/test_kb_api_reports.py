"""The JSON API (search, read, create, update) and the reports of most-used articles and of
searches that found nothing."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base import usage
from deskcore_knowledge_base.reports import most_used_articles, searches_without_results
from deskcore_knowledge_base.search import search_articles

from deskcore.plugins import registry
from deskcore.services.tokens import create_token

pytestmark = pytest.mark.plugins("knowledge_base")


@pytest.fixture
def bearer(app):
    def headers(user) -> dict:
        _, secret = create_token(user)
        return {"Authorization": f"Bearer {secret}"}

    return headers


def test_editors_create_and_update_articles_through_the_api(client, supervisor, bearer):
    auth = bearer(supervisor)
    created = client.post(
        "/api/v1/knowledge_base/articles",
        json={
            "title": "Garantía extendida",
            "body": "Dura **dos** años.",
            "status": "published",
            "audience": "customer",
        },
        headers=auth,
    )
    assert created.status_code == 201, created.text
    assert created.json["label"] == "KB-1" and "<strong>dos</strong>" in created.json["html"]
    updated = client.patch(
        "/api/v1/knowledge_base/articles/1", json={"body": "Dura tres años."}, headers=auth
    )
    assert updated.status_code == 200 and updated.json["version"] == 2
    read = client.get("/api/v1/knowledge_base/articles/1", headers=auth)
    assert read.json["body"] == "Dura tres años."


def test_the_api_searches_in_both_languages(client, agent, bearer, make_article):
    make_article("Garantía extendida", "Dura dos años.")
    make_article("Printer jams", "Open the rear tray.")
    auth = bearer(agent)
    found = client.get("/api/v1/knowledge_base/search?q=garantia", headers=auth).json
    assert [h["number"] for h in found["hits"]] == [1]
    found = client.get("/api/v1/knowledge_base/search?q=jamming+trays", headers=auth).json
    assert [h["number"] for h in found["hits"]] == [2] and "<mark" in found["hits"][0]["highlights"]
    found = client.get("/api/v1/knowledge_base/search?q=garanttia", headers=auth).json
    assert found["total"] == 0 and found["suggestion"] == "garantia"


def test_agents_cannot_write_and_bad_input_names_the_field(client, agent, supervisor, bearer):
    refused = client.post(
        "/api/v1/knowledge_base/articles", json={"title": "x"}, headers=bearer(agent)
    )
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/knowledge_base/articles", json={"audience": "all"}, headers=bearer(supervisor)
    )
    assert bad.status_code == 400 and {"title", "audience"} <= set(bad.json["errors"])


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {
        "/knowledge_base/search",
        "/knowledge_base/articles",
        "/knowledge_base/articles/{number}",
    } <= set(paths)


def test_most_used_articles_count_links_and_sends(make_article, make_ticket, agent):
    first, second = make_article("Uno"), make_article("Dos")
    tickets = [make_ticket() for _ in range(3)]
    for ticket in tickets:
        usage.link_article(second.number, ticket.number, agent)
    usage.link_article(first.number, tickets[0].number, agent)
    assert [(r["article"], r["uses"]) for r in most_used_articles()] == [("KB-2", 3), ("KB-1", 1)]


def test_searches_that_found_nothing_are_reported_most_frequent_first(make_article, agent):
    make_article("Garantía")
    for text in ("lavadora", "Lavadora", "microondas", "garantía"):
        search_articles(text, user=agent, source="desk")
    rows = searches_without_results()
    assert [(r["search"], r["times"]) for r in rows] == [("lavadora", 2), ("microondas", 1)]


def test_the_reports_are_registered_while_the_plugin_is_enabled(app, disable_plugin):
    def names() -> set[str]:
        return {r.name for reports in registry().hook.register_reports() for r in reports}

    assert names() == {"knowledge_base_most_used", "knowledge_base_searches_without_results"}
    disable_plugin("knowledge_base")
    assert names() == set()
