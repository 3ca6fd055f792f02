"""Personal API tokens: stored hashed, shown once, revocable, useless for inactive users."""

from __future__ import annotations

import hashlib

import pytest

from deskcore.errors import NotFound, ValidationError
from deskcore.services.tokens import authenticate_token, create_token, list_tokens, revoke_token
from deskcore.services.users import deactivate_user


def test_a_token_is_stored_as_its_hash_with_a_short_prefix(agent):
    token, secret = create_token(agent, "ERP")
    assert secret.startswith("dk_") and len(secret) >= 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) == 11
    assert secret not in {token.name, token.prefix, token.token_hash}
    assert (token.name, token.revoked, token.last_used_at) == ("ERP", False, None)


def test_the_token_authenticates_its_user_and_notes_the_use(agent):
    token, secret = create_token(agent)
    assert authenticate_token(secret) == agent
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", ["", "dk_", "dk_wrong", "Bearer x", "dk_" + "a" * 300])
def test_unknown_tokens_authenticate_nobody(agent, secret):
    create_token(agent)
    assert authenticate_token(secret) is None


def test_a_revoked_token_fails(agent):
    token, secret = create_token(agent)
    revoke_token(token.id)
    assert authenticate_token(secret) is None
    assert revoke_token(token.id).revoked  # revoking twice is harmless


def test_tokens_of_a_deactivated_user_fail(make_user):
    user = make_user("agent")
    _, secret = create_token(user)
    deactivate_user(user.email)
    assert authenticate_token(secret) is None
    with pytest.raises(ValidationError):
        create_token(user)


def test_people_revoke_only_their_own_tokens(agent, supervisor):
    token, _ = create_token(supervisor)
    with pytest.raises(NotFound):
        revoke_token(token.id, user=agent)
    assert revoke_token(token.id, user=supervisor).revoked


def test_list_tokens_newest_first_per_user_or_all(agent, supervisor):
    first, _ = create_token(agent, "one")
    second, _ = create_token(agent, "two")
    other, _ = create_token(supervisor)
    revoke_token(first.id)
    assert list_tokens(agent) == [second, first]
    assert list_tokens(agent, include_revoked=False) == [second]
    assert list_tokens() == [other, second, first]


def test_a_token_name_is_short(agent):
    with pytest.raises(ValidationError) as error:
        create_token(agent, "x" * 121)
    assert "name" in error.value.messages
