"""``deskcore tokens create|list|revoke``."""

from __future__ import annotations

import pytest

from deskcore.cli import main
from deskcore.services.tokens import authenticate_token


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(main, list(args))


def test_create_prints_the_token_as_its_last_line(run, agent):
    result = run("tokens", "create", "--user", agent.email, "--name", "ERP")
    assert result.exit_code == 0, result.output
    assert authenticate_token(result.output.strip().splitlines()[-1]) == agent


def test_list_shows_prefixes_never_secrets(run, agent, supervisor):
    secret = run("tokens", "create", "--user", agent.email).output.split()[-1]
    run("tokens", "create", "--user", supervisor.email, "--name", "phone")
    everyone = run("tokens", "list").output
    assert agent.email in everyone and supervisor.email in everyone
    assert secret not in everyone and secret[:11] in everyone
    assert supervisor.email not in run("tokens", "list", "--user", agent.email).output


def test_revoke_stops_the_token(run, agent):
    created = run("tokens", "create", "--user", agent.email).output
    result = run("tokens", "revoke", created.split()[2])
    assert result.exit_code == 0 and "Revoked" in result.output
    assert authenticate_token(created.split()[-1]) is None


def test_unknown_users_and_tokens_are_one_line_errors(run):
    assert "No tokens yet" in run("tokens", "list").output
    result = run("tokens", "create", "--user", "nobody@desk.test")
    assert result.exit_code == 1 and "nobody@desk.test" in result.output
    assert run("tokens", "revoke", "999").exit_code == 1
