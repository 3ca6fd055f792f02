"""Spanish and English: catalogs complete and reproducible, locale choice, plugin catalogs."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from deskcore.extensions import db
from deskcore.i18n import CORE_TRANSLATIONS

LINGO = Path(__file__).parent / "lingo_plugin"


def catalog(language: str):
    with open(CORE_TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


@pytest.mark.parametrize("language", ["es", "en"])
def test_compiling_the_po_files_gives_the_committed_mo_files(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language))
    committed = (CORE_TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert compiled.getvalue() == committed, f"run: pybabel compile -d translations -l {language}"


def test_every_message_has_a_spanish_translation():
    untranslated = [
        m.id for m in catalog("es") if m.id and (not m.string or not all(m.string) or m.fuzzy)
    ]
    assert untranslated == []


def test_the_catalogs_hold_every_message_of_the_template():
    with open(CORE_TRANSLATIONS / "messages.pot", "rb") as pot:
        wanted = {m.id for m in read_po(pot) if m.id}
    for language in ("es", "en"):
        assert wanted <= {m.id for m in catalog(language) if m.id}, language


def test_templates_have_no_untranslated_visible_text():
    """A rough guard: text between tags in core templates goes through ``_()``."""
    templates = Path(CORE_TRANSLATIONS.parent, "web", "templates")
    offenders = []
    for path in templates.rglob("*.html"):
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(), flags=re.S)
        for chunk in re.findall(r">([^<>]+)<", text):
            words = re.sub(r"[\s·—\u00d7:*().,#%…→|]+", "", chunk)
            if re.search(r"[A-Za-z]{3}", words) and words not in {"Deskcore"}:
                offenders.append((path.name, chunk.strip()))
    assert offenders == []


def test_browser_language_decides_until_the_agent_chooses(client, login, agent):
    login(agent)
    spanish = client.get("/tickets/", headers={"Accept-Language": "es-CL,es;q=0.9,en;q=0.5"})
    assert "Casos" in spanish.text and 'lang="es"' in spanish.text
    english = client.get("/tickets/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Tickets" in english.text and 'lang="en"' in english.text


def test_the_saved_language_wins_over_the_browser(client, login, agent):
    agent.locale = "es"
    db.session.commit()
    login(agent)
    page = client.get("/tickets/new", headers={"Accept-Language": "en"})
    assert "Nuevo caso" in page.text and "Asunto" in page.text


def test_the_login_page_follows_the_browser(client):
    assert "Iniciar sesión" in client.get("/login", headers={"Accept-Language": "es"}).text


def test_dates_and_numbers_follow_the_locale(app, client, login, agent, make_ticket):
    ticket = make_ticket()
    login(agent)
    spanish = client.get(f"/tickets/{ticket.number}", headers={"Accept-Language": "es"}).text
    english = client.get(f"/tickets/{ticket.number}", headers={"Accept-Language": "en"}).text
    year = ticket.received_at.strftime("%y")
    day_first = f"{ticket.received_at.day}/{ticket.received_at.month}/{year}"
    month_first = f"{ticket.received_at.month}/{ticket.received_at.day}/{year}"
    assert day_first in spanish and month_first in english


def test_field_errors_are_translated(client, login, agent):
    agent.locale = "es"
    db.session.commit()
    login(agent)
    page = client.post("/profile/", data={"name": ""})
    assert "Este campo es obligatorio." in page.text


@pytest.fixture
def deskcore_config(request, monkeypatch):
    """With ``indirect`` parameter "lingo": the app also loads the lingo test plugin."""
    if getattr(request, "param", None) != "lingo":
        return {}
    monkeypatch.syspath_prepend(str(LINGO))
    monkeypatch.delitem(sys.modules, "deskcore_lingo", raising=False)
    return {"DESKCORE_PLUGIN_MODULES": ["deskcore_dummy.plugin", "deskcore_lingo"]}


@pytest.mark.plugins("lingo")
@pytest.mark.parametrize("deskcore_config", ["lingo"], indirect=True)
def test_a_plugin_ships_its_own_translations(app, client, login, agent):
    folders = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    assert folders[-1] == str(CORE_TRANSLATIONS)  # core's words cannot be changed by plugins
    assert str(LINGO / "deskcore_lingo" / "translations") in folders
    login(agent)
    page = client.get("/customers/", headers={"Accept-Language": "es"})
    assert "Rincón de idiomas" in page.text and "Clientes" in page.text
    english = client.get("/customers/", headers={"Accept-Language": "en"})
    assert "Language corner" in english.text


def test_the_template_holds_every_message_of_the_source():
    """New UI text must be extracted (and so translated): see docs/admin-guide.md."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    method_map = [
        ("deskcore/web/**.py", "python"),
        ("deskcore/i18n.py", "python"),
        ("deskcore/web/templates/**.html", "jinja2"),
    ]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(CORE_TRANSLATIONS.parents[1]), method_map, keywords=keywords
        )
    }
    with open(CORE_TRANSLATIONS / "messages.pot", "rb") as pot:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    assert len(found) > 300
    assert found - extracted == set()


def test_translations_work_outside_a_request(app):
    """CLI commands and work after a commit translate too, in the default language."""
    from flask_babel import gettext

    assert gettext("Tickets") == "Tickets"


def test_service_messages_reach_a_spanish_agent_in_spanish(client, login, admin):
    """Messages raised by the services (not only the page's own words) follow the language."""
    admin.locale = "es"
    db.session.commit()
    login(admin)
    demoted = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "agent"}, follow_redirects=True
    )
    assert "es el último administrador activo" in demoted.text
    assert "last active admin" not in demoted.text
    wrong = client.post(
        "/profile/password",
        data={"current_password": "nope", "new_password": "new-secret-1",
              "confirm_password": "new-secret-1"},
    )  # fmt: skip
    assert "La contraseña actual no es correcta." in wrong.text


def test_service_messages_stay_english_outside_a_request(app, admin):
    """The CLI and logs read the untranslated text."""
    from deskcore.errors import Conflict
    from deskcore.services.users import set_role

    with pytest.raises(Conflict) as caught:
        set_role(admin.email, "agent")
    assert str(caught.value) == f"{admin.email} is the last active admin"
