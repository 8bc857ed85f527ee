"""The portal as nginx serves it to a browser, for bench/lighthouse.py: responses gzip-compressed
(level 6, nginx's ``gzip_comp_level`` in deploy/), so transfer sizes and the times Lighthouse
simulates from them are those of a deployment and not of gunicorn's bare output.

    gunicorn --pythonpath bench compressed_wsgi:app
"""

from __future__ import annotations

import gzip

from wsgi import app as portal

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "application/atom+xml", "application/xml", "image/svg+xml")
SMALLEST = 256  # nginx's gzip_min_length is 20; a few hundred bytes gain nothing


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
