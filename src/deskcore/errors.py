"""Errors every interface (UI, API, CLI) turns into a clear message; none of them is a 500."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DeskcoreError(Exception):
    """Base of expected errors. ``status`` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str):
        # ``message`` may be a lazy translation: it reads in the language of whoever shows it.
        super().__init__(message)
        self.message = message


class ValidationError(DeskcoreError):
    """Bad input: ``messages`` maps each field to its list of problems."""

    status = 400

    def __init__(self, messages: dict, message: str = "invalid input"):
        super().__init__(message)
        self.messages = messages

    def __str__(self) -> str:
        parts = []
        for field, problems in self.messages.items():
            text = "; ".join(map(str, problems)) if isinstance(problems, list) else str(problems)
            parts.append(f"{field}: {text}")
        return ", ".join(parts) or self.message


class NotFound(DeskcoreError):
    status = 404


class PermissionDenied(DeskcoreError):
    status = 403


class Conflict(DeskcoreError):
    """The request is valid but the ticket's state does not allow it (e.g. a transition)."""

    status = 409


class Veto(Exception):
    """Raised by a plugin inside a veto hook to refuse the operation."""


class PluginError(DeskcoreError):
    """A plugin refused (Veto, 409) or failed (a bug in the plugin, 500) inside a unit of work.

    Either way nothing was written and the message names the plugin.
    """

    def __init__(self, plugin: str, hook: str, message: str, refused: bool = False):
        if refused:
            text = _l("plugin '%(plugin)s' refused: %(message)s", plugin=plugin, message=message)
        else:
            text = _l(
                "plugin '%(plugin)s' failed in %(hook)s: %(message)s",
                plugin=plugin,
                hook=hook,
                message=message,
            )
        super().__init__(text)
        self.plugin = plugin
        self.hook = hook
        self.refused = refused
        self.status = 409 if refused else 500
