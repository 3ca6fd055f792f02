"""Sending an article to the customer: a real email reaches a local SMTP server started by
the test, and the ticket keeps it as a customer-visible comment."""

from __future__ import annotations

import socket
import ssl
import subprocess
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from deskcore_knowledge_base import mail, usage
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


def sent_events(ticket) -> list[str]:
    return list(
        db.session.scalars(
            select(HistoryEvent.action)
            .where(HistoryEvent.ticket_id == ticket.id, HistoryEvent.action.like("kb_article_%"))
            .order_by(HistoryEvent.id)
        )
    )


def comments_of(ticket) -> list[Comment]:
    return list(db.session.scalars(select(Comment).where(Comment.ticket_id == ticket.id)))


class Flaky(Inbox):
    """Answers the DATA command with each of ``answers`` in turn, then accepts."""

    def __init__(self, *answers: str):
        super().__init__()
        self.answers = list(answers)
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        if self.answers:
            return self.answers.pop(0)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp_server(app, monkeypatch):
    """``smtp_server(handler, **controller_options)`` starts a local server for the app."""
    monkeypatch.setattr(mail, "BACKOFF_SECONDS", (0.01, 0.01))
    started = []

    def start(handler, **options):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        app.config.update(DESKCORE_SMTP_HOST="127.0.0.1", DESKCORE_SMTP_PORT=port)
        return handler

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def ticket(make_ticket, make_customer):
    return make_ticket(customer_id=make_customer(email="c@example.com").id)


def test_a_transient_answer_is_retried_and_the_article_sent(smtp_server, guide, ticket, agent):
    server = smtp_server(Flaky("421 Service not available, try again"))
    usage.send_article(1, ticket.number, agent)
    assert server.tries == 2 and len(server.messages) == 1
    assert sent_events(ticket) == ["kb_article_sent"] and len(comments_of(ticket)) == 1


def test_a_permanent_refusal_is_not_retried_and_nothing_is_stored_as_sent(
    smtp_server, guide, ticket, agent
):
    server = smtp_server(Flaky(*["550 Mailbox unavailable"] * 5))
    with pytest.raises(usage.EmailNotSent, match="550 Mailbox unavailable"):
        usage.send_article(1, ticket.number, agent)
    assert server.tries == 1 and server.messages == []
    assert sent_events(ticket) == ["kb_article_email_failed"] and comments_of(ticket) == []
    failed = db.session.scalar(
        select(HistoryEvent).where(HistoryEvent.action == "kb_article_email_failed")
    )
    assert failed.new_value == "KB-1: 550 Mailbox unavailable" and failed.actor_id == agent.id


def test_transient_failures_give_up_after_a_bounded_number_of_tries(
    smtp_server, guide, ticket, agent
):
    server = smtp_server(Flaky(*["451 Try later"] * 5))
    with pytest.raises(usage.EmailNotSent, match="451 Try later"):
        usage.send_article(1, ticket.number, agent)
    assert server.tries == mail.ATTEMPTS and server.messages == []
    assert sent_events(ticket) == ["kb_article_email_failed"]


def test_an_unreachable_server_is_retried_then_reported(app, monkeypatch, guide, ticket, agent):
    monkeypatch.setattr(mail, "BACKOFF_SECONDS", (0.01, 0.01))
    app.config.update(DESKCORE_SMTP_HOST="127.0.0.1", DESKCORE_SMTP_PORT=free_port())
    with pytest.raises(usage.EmailNotSent) as failed:
        usage.send_article(1, ticket.number, agent)
    assert "refused" in str(failed.value.message).lower()
    assert sent_events(ticket) == ["kb_article_email_failed"] and comments_of(ticket) == []


def test_the_agent_sees_why_the_email_was_not_sent(smtp_server, guide, ticket, login, agent):
    smtp_server(Flaky(*["550 No such user"] * 5))
    client = login(agent)
    answer = client.post(
        "/plugins/knowledge_base/articles/1/use",
        data={"ticket": ticket.number, "action": "send"},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert "could not be sent (550 No such user)" in answer.text
    assert "Nothing was recorded as sent" in answer.text
    assert comments_of(ticket) == []


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def implicit_tls(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def test_smtp_over_implicit_tls(app, smtp_server, certificate, guide, ticket, agent):
    server = smtp_server(Inbox(), ssl_context=implicit_tls(certificate))
    app.config.update(DESKCORE_SMTP_SSL=True, DESKCORE_SMTP_CA_FILE=str(certificate[0]))
    usage.send_article(1, ticket.number, agent)
    [(recipients, _)] = server.messages
    assert recipients == ["c@example.com"] and sent_events(ticket) == ["kb_article_sent"]


def test_an_untrusted_certificate_fails_at_once(
    app, smtp_server, certificate, guide, ticket, agent
):
    server = smtp_server(Flaky(), ssl_context=implicit_tls(certificate))
    app.config.update(DESKCORE_SMTP_SSL=True)  # the system authorities do not know it
    with pytest.raises(usage.EmailNotSent, match="CERTIFICATE_VERIFY_FAILED"):
        usage.send_article(1, ticket.number, agent)
    assert server.tries == 0 and comments_of(ticket) == []
