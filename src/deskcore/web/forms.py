"""Reading submitted forms into service input, and service errors back onto the fields.

The services validate everything with marshmallow; a page only converts what HTML sends
(strings) into the types the schemas expect, so there is one set of rules, shared with the
API and the CLI.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..desk_time import desk_timezone
from ..errors import DeskcoreError, ValidationError

_INTEGER = re.compile(r"^-?\d{1,18}$")

#: marshmallow's usual messages (English only) in the agent's language. Services raise
#: translated messages themselves (lazy_gettext), so they only need ``sentence``.
KNOWN_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field is required."),
    "Not a valid integer.": _l("Type a whole number."),
    "Not a valid number.": _l("Type a number."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid date and time."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Not a valid boolean.": _l("Choose yes or no."),
}
_PATTERNS = (
    (re.compile(r"^Longer than maximum length (\d+)\.$"), _l("At most %(n)s characters.")),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), _l("At least %(n)s characters.")),
    (re.compile(r"^Must be one of: .*\.$"), _l("Choose one of the options.")),
    (
        re.compile(r"^Must be greater than or equal to (\d+) and less than or equal to (\d+)\.$"),
        _l("Must be between %(n)s and %(m)s."),
    ),
)


def integer(value: str | None):
    """An id or a count: digits become an int, blank is None, anything else stays as typed
    so the schema answers "Not a valid integer." next to the field."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if _INTEGER.match(value) else value


def text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def local_datetime(value: str | None) -> str | None:
    """A ``datetime-local`` input, taken in the desk's time zone, as an ISO string with zone."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        # zoneinfo, not the pytz zone Flask-Babel gives: pytz's replace(tzinfo=) would take
        # the zone's first historical offset (Santiago: -04:43 local mean time).
        moment = moment.replace(tzinfo=desk_timezone())
    return moment.isoformat()


def pick(form, names, convert=text) -> dict:
    """``{name: convert(form[name])}`` for the names present in the submitted form."""
    return {name: convert(form.get(name)) for name in names if name in form}


def field_errors(exc: DeskcoreError) -> dict[str, list[str]]:
    """Messages per field of a service error; errors without a field go under ``_form``."""
    if not isinstance(exc, ValidationError):
        return {"_form": [translate(str(exc))]}
    errors: dict[str, list[str]] = {}
    for field, problems in exc.messages.items():
        key = "_form" if field == "_schema" else field
        errors.setdefault(key, []).extend(_flatten(problems))
    return errors


def translate(message: str) -> str:
    """A service or schema message in the agent's language when it is a known one."""
    message = str(message)
    if message in KNOWN_MESSAGES:
        return str(KNOWN_MESSAGES[message])
    for pattern, text in _PATTERNS:
        match = pattern.match(message)
        if match:
            numbers = dict(zip(("n", "m"), match.groups(), strict=False))
            return str(text) % numbers
    return sentence(message)


def sentence(message: str) -> str:
    """Services speak in lowercase phrases (they also end up inside CLI lines and JSON); a page
    shows them as sentences."""
    message = message[:1].upper() + message[1:]
    return message + "." if message[-1:].isalnum() else message


def _flatten(problems) -> list[str]:
    if isinstance(problems, str | LazyString):
        return [translate(problems)]
    if isinstance(problems, dict):
        return [msg for value in problems.values() for msg in _flatten(value)]
    return [msg for value in problems for msg in _flatten(value)]
