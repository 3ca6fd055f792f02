"""Expected failures become one readable line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from marshmallow import ValidationError as SchemaError
from sqlalchemy.exc import OperationalError, ProgrammingError

from ..errors import DeskcoreError, ValidationError

#: What a database says when its tables are missing (SQLite, PostgreSQL).
_MISSING_TABLE = ("no such table", "does not exist")


class UsageLine(click.ClickException):
    """A usage error told in one line, with click's usage exit code."""

    exit_code = 2


def one_line(text: str) -> str:
    return " ".join(str(text).split())


@contextmanager
def readable_errors() -> Iterator[None]:
    """Turn usage, Deskcore, validation and database errors into one-line click errors."""
    try:
        yield
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        raise UsageLine(one_line(exc.format_message()) + hint) from None
    except DeskcoreError as exc:
        raise click.ClickException(one_line(str(exc))) from None
    except SchemaError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise click.ClickException(one_line(str(ValidationError(messages)))) from None
    except (OperationalError, ProgrammingError) as exc:
        message = one_line(str(exc.orig or exc).splitlines()[0])
        if any(marker in message for marker in _MISSING_TABLE):
            message += " (run `deskcore init` or `deskcore db upgrade` first)"
        raise click.ClickException(f"database error: {message}") from None
