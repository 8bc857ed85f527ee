"""The one gate for outbound requests: allow-listed hosts, public addresses only.

Every fetch the archive makes (YouTube Data API, Graph API, caption files, pages handed to
yt-dlp) is checked here: https only (so no ``file://``), the host must be allow-listed, and every
address it resolves to must be public — private, loopback, link-local, multicast, reserved and
unspecified addresses are refused. ``fetch`` then connects to the address it checked (no second
DNS lookup, so DNS rebinding cannot swap in an internal address) and checks every redirect.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

ALLOWED_HOSTS = frozenset({
    "www.googleapis.com", "youtube.googleapis.com", "graph.facebook.com",
    "www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be",
    "www.facebook.com", "facebook.com", "m.facebook.com", "web.facebook.com", "fb.watch",
})
ALLOWED_SUFFIXES = (".fbcdn.net", ".googlevideo.com", ".ytimg.com")
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3

Resolver = Callable[..., list]


class FetchRefused(ValueError):
    """The URL is not one the archive may fetch."""


def host_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in ALLOWED_HOSTS or host.endswith(ALLOWED_SUFFIXES)


def check_url(url: str, resolver: Resolver = socket.getaddrinfo) -> tuple[str, str]:
    """Return ``(host, address)`` to connect to, or raise ``FetchRefused``."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise FetchRefused(f"scheme not allowed: {parts.scheme or '(none)'}")
    host = (parts.hostname or "").lower()
    if not host or not host_allowed(host):
        raise FetchRefused(f"host not allowed: {host or '(none)'}")
    try:
        infos = resolver(host, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchRefused(f"cannot resolve {host}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchRefused(f"cannot resolve {host}")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise FetchRefused(f"{host} resolves to a non-public address {ip}")
    return host, addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, *, timeout: float = 20, resolver: Resolver = socket.getaddrinfo,
          headers: dict | None = None) -> bytes:
    """GET ``url`` through the guard; raises ``FetchRefused`` or ``OSError``."""
    for _ in range(MAX_REDIRECTS + 1):
        host, address = check_url(url, resolver)
        parts = urlsplit(url)
        conn = _PinnedHTTPSConnection(host, address, port=parts.port or 443, timeout=timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", path, headers={"User-Agent": "civic-portal-archive/1",
                                               **(headers or {})})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            body = response.read(MAX_BYTES + 1)
        finally:
            conn.close()
        if len(body) > MAX_BYTES:
            raise FetchRefused("response too large")
        if response.status >= 400:
            raise OSError(f"HTTP {response.status} from {host}")
        return body
    raise FetchRefused("too many redirects")


def guarded_http(timeout: float = 30):
    """An ``httplib2.Http`` for googleapiclient that checks every request URL first."""
    import httplib2

    class GuardedHttp(httplib2.Http):
        def request(self, uri, *args, **kwargs):
            check_url(uri)
            return super().request(uri, *args, **kwargs)

    return GuardedHttp(timeout=timeout)
