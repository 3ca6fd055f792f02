"""A company plugin listening to the hooks the warranty plugin defines (loaded by module
path in the tests that need it): it records what it hears and can be told to fail."""

from __future__ import annotations

from deskcore import hookimpl

#: (hook, what it received) of every call, in order; tests clear it.
HEARD: list[tuple[str, tuple]] = []
#: hook name → exception to raise from it, set by tests.
RAISE: dict[str, BaseException] = {}


def _hear(hook: str, *what) -> None:
    HEARD.append((hook, what))
    if hook in RAISE:
        raise RAISE[hook]


@hookimpl
def warranty_order_registered(order):
    _hear("warranty_order_registered", order.label, order.claim.label, order.credit)


@hookimpl
def warranty_claim_changed(claim, old_status, new_status, agent):
    _hear("warranty_claim_changed", claim.label, old_status, new_status, agent.id)
