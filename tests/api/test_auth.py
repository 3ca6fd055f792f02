"""Bearer tokens guard every API route, plugin routes included; roles follow the UI's rules;
every error is JSON."""

from __future__ import annotations

import pytest

from deskcore.services.tokens import create_token, revoke_token
from deskcore.services.users import deactivate_user


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json and response.json["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "invalid_token" not in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(
    "header", ["Bearer dk_nope", "Bearer ", "Basic YTpi", "dk_no_scheme", "Bearer \x7f"]
)
def test_a_wrong_token_is_401(client, agent, header):
    create_token(agent)
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert (response.status_code, response.is_json) == (401, True)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_401(client, agent):
    token, secret = create_token(agent)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    revoke_token(token.id)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "error=invalid_token" in response.headers["WWW-Authenticate"]


def test_tokens_of_a_deactivated_user_are_401(client, make_user):
    user = make_user("agent")
    _, secret = create_token(user)
    deactivate_user(user.email)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_me_is_the_token_owner(api_as, supervisor):
    response = api_as(supervisor).get("/me")
    assert response.json == {
        "id": supervisor.id,
        "name": supervisor.name,
        "email": supervisor.email,
        "role": "supervisor",
        "locale": None,
    }


@pytest.mark.plugins("dummy")
def test_plugin_routes_need_a_token_too(client, api):
    assert client.get("/api/v1/dummy/notes").status_code == 401
    assert api.get("/dummy/notes").status_code == 200


def test_the_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json["openapi"].startswith("3.")


def test_a_logged_in_browser_session_is_not_enough(client, login, agent):
    login(agent)
    assert client.get("/api/v1/me").status_code == 401


def test_agents_may_not_override_coverage_supervisors_and_admins_may(
    api_as, agent, supervisor, admin, make_ticket
):
    ticket = make_ticket()
    body = {"kind": "courtesy", "reason": "loyal customer"}
    response = api_as(agent).post(f"/tickets/{ticket.number}/coverage", json=body)
    assert response.status_code == 403 and response.is_json
    assert "supervisor" in response.json["error"]
    for user in (supervisor, admin):
        response = api_as(user).post(f"/tickets/{ticket.number}/coverage", json=body)
        assert response.status_code == 200, response.json
        assert response.json["coverage"] == {
            "kind": "courtesy",
            "plugin": "core",
            "reason": "loyal customer",
            "overridden": True,
        }


def test_agents_may_not_restore_automatic_coverage(api_as, agent, supervisor, make_ticket):
    ticket = make_ticket()
    assert api_as(agent).delete(f"/tickets/{ticket.number}/coverage").status_code == 403
    response = api_as(supervisor).delete(f"/tickets/{ticket.number}/coverage")
    assert response.status_code == 200
    assert response.json["coverage"]["overridden"] is False


def test_unknown_paths_and_methods_answer_json(api):
    missing = api.get("/nothing-here")
    assert (missing.status_code, missing.is_json) == (404, True)
    wrong_method = api.delete("/customers")
    assert (wrong_method.status_code, wrong_method.is_json) == (405, True)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/tickets", {"GET", "POST"}),
        ("DELETE", "/tickets/1", {"GET", "PATCH"}),
        ("GET", "/tickets/1/close", {"POST"}),
    ],
)
def test_a_method_the_route_does_not_take_is_405_with_the_allowed_ones(api, method, path, allowed):
    response = api._call(method, path)
    assert (response.status_code, response.is_json) == (405, True)
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}
