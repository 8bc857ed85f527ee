"""An adapter for the HTTP API shape Georgian bulk-SMS providers offer.

The protocol (docs/delivery.md has it in full; tests/servers.py speaks it):

* ``POST {base}/api/v1/send`` with form fields ``key``, ``sender``, ``destination``
  (``995XXXXXXXXX``), ``content`` and ``reference`` (our idempotency key: the provider keeps
  one message per reference) → JSON ``{"success": true, "message_id": "..."}`` or
  ``{"success": false, "error_code": N, "message": "..."}``.
* ``GET {base}/api/v1/status?key=...&reference=...`` → ``{"success": true, "message_id": "...",
  "status": "accepted|delivered|undelivered"}``, or error code 70 for an unknown reference.
* HTTP 429 (with ``Retry-After``) when sending too fast; 5xx when the provider is down.
* Inbound messages (replies such as STOP, where the account has a number people can write
  to): the provider POSTs each one to the municipality's webhook as JSON
  ``{"message_id": "...", "from": "995XXXXXXXXX", "content": "..."}`` with the headers
  ``X-SMS-Timestamp`` (Unix seconds) and ``X-SMS-Signature: sha256=<hex>``, the HMAC-SHA256 of
  ``<timestamp>.<body>`` under the municipality's inbound secret. A signature older than
  ``INBOUND_WINDOW`` is refused (with the ids already seen, a replay does nothing); any 2xx
  answer means received, anything else is delivered again later.

Standard library only (``urllib``): one POST and one GET do not justify a dependency.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import datetime

from portal.services.sms.base import DeliveryReport, InboundRefused, InboundSms
from portal.services.transport import Bounced, InDoubt, PermanentFailure, TemporaryFailure

#: error_code → what it means for us.
BAD_KEY, NO_BALANCE, BAD_DESTINATION, BAD_SENDER, BAD_CONTENT, STOP_LISTED, UNKNOWN_REF = (
    10, 20, 30, 40, 50, 60, 70)
PERMANENT = {BAD_KEY: "API key refused", BAD_SENDER: "sender name not registered",
             BAD_CONTENT: "content refused"}
BOUNCED = {BAD_DESTINATION: "invalid destination", STOP_LISTED: "recipient opted out"}
#: Out of credit: someone must top up; try again in 15 minutes rather than failing.
NO_BALANCE_RETRY = 900.0
#: How far a webhook's signed timestamp may be from our clock, in seconds.
INBOUND_WINDOW = 300
#: The longest inbound text kept (a concatenated SMS of ten segments).
INBOUND_MAX_TEXT = 1600
_INBOUND_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_PHONE = re.compile(r"^\d{8,15}$")


def sign_inbound(body: bytes, *, secret: str, timestamp: int) -> dict[str, str]:
    """The headers the provider sends with ``body`` (tests/servers.py signs with this too)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return {"X-SMS-Timestamp": str(timestamp), "X-SMS-Signature": f"sha256={mac.hexdigest()}"}


class HttpApiProvider:
    name = "http_api"

    def __init__(self, *, base_url: str, api_key: str, timeout: float = 15.0):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def send(self, *, sender: str, destination: str, text: str, reference: str) -> str:
        fields = {"key": self.api_key, "sender": sender, "destination": destination,
                  "content": text, "reference": reference}
        request = urllib.request.Request(
            f"{self.base_url}/api/v1/send", data=urllib.parse.urlencode(fields).encode(),
            method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
        answer = self._call(request, sent=True)
        if answer.get("success"):
            return str(answer["message_id"])
        self._raise(answer)
        raise AssertionError("unreachable")

    def lookup(self, reference: str) -> DeliveryReport | None:
        query = urllib.parse.urlencode({"key": self.api_key, "reference": reference})
        answer = self._call(urllib.request.Request(f"{self.base_url}/api/v1/status?{query}"),
                            sent=False)
        if answer.get("success"):
            return DeliveryReport(str(answer["message_id"]), str(answer.get("status", "unknown")))
        if answer.get("error_code") == UNKNOWN_REF:
            return None
        self._raise(answer)
        raise AssertionError("unreachable")

    @staticmethod
    def parse_inbound(body: bytes, headers: Mapping[str, str], *, secret: str,
                      now: datetime) -> InboundSms:
        """Check the signature and the time, then read the message. Raises InboundRefused."""
        stamp = (headers.get("X-SMS-Timestamp") or "").strip()
        if not stamp.isdigit() or len(stamp) > 12:
            raise InboundRefused("no timestamp")
        if abs(now.timestamp() - int(stamp)) > INBOUND_WINDOW:
            raise InboundRefused("timestamp outside the window")
        given = (headers.get("X-SMS-Signature") or "").strip()
        wanted = sign_inbound(body, secret=secret, timestamp=int(stamp))["X-SMS-Signature"]
        if not secret or not hmac.compare_digest(given.encode(), wanted.encode()):
            raise InboundRefused("bad signature")
        try:
            data = json.loads(body)
        except ValueError:
            raise InboundRefused("not JSON") from None
        if not isinstance(data, dict):
            raise InboundRefused("not a JSON object")
        message_id, sender, text = (data.get("message_id"), data.get("from"),
                                    data.get("content"))
        if not isinstance(message_id, str) or not _INBOUND_ID.match(message_id):
            raise InboundRefused("bad message_id")
        if not isinstance(sender, str) or not _PHONE.match(sender.lstrip("+")):
            raise InboundRefused("bad sender")
        if not isinstance(text, str) or len(text) > INBOUND_MAX_TEXT:
            raise InboundRefused("bad content")
        return InboundSms(message_id, sender.lstrip("+"), text)

    def _call(self, request: urllib.request.Request, *, sent: bool) -> dict:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                retry_after = _seconds(exc.headers.get("Retry-After"))
                raise TemporaryFailure("provider rate limit (HTTP 429)", retry_after) from exc
            if exc.code >= 500:
                raise TemporaryFailure(f"provider error HTTP {exc.code}") from exc
            raise PermanentFailure(f"provider refused the request: HTTP {exc.code}") from exc
        except TimeoutError as exc:
            # The request went out: the provider may have the message (asked next time).
            cls = InDoubt if sent else TemporaryFailure
            raise cls(f"provider timed out after {self.timeout}s") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if sent and isinstance(reason, TimeoutError):
                raise InDoubt(f"provider timed out after {self.timeout}s") from exc
            raise TemporaryFailure(f"provider unreachable: {reason}") from exc
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise TemporaryFailure("provider answered with something that is not JSON") from exc
        if not isinstance(answer, dict):
            raise TemporaryFailure("provider answered with unexpected JSON")
        return answer

    @staticmethod
    def _raise(answer: dict) -> None:
        code = answer.get("error_code")
        detail = f"{code} {answer.get('message') or ''}".strip()
        if code in PERMANENT:
            raise PermanentFailure(f"{PERMANENT[code]} ({detail})")
        if code in BOUNCED:
            raise Bounced(f"{BOUNCED[code]} ({detail})")
        if code == NO_BALANCE:
            raise TemporaryFailure(f"provider account out of credit ({detail})", NO_BALANCE_RETRY)
        raise TemporaryFailure(f"provider error ({detail})")


def _seconds(value: str | None) -> float | None:
    try:
        return max(1.0, float(value)) if value else None
    except ValueError:
        return None
