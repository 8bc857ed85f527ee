"""What a transport (SMTP server, SMS provider) can answer, in words the outbox worker acts on."""

from __future__ import annotations


class DeliveryError(Exception):
    """A message was not accepted. ``str(exc)`` is recorded as the message's last error."""


class TemporaryFailure(DeliveryError):
    """Try again later (server down, timeout, 4xx, rate limited); ``retry_after`` in seconds
    when the provider said how long to wait."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(DeliveryError):
    """Retrying cannot help (bad API key, content refused): the message is marked failed."""


class Bounced(DeliveryError):
    """The recipient does not exist or refuses the message: marked bounced."""


class InDoubt(DeliveryError):
    """The provider may or may not have accepted the message (connection lost after the
    hand-off); it must not be sent again without asking the provider first."""


class NotConfigured(TemporaryFailure):
    """No SMTP server or SMS provider is configured; messages wait until one is."""
