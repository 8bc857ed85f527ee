"""Security headers on every response: CSP, HSTS, nosniff, referrer and permissions policy."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app

from portal.tenancy import get_current_tenant

#: Players that session pages embed; the tenant's own virtual-tour origin is added per request.
VIDEO_FRAME_ORIGINS = ("https://www.youtube-nocookie.com", "https://www.facebook.com")


def content_security_policy() -> str:
    frames = list(VIDEO_FRAME_ORIGINS)
    tenant = get_current_tenant()
    if tenant and tenant.config.tour_url:
        parts = urlsplit(tenant.config.tour_url)
        frames.append(f"{parts.scheme}://{parts.netloc}")
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data: https://i.ytimg.com",
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-src": " ".join(frames),
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )
    if current_app.config.get("PORTAL_HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
