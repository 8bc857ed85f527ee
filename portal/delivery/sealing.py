"""Link tokens in the outbox are never stored readable.

An account e-mail (password reset, invitation, sign-in link) carries a single-use token. The
outbox keeps the rendered message with a placeholder where the token goes and the token
itself encrypted (``OutboxMessage.secret_sealed``, with ``PORTAL_ENCRYPTION_KEY``); the
worker puts it back only in the copy it hands to the mail server, and the encrypted token is
dropped once the message is delivered or has finally failed. Staff reading the outbox, a
database dump or a backup never see a working link. Chosen over redacting bodies after
delivery: then the token would be readable while the message waits (or retries for hours).
"""

from __future__ import annotations

from portal.services import crypto

#: Stands in for the token in stored subjects and bodies (unchanged by HTML escaping).
PLACEHOLDER = "[redacted]"


def seal(secret: str, subject: str, text: str, html: str | None) -> tuple[str, str, str, str | None]:
    """(encrypted secret, subject, text, html) with every occurrence of ``secret`` replaced."""
    if not secret or PLACEHOLDER in secret:
        raise ValueError("a secret to seal must be a non-empty token")
    if secret not in text and (html is None or secret not in html):
        raise ValueError("the secret does not appear in the message")
    return (crypto.encrypt(secret), subject.replace(secret, PLACEHOLDER),
            text.replace(secret, PLACEHOLDER), html.replace(secret, PLACEHOLDER) if html else html)


def reveal(stored: str | None, sealed: str | None) -> str | None:
    """The stored text with the token back in place (for sending only)."""
    if stored is None or sealed is None:
        return stored
    return stored.replace(PLACEHOLDER, crypto.decrypt(sealed))
