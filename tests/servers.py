"""Local stand-ins for the outside world: an SMTP server (aiosmtpd) and an SMS provider
(stdlib http.server) speaking the protocol of portal/services/sms/http_api.py.

Used by the tests and by bench/delivery.py. Both record what they received and can be told
to fail in the ways real servers do.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import re
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

from aiosmtpd.controller import Controller

MESSAGE_ID_RE = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    # aiosmtpd's readiness probe dials the port it was given, so port 0 cannot be used.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _SmtpHandler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # Like a real MTA, the message is ours once the final "." has arrived, even if the
        # client disappears before reading the reply; the delay models a slow server.
        content = envelope.original_content or envelope.content
        found = MESSAGE_ID_RE.search(content)
        with self.server.lock:
            self.server.message_ids[found.group(1).decode() if found else ""] += 1
            if self.server.keep:
                self.server.messages.append(message_from_bytes(content, policy=policy.default))
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        return "250 2.0.0 OK queued"


class SmtpServer:
    """``with SmtpServer() as smtp: ...``; ``smtp.url`` is a MAIL_URL for it."""

    def __init__(self, port: int | None = None, *, delay: float = 0.0, keep: bool = True):
        self.port = port or free_port()
        self.delay = delay
        self.keep = keep
        self.refuse: set[str] = set()
        self.messages: list = []
        self.message_ids: Counter[str] = Counter()
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> int:
        return sum(self.message_ids.values())

    def start(self) -> SmtpServer:
        self._controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port,
                                      data_size_limit=10_000_000)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class SmsServer:
    """A bulk-SMS provider: ``/api/v1/send`` and ``/api/v1/status`` (see http_api.py).

    ``script`` holds answers to give to the next send requests instead of the normal one:
    ``("http", 503)``, ``("http", 429, retry_after)``, ``("error", code)``,
    ``("slow", seconds)`` (accept the message but answer late: a client timeout).

    Replies people text to the municipality's number are delivered like the provider does:
    ``deliver_inbound(webhook_url, sender, text)`` POSTs them signed with ``inbound_secret``
    (``inbound_request`` gives the signed body and headers without sending them).
    """

    def __init__(self, api_key: str = "test-key", *, delay: float = 0.0,
                 inbound_secret: str = "test-inbound-secret"):
        self.api_key = api_key
        self.inbound_secret = inbound_secret
        self._inbound_ids = itertools.count(1)
        self.delay = delay
        self.script: list[tuple] = []
        self.by_reference: dict[str, dict] = {}
        self.submissions: Counter[str] = Counter()
        self.undeliverable: set[str] = set()
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def accepted(self) -> int:
        return len(self.by_reference)

    def start(self) -> SmsServer:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _sms_handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SmsServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def inbound_request(self, sender: str, text: str, *, message_id: str | None = None,
                        timestamp: int | None = None,
                        secret: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the webhook call for one inbound SMS: JSON, and the
        HMAC-SHA256 of ``<timestamp>.<body>`` under the inbound secret."""
        message_id = message_id or f"in{next(self._inbound_ids)}-{int(time.time() * 1000)}"
        body = json.dumps({"message_id": message_id, "from": sender, "content": text,
                           "to": "91100"}, ensure_ascii=False).encode()
        stamp = int(time.time()) if timestamp is None else timestamp
        key = (self.inbound_secret if secret is None else secret).encode()
        signature = hmac.new(key, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-SMS-Timestamp": str(stamp),
                      "X-SMS-Signature": f"sha256={signature}"}

    def deliver_inbound(self, url: str, sender: str, text: str, **options) -> int:
        """POST one inbound SMS to the portal's webhook at ``url``; returns the HTTP status."""
        body, headers = self.inbound_request(sender, text, **options)
        try:
            with urlopen(Request(url, data=body, headers=headers, method="POST"),
                         timeout=15) as response:
                return response.status
        except HTTPError as refused:
            return refused.code

    def send(self, fields: dict) -> tuple[int, dict, dict]:
        with self.lock:
            step = self.script.pop(0) if self.script else None
        if step and step[0] == "http":
            headers = {"Retry-After": str(step[2])} if len(step) > 2 else {}
            return step[1], {"success": False, "message": "try later"}, headers
        if fields.get("key") != self.api_key:
            return 200, {"success": False, "error_code": 10, "message": "invalid key"}, {}
        if step and step[0] == "error":
            return 200, {"success": False, "error_code": step[1], "message": "refused"}, {}
        destination = fields.get("destination", "")
        if not re.fullmatch(r"\d{8,15}", destination):
            return 200, {"success": False, "error_code": 30, "message": "bad destination"}, {}
        reference = fields.get("reference", "")
        with self.lock:
            self.submissions[reference] += 1
            known = self.by_reference.get(reference)
            if known is None:  # one message per reference, however often it is submitted
                known = {"message_id": f"m{len(self.by_reference) + 1}", "destination":
                         destination, "content": fields.get("content", ""),
                         "sender": fields.get("sender", "")}
                self.by_reference[reference] = known
        if step and step[0] == "slow":
            time.sleep(step[1])
        return 200, {"success": True, "message_id": known["message_id"]}, {}

    def status(self, query: dict) -> tuple[int, dict, dict]:
        if query.get("key") != self.api_key:
            return 200, {"success": False, "error_code": 10, "message": "invalid key"}, {}
        known = self.by_reference.get(query.get("reference", ""))
        if known is None:
            return 200, {"success": False, "error_code": 70, "message": "unknown reference"}, {}
        state = "undelivered" if known["destination"] in self.undeliverable else "delivered"
        return 200, {"success": True, "message_id": known["message_id"], "status": state}, {}


def _sms_handler(provider: SmsServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _answer(self, status: int, body: dict, headers: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if provider.delay:
                time.sleep(provider.delay)
            length = int(self.headers.get("Content-Length", "0"))
            fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/api/v1/send":
                return self._answer(404, {"success": False}, {})
            self._answer(*provider.send(fields))

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/api/v1/status":
                return self._answer(404, {"success": False}, {})
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self._answer(*provider.status(query))

    return Handler
