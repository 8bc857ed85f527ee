"""The threaded werkzeug server the browser tests drive, with the response read whole first.

When Chromium drops a connection mid-response (it navigates away while the coat of arms is
still loading), werkzeug's development server can fail inside its own clean-up before it closes
the response, and the open file only shows up later as a ResourceWarning in whichever test then
runs. Reading the response into memory before the server writes it leaves no file open to leak.
gunicorn, which production runs, closes responses itself and is tested unbuffered elsewhere.

Shutting down waits (a few seconds at most) for the requests still in the app: a request the
browser left behind must not meet its database being dropped by the next module's fixture.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

DRAIN_SECONDS = 10


class _InFlight:
    """How many requests are inside the app, and a way to wait until none is."""

    def __init__(self):
        self.count = 0
        self.idle = threading.Condition()

    @contextmanager
    def request(self):
        with self.idle:
            self.count += 1
        try:
            yield
        finally:
            with self.idle:
                self.count -= 1
                self.idle.notify_all()

    def drain(self, timeout: float) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout)


def read_whole(app, in_flight: _InFlight | None = None):
    in_flight = in_flight or _InFlight()

    def wsgi(environ, start_response):
        with in_flight.request():
            body = app(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()
    return wsgi


@contextmanager
def serving(app, port: int) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:``port`` in a thread; yields the base URL."""
    in_flight = _InFlight()
    server = make_server("127.0.0.1", port, read_whole(app, in_flight), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        in_flight.drain(DRAIN_SECONDS)
