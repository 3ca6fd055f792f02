"""Spanish and English: the plugin ships catalogs that are complete, reproducible and agree
with core's words, and its pages speak the agent's language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import deskcore_knowledge_base
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from deskcore.extensions import db
from deskcore.i18n import CORE_TRANSLATIONS

PACKAGE = Path(deskcore_knowledge_base.__file__).parent
TRANSLATIONS = PACKAGE / "translations"


def catalog(folder: Path, language: str):
    with open(folder / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_compiling_the_po_files_gives_the_committed_mo_files(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalog(TRANSLATIONS, language))
    committed = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, f"run: pybabel compile -d translations -l {language}"


def test_every_message_has_a_spanish_translation():
    untranslated = [m.id for m in catalog(TRANSLATIONS, "es") if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


def test_the_catalogs_hold_every_message_of_the_template():
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        wanted = {(m.context, m.id) for m in read_po(pot) if m.id}
    for language in ("es", "en"):
        assert wanted <= {(m.context, m.id) for m in catalog(TRANSLATIONS, language)}, language


def test_words_core_translates_too_are_translated_the_same_way():
    """Plugin catalogs are merged over core's: a different word would change core's pages."""
    core = {m.id: m.string for m in catalog(CORE_TRANSLATIONS, "es") if m.id and not m.context}
    ours = {m.id: m.string for m in catalog(TRANSLATIONS, "es") if m.id and not m.context}
    assert {k: (core[k], v) for k, v in ours.items() if k in core and core[k] != v} == {}


def test_templates_have_no_untranslated_visible_text():
    offenders = []
    for path in (PACKAGE / "templates").rglob("*.html"):
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(), flags=re.S)
        for chunk in re.findall(r">([^<>]+)<", text):
            if re.search(r"[A-Za-z]{3}", re.sub(r"[\s·—:*().,#%…→|]+", "", chunk)):
                offenders.append((path.name, chunk.strip()))
    assert offenders == []


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
