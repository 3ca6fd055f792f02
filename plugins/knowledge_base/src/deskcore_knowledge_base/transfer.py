"""Articles as Markdown files with YAML front matter, for ``kb import`` and ``kb export``.

A file names its topic as a path ("Refrigeradores/Ruidos"); missing topics are created. A
file with the number of an existing article updates it (keeping a version); one without a
number becomes a new article.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from deskcore.errors import NotFound, ValidationError
from deskcore.extensions import db
from deskcore.models import User

from . import articles
from .models import KbArticle, KbTopic

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)
_FIELDS = ("title", "keywords", "audience", "status")


class ImportFileError(Exception):
    def __init__(self, path: Path, message: str):
        super().__init__(f"{path.name}: {message}")


def parse(path: Path) -> tuple[dict, str]:
    """The front matter and the Markdown body of one file."""
    match = _FRONT.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ImportFileError(path, "no front matter (a block between --- lines) at the top")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ImportFileError(path, f"front matter is not YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ImportFileError(path, "front matter must be a mapping")
    return meta, match.group(2)


def import_file(path: Path, user: User) -> tuple[KbArticle, bool]:
    """Create or update the article of one file; True when it was created."""
    meta, body = parse(path)
    data = {key: meta[key] for key in _FIELDS if key in meta}
    if isinstance(data.get("keywords"), list):
        data["keywords"] = ", ".join(str(k) for k in data["keywords"])
    data["body"] = body
    number = meta.get("number")
    try:
        if meta.get("topic"):
            data["topic_id"] = topic_by_path(str(meta["topic"]), user).id
        if isinstance(number, int):
            try:
                return articles.update_article(number, data, user), False
            except NotFound:
                pass
        return articles.create_article(data, user), True
    except ValidationError as exc:
        raise ImportFileError(path, str(exc)) from None


def topic_by_path(path: str, user: User) -> KbTopic:
    parent = None
    for name in (part.strip() for part in path.split("/") if part.strip()):
        found = db.session.scalar(
            select(KbTopic).where(
                KbTopic.name == name,
                KbTopic.parent_id.is_(None) if parent is None else KbTopic.parent_id == parent.id,
            )
        )
        parent = found or articles.create_topic(
            {"name": name, "parent_id": parent.id if parent else None}, user
        )
    if parent is None:
        raise ValidationError({"topic": [_l("empty topic path")]})
    return parent


def topic_path(topic: KbTopic | None) -> str:
    names = []
    while topic is not None:
        names.append(topic.name)
        topic = topic.parent
    return "/".join(reversed(names))


def export_article(article: KbArticle, folder: Path) -> Path:
    meta = {
        "number": article.number,
        "title": article.title,
        "keywords": [k.strip() for k in article.keywords.split(",") if k.strip()],
        "topic": topic_path(article.topic) or None,
        "audience": article.audience,
        "status": article.status,
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path = folder / f"kb-{article.number:05d}.md"
    path.write_text(f"---\n{front}---\n{article.body}", encoding="utf-8")
    return path


def all_articles() -> list[KbArticle]:
    return list(db.session.scalars(select(KbArticle).order_by(KbArticle.number)))
