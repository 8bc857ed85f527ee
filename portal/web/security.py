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
    """The policy for the current municipality, built once per snapshot of it (a changed
    municipality is a new ``TenantInfo``; the entry holds the snapshot, so its id stays its)."""
    tenant = get_current_tenant()
    cache = current_app.extensions.setdefault("csp_by_tenant", {})
    found = cache.get(id(tenant))
    if found is not None and found[0] is tenant:
        return found[1]
    if len(cache) > 1000:  # snapshots replaced over a long run
        cache.clear()
    policy = _policy(tenant)
    cache[id(tenant)] = (tenant, policy)
    return policy


def _policy(tenant) -> str:
    registry = current_app.extensions.get("features")
    extra = registry.content_origins(tenant) if registry else {}
    parts = []
    for directive, sources in BASE_DIRECTIVES.items():
        values = [*sources, *extra.get(directive, ())]
        parts.append(f"{directive} {' '.join(values) or NONE}")
    return "; ".join(parts)


#: The same on every response (unless a view set its own).
FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    # One pass over the response's headers instead of a scan per header (setdefault).
    present = {name.lower() for name in headers.keys()}
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", content_security_policy())
    for name, value in FIXED_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if current_app.config.get("PORTAL_HSTS") and HSTS[0].lower() not in present:
        headers.add(*HSTS)
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
