"""Security headers on every response: CSP, HSTS, nosniff, referrer and permissions policy."""

from __future__ import annotations

from flask import Flask, Response, current_app

from portal.tenancy import get_current_tenant

#: What every page may load; the features add the origins they embed from (their
#: ``content_origins`` in the registry, for the features on in this municipality).
BASE_DIRECTIVES = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "frame-src": (),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}


NONE = "'none'"


def content_security_policy() -> str:
    registry = current_app.extensions.get("features")
    extra = registry.content_origins(get_current_tenant()) if registry else {}
    parts = []
    for directive, sources in BASE_DIRECTIVES.items():
        values = [*sources, *extra.get(directive, ())]
        parts.append(f"{directive} {' '.join(values) or NONE}")
    return "; ".join(parts)


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
