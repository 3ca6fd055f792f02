"""Email to customers over SMTP, configured by the core ``DESKCORE_SMTP_*`` settings."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_email(to: str, subject: str, text: str, html: str) -> None:
    """Send one message with a plain-text and an HTML part; raises on SMTP errors."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["DESKCORE_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    with smtplib.SMTP(
        config["DESKCORE_SMTP_HOST"], config["DESKCORE_SMTP_PORT"], timeout=30
    ) as smtp:
        if config["DESKCORE_SMTP_STARTTLS"]:
            smtp.starttls()
        if config["DESKCORE_SMTP_USER"]:
            smtp.login(config["DESKCORE_SMTP_USER"], config["DESKCORE_SMTP_PASSWORD"])
        smtp.send_message(message)
