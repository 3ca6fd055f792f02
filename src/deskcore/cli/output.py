"""Plain-text tables and values for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

import click


def show(value) -> str:
    """How a value reads in a table: yes/no for flags, "-" for nothing."""
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def echo_table(headers: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Print rows under headers in aligned columns."""
    cells = [[show(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    for row in [list(headers), *cells]:
        click.echo(
            "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        )
