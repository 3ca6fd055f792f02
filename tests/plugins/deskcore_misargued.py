"""Test plugin "misargued": its hook takes an argument the spec does not have."""

from deskcore import hookimpl


@hookimpl
def ticket_closed(ticket, user):
    """Wrong on purpose: ticket_closed passes ``agent``, not ``user``."""
