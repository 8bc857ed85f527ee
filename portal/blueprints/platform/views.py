"""Routes served on every host: ``/`` of the shared host, ``/language``, ``/healthz``."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, request, url_for

from portal.blueprints import sections_of_any
from portal.blueprints.platform import bp
from portal.i18n import LANG_COOKIE, LOCALES
from portal.tenancy import get_directory
from portal.web.redirects import safe_next
from portal.web.rendering import render

ONE_YEAR = 365 * 24 * 3600
#: ``Sec-Fetch-Site`` values of a request the person made on the portal (or typed).
SAME_SITE = frozenset({"same-origin", "none"})


@bp.get("/")
def index():
    tenants = sorted(get_directory(current_app).active(), key=lambda t: t.slug != "poti")
    return render("platform/index.html", block="content", tenants=tenants,
                  sections=sections_of_any(current_app, tenants))


@bp.route("/language", methods=["GET", "POST"])
def language():
    """Remember the visitor's language in a cookie and go back to where they were.

    The language form is a GET (``_language_switch.html``): a token-free page can hold it, and
    a link from elsewhere can do no more than choose a language. A signed-in person's stored
    choice changes only from the portal's own pages (``Sec-Fetch-Site``); a POST, which
    carries a CSRF token, still works too.
    """
    lang = request.values.get("lang", "")
    if lang not in LOCALES:
        abort(400)
    if request.method == "POST" or request.headers.get("Sec-Fetch-Site", "same-origin") in SAME_SITE:
        remember_for_signed_in(lang)
    response = redirect(safe_next(request.values.get("next"), "/"), code=303)
    response.set_cookie(
        LANG_COOKIE, lang, max_age=ONE_YEAR, samesite="Lax", httponly=True,
        secure=current_app.config["PORTAL_SECURE_COOKIES"],
    )
    return response


def remember_for_signed_in(lang: str) -> None:
    """A signed-in person's choice is theirs, not only the browser's: e-mails sent later on
    their behalf (a petition's outcome, a letter's answer) speak it."""
    from flask_login import current_user

    from portal.extensions import db

    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()


@bp.get("/healthz")
def healthz():
    """A bare endpoint for load balancers and for the page benchmark's baseline. It asks the
    database one trivial question: unreachable, it answers 503 (web/unavailable.py)."""
    from sqlalchemy import text

    from portal.extensions import db

    db.session.execute(text("SELECT 1"))
    return Response("ok", mimetype="text/plain")


@bp.get("/robots.txt")
def robots():
    """The shared host's: the platform admin is out of bounds; each municipality served here
    under its prefix has its own sitemap (one on its own domain has its own robots.txt)."""
    lines = ["User-agent: *", "Disallow: /platform/", "Disallow: /accounts/", "Disallow: /language"]
    for tenant in sorted(get_directory(current_app).active(), key=lambda t: t.slug):
        lines.append(f"Disallow: /{tenant.slug}/admin/")
        lines.append(f"Disallow: /{tenant.slug}/accounts/")
    for tenant in sorted(get_directory(current_app).active(), key=lambda t: t.slug):
        lines.append(f"Sitemap: {request.host_url}{tenant.slug}/sitemap.xml")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the platform's icon."""
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)

