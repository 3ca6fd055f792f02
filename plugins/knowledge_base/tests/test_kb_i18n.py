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
