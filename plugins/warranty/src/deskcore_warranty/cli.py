"""``deskcore warranty …``: import the units sold from a CSV file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .services import SalesImportError, import_sales, read_rows


@click.group("warranty")
def warranty() -> None:
    """Warranty claims and the units sold."""


@warranty.command("import-sales")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_sales_command(file: Path) -> None:
    """Import the units sold listed in FILE (CSV with a header line).

    Columns: product_code, serial_number, sale_date (YYYY-MM-DD), sale_price, order_ref and
    customer_id or national_id. Every row is checked first: if any is bad, the problems are
    listed by line and nothing is imported.
    """
    try:
        # utf-8-sig: spreadsheets save CSV with a byte-order mark.
        with file.open(newline="", encoding="utf-8-sig") as stream:
            rows = read_rows(stream)
        with click.progressbar(rows, label=f"Checking {len(rows)} rows") as bar:
            imported = import_sales(bar)
    except SalesImportError as exc:
        for line, message in exc.problems:
            click.echo(f"{file.name}:{line}: {message}", err=True)
        raise click.ClickException(exc.message) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file.name} is not UTF-8 text: {exc.reason}") from None
    click.echo(f"Imported {imported} units sold from {file.name}.")
