"""Login for every page, roles on every route, CSRF on every form, safe cookies."""

from __future__ import annotations

import re

import pytest

from deskcore.plugins import registry
from deskcore.services.users import deactivate_user
from deskcore.web import PUBLIC_ENDPOINTS
from deskcore.web.access import is_public

SAMPLE_VALUES = {"int": "1", "default": "x", "path": "x"}


def _concrete(rule) -> str:
    """A URL for a rule, with a plausible value for every argument."""

    def value(match: re.Match) -> str:
        converter = match.group(1) or "default"
        return SAMPLE_VALUES.get(converter, "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule.rule)


def _page_rules(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in PUBLIC_ENDPOINTS or is_public(view):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


@pytest.mark.plugins("dummy")
def test_every_page_refuses_anonymous_users(app, client):
    """Core and plugin pages alike; the JSON API answers with its own token check."""
    checked = 0
    reg = registry()
    for rule, method in _page_rules(app):
        if rule.rule.startswith("/api/"):
            continue
        response = client.open(_concrete(rule), method=method)
        owner = reg.blueprint_owners.get(rule.endpoint.rpartition(".")[0])
        if owner is not None and not reg.is_enabled(owner):
            assert response.status_code == 404, rule.rule  # a disabled plugin has no pages
            continue
        assert response.status_code == 302, (method, rule.rule, response.status_code)
        assert "/login" in response.headers["Location"], rule.rule
        checked += 1
    assert checked > 40


def test_only_the_login_page_and_probes_are_public(app):
    public = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint in PUBLIC_ENDPOINTS or is_public(app.view_functions[rule.endpoint])
    }
    assert public <= {"auth.login", "desk.static", "static", "healthz", "dummy.ping"}


def test_agents_get_a_403_page_on_every_admin_route(app, client, login, agent):
    login(agent)
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(_concrete(rule), method=method)
            assert response.status_code == 403, (method, rule.rule)
            assert "You do not have access to this page" in response.text


def test_supervisors_but_not_agents_override_coverage(client_for, agent, supervisor, make_ticket):
    ticket = make_ticket()
    url, data = f"/tickets/{ticket.number}/coverage", {"kind": "courtesy", "reason": "loyal"}
    assert client_for(agent).post(url, data=data).status_code == 403
    assert client_for(supervisor).post(url, data=data).status_code == 302
    assert client_for(agent).post(f"{url}/restore").status_code == 403


def test_login_with_email_and_password_then_logout(client, agent):
    response = client.post("/login", data={"email": agent.email, "password": "password123"})
    assert response.status_code == 302
    page = client.get("/tickets/")
    assert page.status_code == 200 and agent.name in page.text
    assert client.post("/logout").status_code == 302
    assert client.get("/tickets/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(client, agent):
    response = client.post("/login", data={"email": agent.email, "password": "nope"})
    assert response.status_code == 401
    assert "Wrong email or password." in response.text
    assert client.get("/tickets/").status_code == 302


def test_deactivated_users_cannot_log_in(client, make_user):
    user = make_user("agent")
    deactivate_user(user.email)
    response = client.post("/login", data={"email": user.email, "password": "password123"})
    assert response.status_code == 401


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_login_never_redirects_off_site(client, agent, target):
    response = client.post(
        "/login", data={"email": agent.email, "password": "password123", "next": target}
    )
    assert response.headers["Location"].endswith("/tickets/")


def test_login_returns_to_the_page_asked_for(client, agent):
    response = client.get("/customers/?q=ana")
    assert response.status_code == 302
    next_url = "/customers/?q=ana"
    response = client.post(
        "/login", data={"email": agent.email, "password": "password123", "next": next_url}
    )
    assert response.headers["Location"].endswith(next_url)


@pytest.mark.parametrize("deskcore_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_post_without_the_csrf_token_is_refused(client, login, agent, make_ticket):
    ticket = make_ticket()
    login(agent)
    response = client.post(f"/tickets/{ticket.number}/comment", data={"body": "sneaky"})
    assert response.status_code == 400
    assert "CSRF" in response.text
    page = client.get(f"/tickets/{ticket.number}")
    assert "sneaky" not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        f"/tickets/{ticket.number}/comment", data={"body": "with token", "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("deskcore_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_itself_needs_the_csrf_token(client, agent):
    response = client.post("/login", data={"email": agent.email, "password": "password123"})
    assert response.status_code == 400


def test_session_cookie_is_http_only_and_same_site(app, client, agent):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    response = client.post("/login", data={"email": agent.email, "password": "password123"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("deskcore_config", [{"SESSION_COOKIE_SECURE": True}])
def test_secure_cookies_when_served_over_tls(app):
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_pages_send_a_strict_content_security_policy(client, login, agent):
    login(agent)
    response = client.get("/tickets/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", response.text), "inline event handler"
    assert "<script>" not in response.text and "style=" not in response.text


def test_unknown_pages_get_a_404_page(client, login, agent):
    login(agent)
    response = client.get("/tickets/999999")
    assert response.status_code == 404
    assert "This page does not exist" in response.text


def test_a_session_signed_with_a_retired_key_still_works_and_a_new_key_ends_the_others(
    app, client, login, agent
):
    """The cookie signer is built once per set of keys, so it must follow key rotation."""
    login(agent)
    assert client.get("/tickets/").status_code == 200
    old_key = app.secret_key
    app.secret_key = "rotated-" + old_key
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    try:
        assert client.get("/tickets/").status_code == 200
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert client.get("/tickets/").status_code == 302  # to the login page
    finally:
        app.secret_key = old_key
        app.config["SECRET_KEY_FALLBACKS"] = []
