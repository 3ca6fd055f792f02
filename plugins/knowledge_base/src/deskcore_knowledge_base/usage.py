"""Articles on tickets: linked (recorded in the ticket's history) or sent to the customer by
email and kept on the ticket as a customer-visible comment."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select

from deskcore.errors import Conflict, DeskcoreError
from deskcore.extensions import db
from deskcore.models import Ticket, User
from deskcore.services.history import record
from deskcore.services.tickets import add_comment
from deskcore.services.tickets_base import load_ticket
from deskcore.services.unit_of_work import unit_of_work

from . import mail
from .articles import article_not_found, get_article, may_edit
from .models import KbArticle, KbArticleUse
from .rendering import to_html, to_text

log = logging.getLogger(__name__)
SOURCE = "knowledge_base"


def link_article(number: int, ticket_number: int, agent: User) -> KbArticleUse:
    """Note on the ticket that this article applies to it."""
    with unit_of_work():
        article = get_article(number)
        if article.status != "published" and not may_edit(agent):
            raise article_not_found(number)  # a draft is hidden from whoever may not edit it
        ticket = load_ticket(ticket_number)
        return _use(article, ticket, agent, "linked")


def send_article(number: int, ticket_number: int, agent: User) -> KbArticleUse:
    """Email a published customer-facing article to the ticket's customer, then keep it on
    the ticket as a public comment and record ``kb_article_sent``.

    The email goes first, outside any transaction (retries may take seconds). If the server
    never accepts it, nothing is stored as sent: the failure is recorded in the ticket's
    history (``kb_article_email_failed``) and logged, and ``EmailNotSent`` says why.
    """
    with unit_of_work():
        article = get_article(number)
        ticket = load_ticket(ticket_number)
        _check_sendable(article, ticket)
        address = ticket.customer.email
        label = article.label
        subject = f"[#{ticket.number}] {article.title}"
        text = f"{article.title}\n\n{article.body}"
        html = str(Markup("<h1>{}</h1>").format(article.title) + to_html(article.body))
    try:
        mail.send_email(address, subject, text, html)
    except mail.MailFailed as exc:
        log.warning("knowledge base: could not email %s to %s: %s", label, address, exc.reason)
        with unit_of_work():
            record(
                load_ticket(ticket_number),
                "kb_article_email_failed",
                agent,
                field="article",
                new=f"{label}: {exc.reason}"[:200],
                source=SOURCE,
            )
        raise EmailNotSent(
            _l(
                "The email to %(address)s could not be sent (%(reason)s). Nothing was recorded"
                " as sent; try again later.",
                address=address,
                reason=exc.reason,
            )
        ) from exc
    try:
        with unit_of_work():
            article = get_article(number)
            ticket = load_ticket(ticket_number)
            body = f"{article.title}\n\n{to_text(article.body)}"
            add_comment(ticket.number, {"body": body, "visibility": "public"}, agent)
            return _use(article, ticket, agent, "sent")
    except Exception:
        log.exception("knowledge base: %s was emailed to %s but not recorded", label, address)
        raise


def _check_sendable(article: KbArticle, ticket: Ticket) -> None:
    if article.audience != "customer" or article.status != "published":
        raise Conflict(_l("Only published customer-facing articles can be sent to customers."))
    if not ticket.customer.email:
        raise Conflict(_l("The customer has no email address."))


class EmailNotSent(DeskcoreError):
    """The mail server did not take the message (after retrying transient failures)."""

    status = 502


def _use(article: KbArticle, ticket: Ticket, agent: User, kind: str) -> KbArticleUse:
    use = KbArticleUse(article_id=article.id, ticket_id=ticket.id, kind=kind, agent_id=agent.id)
    db.session.add(use)
    record(ticket, f"kb_article_{kind}", agent, field="article", new=article.label, source=SOURCE)
    db.session.flush()
    return use


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
