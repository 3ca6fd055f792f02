"""``deskcore kb …``: rebuild the search index, import and export articles as Markdown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from deskcore.extensions import db
from deskcore.models import Role, User

from . import indexing, transfer
from .index import article_index
from .models import KbArticle


@click.group("kb")
def kb() -> None:
    """Knowledge base: search index, import and export."""


@kb.command("reindex")
@with_appcontext
def reindex() -> None:
    """Rebuild the search index from the database into a new folder, then swap it in."""
    started = datetime.now(UTC)
    total = indexing.article_count()
    with click.progressbar(indexing.all_documents(), length=total, label="Indexing") as bar:
        count = article_index().rebuild(bar)
    # Edits committed while the rebuild read the table went to the old index: redo them.
    changed = db.session.scalars(select(KbArticle.number).where(KbArticle.updated_at >= started))
    indexing.reindex_numbers(current_app._get_current_object(), list(changed))
    click.echo(f"Indexed {count} articles.")


@kb.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--author", required=True, help="Email of the editor the articles are by.")
@with_appcontext
def import_command(folder: Path, author: str) -> None:
    """Load every *.md file of FOLDER (Markdown with YAML front matter)."""
    user = db.session.scalar(select(User).where(User.email == author))
    if user is None or not user.has_role(Role.AGENT):
        raise click.ClickException(f"no user with email {author}")
    created = updated = 0
    for path in sorted(folder.glob("*.md")):
        try:
            _, was_created = transfer.import_file(path, user)
        except transfer.ImportFileError as exc:
            raise click.ClickException(str(exc)) from None
        created += was_created
        updated += not was_created
    click.echo(f"Imported {created} new and {updated} updated articles from {folder}.")


@kb.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(folder: Path) -> None:
    """Write every article to FOLDER as kb-NNNNN.md with front matter."""
    folder.mkdir(parents=True, exist_ok=True)
    found = transfer.all_articles()
    for article in found:
        transfer.export_article(article, folder)
    click.echo(f"Exported {len(found)} articles to {folder}.")
