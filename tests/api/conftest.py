"""An API client that sends a bearer token, for any user."""

from __future__ import annotations

import pytest

from deskcore.services.tokens import create_token


class ApiClient:
    """``api.get(path)`` / ``api.post(path, json=...)`` relative to /api/v1, as one user."""

    def __init__(self, client, user):
        self.client = client
        _, self.token = create_token(user, "tests")
        self.user = user

    def _call(self, method: str, path: str, headers: dict | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._call("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self._call("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("DELETE", path, **kwargs)


@pytest.fixture
def api_as(client):
    """``api_as(user)``: an API client authenticated with a new token of ``user``."""
    return lambda user: ApiClient(client, user)


@pytest.fixture
def api(api_as, agent):
    """The API as an agent."""
    return api_as(agent)
