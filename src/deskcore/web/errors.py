"""Error pages for people: a 403, 404 or 400 is a page with the layout, never a stack trace."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("This page does not exist"),
    405: _l("This action is not allowed here"),
    409: _l("This cannot be done now"),
    500: _l("Something went wrong"),
}


def error_page(status: int, message: str | None = None):
    """The HTML answer for an error status (the API answers JSON before reaching here)."""
    title = TITLES.get(status, TITLES[500])
    return render_template("desk/error.html", status=status, title=title, message=message), status
