"""E-mail over SMTP: build the MIME message of an outbox row and hand it to the server.

``MAIL_URL`` picks the transport: ``smtp://host:25`` (plain), ``smtp+starttls://host:587``,
``smtps://host:465`` (implicit TLS); credentials come from ``MAIL_USERNAME``/``MAIL_PASSWORD``
(or the URL's user part). Sending withholds the final ``.`` of DATA until the caller has
recorded the hand-off, so a crash can never leave a message accepted but unrecorded
(docs/delivery.md explains the guarantee).
"""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate
from urllib.parse import unquote, urlsplit

from portal.services.transport import (
    Bounced,
    InDoubt,
    NotConfigured,
    PermanentFailure,
    TemporaryFailure,
)

WIRE = compat32.clone(linesep="\r\n")
SCHEMES = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}


@dataclass(frozen=True)
class MailSettings:
    security: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


def parse_mail_url(url: str | None, username: str | None = None,
                   password: str | None = None) -> MailSettings:
    """``MAIL_URL`` → settings; raises NotConfigured when unset, ValueError when malformed."""
    if not url:
        raise NotConfigured("no SMTP server configured (MAIL_URL)")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(f"MAIL_URL must be smtp://, smtp+starttls:// or smtps://host: {url}")
    security = SCHEMES[parts.scheme]
    return MailSettings(
        security=security,
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[security],
        username=username or (unquote(parts.username) if parts.username else None),
        password=password or (unquote(parts.password) if parts.password else None),
    )


def message_id(tenant_slug: str, idempotency_key: str, domain: str) -> str:
    """A Message-ID that is the same for every attempt at one outbox message."""
    digest = hashlib.sha256(f"{tenant_slug}:{idempotency_key}".encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def build_message(*, sender_address: str, sender_name: str, recipient: str, subject: str,
                  text: str, html: str | None, msg_id: str, locale: str,
                  reply_to: str | None = None, unsubscribe_url: str | None = None) -> Message:
    """Text and HTML alternatives; RFC 8058 one-click unsubscribe headers when given a URL.

    Built with the ``email.mime`` classes (the compat32 policy): the modern policy's header
    folding cost about 5 ms a message, the largest cost of sending. UTF-8 parts are base64,
    which keeps Georgian (3 bytes a letter) smaller than quoted-printable and needs no
    8BITMIME from the server.
    """
    msg: Message = MIMEText(text, "plain", "utf-8")
    if html:
        alternative = MIMEMultipart("alternative")
        alternative.attach(msg)
        alternative.attach(MIMEText(html, "html", "utf-8"))
        msg = alternative
    msg["From"] = formataddr((sender_name, sender_address), charset="utf-8")
    msg["To"] = recipient
    msg["Subject"] = Header(subject, "utf-8")
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = msg_id
    msg["Content-Language"] = locale
    msg["Auto-Submitted"] = "auto-generated"
    if reply_to:
        msg["Reply-To"] = reply_to
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return msg


class SmtpSender:
    """One SMTP connection, reused for a batch; ``with SmtpSender(settings) as s: s.send(...)``."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        try:
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            # The body and the final "." are two writes with a commit between them: without
            # NODELAY, Nagle holds the "." until the server's delayed ACK (~40 ms a message).
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp.ehlo_or_helo_if_needed()
            if s.username:
                smtp.login(s.username, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise TemporaryFailure(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}")\
                from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"SMTP server unreachable: {exc}") from exc
        self._smtp = smtp
        return smtp

    def send(self, msg: Message, *, envelope_from: str, recipient: str,
             on_handoff: Callable[[], None]) -> str:
        """Send one message; call ``on_handoff`` after the body, before the final ``.``.

        Returns the server's reply to DATA (often its queue id). Raises TemporaryFailure,
        PermanentFailure or Bounced; on any of them the server has not accepted the message.
        """
        smtp = self._connection()
        handed_off = False
        try:
            self._expect(smtp.mail(envelope_from), (250,), "MAIL FROM")
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                if 500 <= code < 600:
                    raise Bounced(f"recipient refused: {code} {_text(reply)}")
                raise TemporaryFailure(f"recipient deferred: {code} {_text(reply)}")
            self._expect(smtp.docmd("DATA"), (354,), "DATA")
            body = smtplib._quote_periods(msg.as_bytes(policy=WIRE))
            if not body.endswith(b"\r\n"):
                body += b"\r\n"
            smtp.send(body)
            on_handoff()
            handed_off = True
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
            self._expect((code, reply), (250,), "end of DATA")
            return _text(reply)
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            if handed_off:  # the server may have the whole message: do not send it again
                raise InDoubt(f"SMTP connection lost after the message was sent: {exc}") from exc
            raise TemporaryFailure(f"SMTP connection lost: {exc}") from exc

    def _expect(self, answer: tuple[int, bytes], codes: tuple[int, ...], step: str) -> None:
        code, reply = answer
        if code in codes:
            return
        if code == -1 or 400 <= code < 500:
            self._reset()
            raise TemporaryFailure(f"{step}: {code} {_text(reply)}")
        self._reset()
        raise PermanentFailure(f"{step}: {code} {_text(reply)}")

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
