"""Topics nest, articles get consecutive numbers, bodies render safely, edits keep versions."""

from __future__ import annotations

import pytest
from deskcore_knowledge_base import articles
from deskcore_knowledge_base.rendering import to_html

from deskcore.errors import PermissionDenied, ValidationError
from deskcore.services.plugin_admin import configure_plugin

pytestmark = pytest.mark.plugins("knowledge_base")


def test_articles_get_consecutive_numbers(make_article):
    numbers = [make_article(f"Artículo {i}").number for i in range(3)]
    assert numbers == [1, 2, 3]
    assert articles.get_article(2).label == "KB-2"


def test_topics_nest_and_list_parents_before_children(make_topic):
    products = make_topic("Productos")
    fridges = make_topic("Refrigeradores", parent=products)
    make_topic("No enfría", parent=fridges)
    tree = [(t.name, depth) for t, depth in articles.topic_tree()]
    assert tree == [("Productos", 0), ("Refrigeradores", 1), ("No enfría", 2)]
    assert set(articles.topic_with_descendants(products.id)) == {
        t.id for t, _ in articles.topic_tree()
    }


def test_a_topic_name_is_unique_among_its_siblings(make_topic):
    make_topic("Garantías")
    with pytest.raises(ValidationError):
        make_topic("Garantías")


def test_markdown_is_rendered_and_scripts_are_removed():
    html = to_html("# Pasos\n\n**Desenchufe** el equipo <script>alert(1)</script>")
    assert "<h1>Pasos</h1>" in html and "<strong>Desenchufe</strong>" in html
    assert "<script" not in html


def test_an_edit_keeps_the_earlier_text_as_a_version(make_article, supervisor):
    article = make_article("Reset", "Primera versión", audience="customer")
    articles.update_article(article.number, {"body": "Segunda versión"}, supervisor)
    articles.update_article(article.number, {"title": "Reset de fábrica"}, supervisor)
    article = articles.get_article(article.number)
    assert (article.version, article.title, article.body) == (
        3,
        "Reset de fábrica",
        "Segunda versión",
    )
    assert [(v.version, v.title, v.body) for v in article.versions] == [
        (2, "Reset", "Segunda versión"),
        (1, "Reset", "Primera versión"),
    ]
    assert article.author.id == supervisor.id and article.audience == "customer"


def test_an_edit_that_changes_nothing_keeps_no_version(make_article, supervisor):
    article = make_article("Reset", "Texto")
    articles.update_article(article.number, {"body": "Texto"}, supervisor)
    assert articles.get_article(article.number).versions == []


def test_only_editors_write_articles_unless_the_setting_lets_agents(app, agent):
    with pytest.raises(PermissionDenied):
        articles.create_article({"title": "x"}, agent)
    configure_plugin("knowledge_base", {"agents_may_edit": True})
    assert articles.create_article({"title": "x"}, agent).number == 1


def test_bad_input_names_the_field(supervisor):
    with pytest.raises(ValidationError) as error:
        articles.create_article({"title": "", "audience": "everyone"}, supervisor)
    assert set(error.value.messages) == {"title", "audience"}
