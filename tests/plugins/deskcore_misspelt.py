"""Test plugin "misspelt": its hook name has a typo, so it would never be called."""

from deskcore import hookimpl


@hookimpl
def ticket_opend(ticket, agent, extra):
    """Misspelt on purpose: the real hook is ``ticket_opened``."""
