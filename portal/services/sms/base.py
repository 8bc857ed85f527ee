"""The interface every SMS provider adapter implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class DeliveryReport:
    provider_message_id: str
    #: "accepted" (with the operator), "delivered", "undelivered" or "unknown".
    status: str


class SmsProvider(Protocol):
    def send(self, *, sender: str, destination: str, text: str, reference: str) -> str:
        """Submit one SMS; return the provider's message id.

        ``reference`` is our idempotency key: a provider that already has a message with it
        must not send another. Raises TemporaryFailure, PermanentFailure or Bounced.
        """

    def lookup(self, reference: str) -> DeliveryReport | None:
        """The provider's record of the message with ``reference``, or None if it has none."""
