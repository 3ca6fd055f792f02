"""Spanish and English: catalogs complete and reproducible, locale choice, plugin catalogs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.i18n import CORE_TRANSLATIONS
from deskcore.testing import translation_problems

LINGO = Path(__file__).parent / "lingo_plugin"


def test_the_core_catalogs_are_complete_and_compiled():
    assert (
        translation_problems(CORE_TRANSLATIONS, CORE_TRANSLATIONS.parent / "web" / "templates")
        == []
    )


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
    from babel.messages.frontend import parse_mapping_cfg

    with open(CORE_TRANSLATIONS / "babel.cfg") as config:
        method_map, _ = parse_mapping_cfg(config)
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


def test_api_messages_follow_the_token_user_then_the_client(client, make_user):
    from deskcore.services.tokens import create_token

    spanish = make_user(role="admin", email="es@desk.test", locale="es")
    english = make_user(role="admin", email="en@desk.test", locale=None)

    def missing_customer(user, **headers):
        _, token = create_token(user, "i18n")
        headers["Authorization"] = f"Bearer {token}"
        return client.get("/api/v1/customers/999999", headers=headers).json

    assert "no se encontró el cliente 999999" in str(missing_customer(spanish))
    assert "customer 999999 not found" in str(missing_customer(english))
    assert "no se encontró" in str(missing_customer(english, **{"Accept-Language": "es"}))


def test_ticket_refusals_reach_a_spanish_agent_in_spanish(client, login, agent, make_ticket):
    from deskcore.models import Status

    ticket = make_ticket()
    agent.locale = "es"
    db.session.commit()
    login(agent)
    pending = db.session.scalar(select(Status).where(Status.code == "pending"))
    same = client.post(f"/tickets/{ticket.number}/status", data={"status_id": str(pending.id)})
    assert same.status_code == 409
    assert f"El caso #{ticket.number} no puede pasar de" in same.text
    missing = client.post(f"/tickets/{ticket.number}/link", data={"related": "#99999"})
    assert "No se encontró el caso #99999." in missing.text
    assert "not found" not in missing.text


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_TIMEZONE": "America/Santiago"}])
def test_typed_times_are_read_in_the_desks_zone_with_its_offset_of_that_day(app):
    """Summer (UTC-3) and winter (UTC-4) in Santiago, never pytz's historical -04:43."""
    from deskcore.web.forms import local_datetime

    with app.test_request_context():
        assert local_datetime("2026-01-15T10:00") == "2026-01-15T10:00:00-03:00"
        assert local_datetime("2026-07-15T10:00") == "2026-07-15T10:00:00-04:00"
        assert local_datetime("2026-07-15T10:00+00:00") == "2026-07-15T10:00:00+00:00"


@pytest.mark.parametrize("deskcore_config", [{"BABEL_DEFAULT_LOCALE": "es"}])
def test_a_browser_asking_for_neither_language_gets_the_desks(client):
    page = client.get("/login", headers={"Accept-Language": "fr, de"}).text
    assert "Contraseña" in page
    assert "Password" in client.get("/login", headers={"Accept-Language": "en"}).text
