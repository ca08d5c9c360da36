"""The one door to email: SMTP from MAIL_URL (smtp://host:port, smtps://user:pass@host:port); unset, the log."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app

log = logging.getLogger("talentcase.mail")


def send(to_address: str, subject: str, body: str) -> str:
    """Send one plain-text email; returns "sent", or "logged" when no MAIL_URL is configured."""
    url = current_app.config.get("MAIL_URL")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to_address
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="talentcase.local")
    message.set_content(body)
    if not url:
        log.info("mail (no MAIL_URL set) to=%s subject=%r\n%s", to_address, subject, body)
        return "logged"
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port or (465 if parts.scheme == "smtps" else 25)
    timeout = current_app.config.get("MAIL_TIMEOUT", 10)
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    elif parts.scheme == "smtp":
        client = smtplib.SMTP(host, port, timeout=timeout)
    else:
        raise ValueError(f"MAIL_URL scheme must be smtp or smtps, not {parts.scheme!r}")
    with client:
        if parts.scheme == "smtp" and parts.query == "starttls":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
    log.info("mail sent to=%s subject=%r", to_address, subject)
    return "sent"
