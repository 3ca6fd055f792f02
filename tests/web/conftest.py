"""Helpers for the web UI tests."""

from __future__ import annotations

import deskcore_dummy.plugin as dummy
import pytest


@pytest.fixture(autouse=True)
def _clean_dummy():
    """Start each test with no recorded hook calls and no planted plugin errors."""
    dummy.CALLS.clear()
    dummy.RAISE.clear()
    yield
    dummy.RAISE.clear()


@pytest.fixture
def as_agent(login, agent):
    return login(agent)


@pytest.fixture
def as_admin(login, admin):
    return login(admin)


@pytest.fixture
def client_for(app):
    """``client_for(user)``: a separate test client logged in as ``user``."""

    def make(user):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return client

    return make
