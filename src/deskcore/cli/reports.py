"""``deskcore reports``: list the reports and run one as a table, CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..reports import export, registry
from .output import echo_table

reports_group = AppGroup("reports", help="List the reports and run one (table, CSV or XLSX).")


@reports_group.command("list")
def list_command() -> None:
    """One report per line: its name, title, and the plugin that adds it."""
    for entry in registry.entries():
        source = "" if entry.source == "core" else f"  [{entry.source}]"
        click.echo(f"{entry.report.name}  {entry.report.title}{source}")


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    given = {}
    for pair in values:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{pair}' is not KEY=VALUE", param_hint="--param")
        given[key.strip()] = value
    return given


@reports_group.command("run")
@click.argument("name")
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="Repeatable.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *export.FORMATS]),
    default="table",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def run_command(name: str, pairs: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Run report NAME; dates are YYYY-MM-DD, agents, queues and types are ids."""
    given = _pairs(pairs)
    entry = registry.get(name)
    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise click.UsageError("an XLSX file is binary: pass --output FILE or redirect stdout")
    result = registry.run(entry.report, given, strict=True)
    if fmt == "table":
        headers, cells = export.to_table(result)
        if not cells:
            click.echo("No rows.")
            return
        echo_table(headers, cells)
        return
    data = export.export(result, fmt)
    if output is not None:
        output.write_bytes(data)
        click.echo(f"Wrote {len(result.rows)} rows to {output}", err=True)
        return
    click.echo(data, nl=False)  # bytes go to the binary stream underneath
