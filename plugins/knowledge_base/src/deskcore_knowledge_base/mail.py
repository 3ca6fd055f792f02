"""Email to customers over SMTP, configured by the core ``DESKCORE_SMTP_*`` settings.

Plain SMTP, STARTTLS (``DESKCORE_SMTP_STARTTLS=1``, usually port 587) or implicit TLS
(``DESKCORE_SMTP_SSL=1``, usually port 465; it wins when both are set). Transient failures
— no connection, a dropped connection, a 4xx answer — are retried a few times with a short
backoff; permanent ones — a 5xx answer, a refused login, a TLS certificate problem — are not.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import EmailMessage

from flask import current_app

#: Tries per message, and the pause before each retry (seconds).
ATTEMPTS = 3
BACKOFF_SECONDS = (1.0, 3.0)
#: Seconds to connect or to wait for an answer.
TIMEOUT = 10


class MailFailed(Exception):
    """The message could not be delivered to the SMTP server; ``reason`` says why."""

    def __init__(self, reason: str, attempts: int):
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts


def send_email(to: str, subject: str, text: str, html: str) -> None:
    """Send one message with a plain-text and an HTML part, retrying transient failures;
    raises ``MailFailed`` once it gives up."""
    message = _message(to, subject, text, html)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _deliver(message)
            return
        except (OSError, smtplib.SMTPException) as exc:
            if attempt == ATTEMPTS or not is_transient(exc):
                raise MailFailed(describe(exc), attempt) from exc
        time.sleep(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1])


def is_transient(exc: BaseException) -> bool:
    """Worth another try: the network, a dropped connection or a 4xx answer."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, (ssl.SSLError, smtplib.SMTPNotSupportedError)):
        return False  # a certificate or a server setup problem: retrying cannot help
    return isinstance(exc, (OSError, smtplib.SMTPServerDisconnected))


def describe(exc: BaseException) -> str:
    """One readable line: the server's code and words, or the network error."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, words = next(iter(exc.recipients.values()), (0, b""))
        return f"{code} {_text(words)}".strip()
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}".strip()
    return str(exc) or type(exc).__name__


def _text(words) -> str:
    return words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)


def _message(to: str, subject: str, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["DESKCORE_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    host, port = config["DESKCORE_SMTP_HOST"], config["DESKCORE_SMTP_PORT"]
    if config.get("DESKCORE_SMTP_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=tls_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
    with smtp:
        if config["DESKCORE_SMTP_STARTTLS"] and not config.get("DESKCORE_SMTP_SSL"):
            smtp.starttls(context=tls_context())
        if config["DESKCORE_SMTP_USER"]:
            smtp.login(config["DESKCORE_SMTP_USER"], config["DESKCORE_SMTP_PASSWORD"])
        smtp.send_message(message)


def tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's authorities, or ``DESKCORE_SMTP_CA_FILE``
    for a mail server with a private authority."""
    return ssl.create_default_context(cafile=current_app.config.get("DESKCORE_SMTP_CA_FILE"))
