"""Sending an article to the customer: a real email reaches a local SMTP server started by
the test, and the ticket keeps it as a customer-visible comment."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from deskcore_knowledge_base import usage
from sqlalchemy import select

from deskcore.errors import Conflict
from deskcore.extensions import db
from deskcore.models import Comment, HistoryEvent

pytestmark = pytest.mark.plugins("knowledge_base")


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(DESKCORE_SMTP_HOST="127.0.0.1", DESKCORE_SMTP_PORT=port)
    yield handler
    controller.stop()


@pytest.fixture
def guide(make_article):
    return make_article(
        "Cómo pedir la garantía",
        "Presente la **boleta** de compra.",
        audience="customer",
    )


def test_the_article_is_emailed_and_kept_as_a_public_comment(
    inbox, guide, make_ticket, make_customer, login, agent
):
    customer = make_customer(email="cliente@example.com")
    ticket = make_ticket(customer_id=customer.id)
    answer = login(agent).post(
        "/plugins/knowledge_base/articles/1/use", data={"ticket": ticket.number, "action": "send"}
    )
    assert answer.status_code == 302

    [(recipients, raw)] = inbox.messages
    assert recipients == ["cliente@example.com"]
    email = message_from_bytes(raw, policy=policy.default)
    assert email["Subject"] == f"[#{ticket.number}] Cómo pedir la garantía"
    assert "<strong>boleta</strong>" in email.get_body(("html",)).get_content()
    assert "Presente la **boleta**" in email.get_body(("plain",)).get_content()

    comment = db.session.scalar(select(Comment).where(Comment.ticket_id == ticket.id))
    assert comment.visibility == "public" and "Presente la boleta de compra." in comment.body
    event = db.session.scalar(select(HistoryEvent).where(HistoryEvent.action == "kb_article_sent"))
    assert event.source == "knowledge_base"


def test_internal_articles_are_never_sent(make_article, make_ticket, make_customer, agent):
    make_article("Notas internas", audience="internal")
    ticket = make_ticket(customer_id=make_customer(email="c@example.com").id)
    with pytest.raises(Conflict):
        usage.send_article(1, ticket.number, agent)


def test_a_failed_delivery_is_recorded_on_the_ticket(app, guide, make_ticket, make_customer, agent):
    app.config.update(DESKCORE_SMTP_HOST="127.0.0.1", DESKCORE_SMTP_PORT=free_port())
    ticket = make_ticket(customer_id=make_customer(email="c@example.com").id)
    usage.send_article(1, ticket.number, agent)
    failed = db.session.scalar(
        select(HistoryEvent).where(HistoryEvent.action == "kb_article_email_failed")
    )
    assert failed is not None and failed.new_value.startswith("KB-1")
