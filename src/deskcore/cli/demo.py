"""``deskcore demo``: fill the desk with realistic demo data (see deskcore.demo)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import demo


@click.command("demo")
@click.option("--customers", type=click.IntRange(min=0), default=200, show_default=True)
@click.option("--tickets", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--seed", type=int, help="Same seed, same data (dates stay relative to now).")
@with_appcontext
def demo_command(customers: int, tickets: int, seed: int | None) -> None:
    """Add Spanish-language demo customers and tickets, with history, comments and time."""
    with click.progressbar(length=customers + tickets, label="Demo data") as bar:
        result = demo.fill_demo(customers, tickets, seed=seed, progress=bar.update)
    numbers = f" (#{result.first_number}-#{result.last_number})" if result.tickets else ""
    click.echo(f"Added {result.customers} customers and {result.tickets} tickets{numbers}")
