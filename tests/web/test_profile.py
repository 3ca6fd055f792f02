"""The profile page: name, language, password."""

from __future__ import annotations

from deskcore.extensions import db
from deskcore.services.tokens import authenticate_token, create_token, list_tokens


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


def test_api_tokens_are_created_shown_once_and_revoked(as_agent, agent):
    response = as_agent.post("/profile/tokens", data={"name": "ERP export"})
    assert response.status_code == 201
    secret = response.text.split('<code class="secret">', 1)[1].split("<", 1)[0]
    assert authenticate_token(secret).id == agent.id
    page = as_agent.get("/profile/").text
    assert "ERP export" in page and secret not in page
    token = list_tokens(agent)[0]
    assert as_agent.post(f"/profile/tokens/{token.id}/revoke").status_code == 302
    assert authenticate_token(secret) is None


def test_nobody_revokes_another_agents_token(client_for, agent, make_user):
    other = make_user("agent")
    token, _ = create_token(other, "theirs")
    assert client_for(agent).post(f"/profile/tokens/{token.id}/revoke").status_code == 404
