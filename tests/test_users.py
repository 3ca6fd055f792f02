"""Users: roles in order, unique emails, the last admin stays, credentials checked safely."""

import pytest

from deskcore.errors import Conflict, NotFound, ValidationError
from deskcore.models import Role
from deskcore.services.users import (
    activate_user,
    authenticate,
    create_user,
    deactivate_user,
    reset_password,
    set_role,
)


def test_roles_are_ordered(agent, supervisor, admin):
    assert admin.has_role(Role.SUPERVISOR) and admin.has_role(Role.AGENT)
    assert supervisor.has_role(Role.AGENT) and not supervisor.has_role(Role.ADMIN)
    assert not agent.has_role(Role.SUPERVISOR)


def test_passwords_are_hashed(agent):
    assert "password123" not in agent.password_hash
    assert agent.check_password("password123") and not agent.check_password("wrong")


def test_email_is_unique_whatever_its_case(make_user):
    make_user(email="Ana@Desk.test")
    with pytest.raises(ValidationError) as exc:
        make_user(email="ana@desk.test")
    assert "already exists" in exc.value.messages["email"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [({"password": "short"}, "password"), ({"role": "root"}, "role"), ({"email": "x"}, "email")],
)
def test_bad_user_input_names_the_field(app, data, field):
    base = {"name": "Ana", "email": "ana@desk.test", "password": "long enough", "role": "agent"}
    with pytest.raises(ValidationError) as exc:
        create_user({**base, **data})
    assert field in exc.value.messages


def test_authenticate_accepts_only_active_users_with_the_right_password(agent):
    assert authenticate(agent.email.upper(), "password123") == agent
    assert agent.last_login_at is not None
    assert authenticate(agent.email, "nope") is None
    assert authenticate("nobody@desk.test", "password123") is None
    deactivate_user(agent.email)
    assert authenticate(agent.email, "password123") is None
    activate_user(agent.email)
    assert authenticate(agent.email, "password123") == agent


def test_reset_password(agent):
    reset_password(agent.email, "a new secret")
    assert authenticate(agent.email, "a new secret") == agent
    with pytest.raises(ValidationError):
        reset_password(agent.email, "short")


def test_the_last_admin_cannot_be_demoted_or_deactivated(admin, make_user):
    with pytest.raises(Conflict, match="last active admin"):
        set_role(admin.email, "agent")
    with pytest.raises(Conflict):
        deactivate_user(admin.email)
    make_user("admin")
    set_role(admin.email, "supervisor")
    assert admin.role == "supervisor"


def test_unknown_user_and_role(admin):
    with pytest.raises(NotFound):
        set_role("ghost@desk.test", "agent")
    with pytest.raises(ValidationError):
        set_role(admin.email, "owner")
