"""The interface every SMS provider adapter implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class DeliveryReport:
    provider_message_id: str
    #: "accepted" (with the operator), "delivered", "undelivered" or "unknown".
    status: str


@dataclass(frozen=True)
class InboundSms:
    """A message a person sent to the municipality's number (a reply such as STOP)."""

    #: The provider's id of the inbound message: the same id twice is the same message.
    provider_message_id: str
    #: The phone that wrote, digits only (``995XXXXXXXXX``).
    sender: str
    text: str


class InboundRefused(Exception):
    """An inbound request that is not the provider's (bad or stale signature, malformed)."""


class SmsProvider(Protocol):
    def send(self, *, sender: str, destination: str, text: str, reference: str) -> str:
        """Submit one SMS; return the provider's message id.

        ``reference`` is our idempotency key: a provider that already has a message with it
        must not send another. Raises TemporaryFailure, PermanentFailure or Bounced.
        """

    def lookup(self, reference: str) -> DeliveryReport | None:
        """The provider's record of the message with ``reference``, or None if it has none."""

    @staticmethod
    def parse_inbound(body: bytes, headers: Mapping[str, str], *, secret: str,
                      now: datetime) -> InboundSms:
        """The inbound message of a webhook request the provider signed with ``secret``
        (the municipality's); raises InboundRefused for anything else. Only the body and
        the provider's headers count: never the Host or the URL."""
