"""The profile page: name, language, password."""

from __future__ import annotations

from deskcore.extensions import db


def test_change_name_and_language(as_agent, agent):
    response = as_agent.post("/profile/", data={"name": "Ana María", "locale": "es"})
    assert response.status_code == 302
    db.session.refresh(agent)
    assert (agent.name, agent.locale) == ("Ana María", "es")
    assert "Perfil" in as_agent.get("/profile/").text


def test_blank_language_follows_the_browser(as_agent, agent):
    as_agent.post("/profile/", data={"name": "Ana", "locale": ""})
    db.session.refresh(agent)
    assert agent.locale is None


def test_password_change_needs_the_current_password(as_agent, agent):
    wrong = as_agent.post(
        "/profile/password",
        data={"current_password": "nope", "new_password": "new-secret-1",
              "confirm_password": "new-secret-1"},
    )  # fmt: skip
    assert wrong.status_code == 400 and "The current password is wrong." in wrong.text
    differ = as_agent.post(
        "/profile/password",
        data={"current_password": "password123", "new_password": "new-secret-1",
              "confirm_password": "other"},
    )  # fmt: skip
    assert differ.status_code == 400
    ok = as_agent.post(
        "/profile/password",
        data={"current_password": "password123", "new_password": "new-secret-1",
              "confirm_password": "new-secret-1"},
    )  # fmt: skip
    assert ok.status_code == 302
    db.session.refresh(agent)
    assert agent.check_password("new-secret-1")


def test_bad_profile_input_is_shown_not_a_500(as_agent):
    response = as_agent.post("/profile/", data={"name": "", "locale": "fr"})
    assert response.status_code == 400
    assert "This field is required." in response.text
