"""The knowledge base's tables, all prefixed ``knowledge_base_``: topics (nested), articles,
the versions an edit replaced, links of articles to tickets, and the searches people ran."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskcore.extensions import db
from deskcore.models import Ticket, User, utcnow
from deskcore.models._types import UTCDateTime

AUDIENCES = ("internal", "customer")
STATUSES = ("draft", "published")
#: What an agent did with an article on a ticket.
USE_KINDS = ("linked", "sent")


def article_label(number: int) -> str:
    """How people name an article: "KB-12"."""
    return f"KB-{number}"


class KbTopic(db.Model):
    """A topic the company files its articles under; ``parent_id`` nests topics."""

    __tablename__ = "knowledge_base_topics"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_knowledge_base_topic_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("knowledge_base_topics.id"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[KbTopic | None] = relationship(remote_side=[id])


class KbArticle(db.Model):
    """The current text of an article; earlier texts live in ``KbArticleVersion``."""

    __tablename__ = "knowledge_base_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[str] = mapped_column(String(500), default="")
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_base_topics.id"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20), default="internal")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    version: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    topic: Mapped[KbTopic | None] = relationship()
    author: Mapped[User] = relationship()
    versions: Mapped[list[KbArticleVersion]] = relationship(
        back_populates="article", order_by="KbArticleVersion.version.desc()"
    )

    @property
    def label(self) -> str:
        return article_label(self.number)


class KbArticleVersion(db.Model):
    """An earlier text of an article, kept when an edit replaced it."""

    __tablename__ = "knowledge_base_article_versions"
    __table_args__ = (
        UniqueConstraint("article_id", "version", name="uq_knowledge_base_article_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_base_articles.id"))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[str] = mapped_column(String(500), default="")
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_base_topics.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)

    article: Mapped[KbArticle] = relationship(back_populates="versions")
    editor: Mapped[User] = relationship()


class KbArticleUse(db.Model):
    """An article linked to or sent on a ticket: what the "most used" report counts."""

    __tablename__ = "knowledge_base_article_uses"
    __table_args__ = (Index("ix_knowledge_base_article_uses_article", "article_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_base_articles.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[KbArticle] = relationship()
    ticket: Mapped[Ticket] = relationship()


class KbSearchLog(db.Model):
    """One search someone ran and how many articles it found (zero: write that article)."""

    __tablename__ = "knowledge_base_searches"
    __table_args__ = (Index("ix_knowledge_base_searches_hits", "hits", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    hits: Mapped[int]
    source: Mapped[str] = mapped_column(String(20), default="desk")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
