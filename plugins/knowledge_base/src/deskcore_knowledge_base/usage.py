"""Articles on tickets: linked (recorded in the ticket's history) or sent to the customer by
email and kept on the ticket as a customer-visible comment."""

from __future__ import annotations

import logging

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select

from deskcore.errors import Conflict
from deskcore.extensions import db
from deskcore.models import Ticket, User
from deskcore.services.history import record
from deskcore.services.tickets import add_comment
from deskcore.services.tickets_base import load_ticket
from deskcore.services.unit_of_work import after_commit, unit_of_work

from . import mail
from .articles import get_article
from .models import KbArticle, KbArticleUse
from .rendering import to_html, to_text

log = logging.getLogger(__name__)
SOURCE = "knowledge_base"


def link_article(number: int, ticket_number: int, agent: User) -> KbArticleUse:
    """Note on the ticket that this article applies to it."""
    with unit_of_work():
        article = get_article(number)
        ticket = load_ticket(ticket_number)
        return _use(article, ticket, agent, "linked")


def send_article(number: int, ticket_number: int, agent: User) -> KbArticleUse:
    """Email a published customer-facing article to the ticket's customer.

    The comment and the history are committed first; the email goes out after the commit,
    and a failure to send is recorded in the ticket's history for the agent to see.
    """
    with unit_of_work():
        article = get_article(number)
        ticket = load_ticket(ticket_number)
        if article.audience != "customer" or article.status != "published":
            raise Conflict("only published customer-facing articles can be sent to customers")
        address = ticket.customer.email
        if not address:
            raise Conflict("the customer has no email address")
        body = f"{article.title}\n\n{to_text(article.body)}"
        add_comment(ticket.number, {"body": body, "visibility": "public"}, agent)
        use = _use(article, ticket, agent, "sent")
        subject = f"[#{ticket.number}] {article.title}"
        text = f"{article.title}\n\n{article.body}"
        html = str(Markup("<h1>{}</h1>").format(article.title) + to_html(article.body))
        after_commit(_mail_later(address, subject, text, html, ticket.number, article.label))
    return use


def _use(article: KbArticle, ticket: Ticket, agent: User, kind: str) -> KbArticleUse:
    use = KbArticleUse(article_id=article.id, ticket_id=ticket.id, kind=kind, agent_id=agent.id)
    db.session.add(use)
    record(ticket, f"kb_article_{kind}", agent, field="article", new=article.label, source=SOURCE)
    db.session.flush()
    return use


def _mail_later(to: str, subject: str, text: str, html: str, ticket_number: int, label: str):
    app = current_app._get_current_object()

    def send() -> None:
        with app.app_context():
            try:
                mail.send_email(to, subject, text, html)
            except OSError as exc:
                log.exception("knowledge base: could not email %s to %s", label, to)
                with unit_of_work():
                    ticket = load_ticket(ticket_number)
                    record(
                        ticket,
                        "kb_article_email_failed",
                        None,
                        field="article",
                        new=f"{label}: {exc}"[:200],
                        source=SOURCE,
                    )

    return send


def articles_of_ticket(ticket_id: int) -> list[tuple[KbArticle, str]]:
    found = db.session.execute(
        select(KbArticle, KbArticleUse.kind)
        .join(KbArticleUse, KbArticleUse.article_id == KbArticle.id)
        .where(KbArticleUse.ticket_id == ticket_id)
        .order_by(KbArticleUse.id)
    )
    return [(a, kind) for a, kind in found]


def use_counts() -> list[tuple[KbArticle, int]]:
    count = func.count(KbArticleUse.id)
    found = db.session.execute(
        select(KbArticle, count)
        .join(KbArticleUse, KbArticleUse.article_id == KbArticle.id)
        .group_by(KbArticle.id)
        .order_by(count.desc(), KbArticle.number)
    )
    return [(a, n) for a, n in found]
