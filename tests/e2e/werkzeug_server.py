"""The threaded werkzeug server the browser tests drive, with the response read whole first.

When Chromium drops a connection mid-response (it navigates away while the coat of arms is
still loading), werkzeug's development server can fail inside its own clean-up before it closes
the response, and the open file only shows up later as a ResourceWarning in whichever test then
runs. Reading the response into memory before the server writes it leaves no file open to leak.
gunicorn, which production runs, closes responses itself and is tested unbuffered elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server


def read_whole(app):
    def wsgi(environ, start_response):
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
    server = make_server("127.0.0.1", port, read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
