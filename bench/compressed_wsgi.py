"""The portal compressed, for bench/lighthouse.py: text responses gzip-compressed at level 6
(what tests/e2e/test_page_weight.py counts), so transfer sizes and the times Lighthouse
simulates from them are those of a compressing front end and not of gunicorn's bare output.
(deploy/nginx/portal.conf, with Debian's ``gzip on``, compresses at nginx's default level 1:
a few per cent larger.)

    gunicorn --pythonpath bench compressed_wsgi:app
"""

from __future__ import annotations

import gzip

from wsgi import app as portal

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "application/atom+xml", "application/xml", "image/svg+xml")
SMALLEST = 256  # a few hundred bytes gain nothing


class Gzip:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if "gzip" not in environ.get("HTTP_ACCEPT_ENCODING", ""):
            return self.wsgi_app(environ, start_response)
        captured: dict = {}
        chunks: list[bytes] = []

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return chunks.append

        result = self.wsgi_app(environ, capture)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        body = b"".join(chunks)
        headers = captured["headers"]
        names = {name.lower(): value for name, value in headers}
        if (names.get("content-type", "").startswith(COMPRESSIBLE) and len(body) >= SMALLEST
                and "content-encoding" not in names):
            body = gzip.compress(body, compresslevel=6)
            headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
            headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body))),
                        ("Vary", "Accept-Encoding")]
        start_response(captured["status"], headers)
        return [body]


app = Gzip(portal)
