"""``/<tenant_slug>/unsubscribe/<unsubscribe_token>``: a confirmation page (GET) and the unsubscribe (POST).

POST is exempt from CSRF on purpose: RFC 8058 one-click requests come from the recipient's
mail provider with only ``List-Unsubscribe=One-Click`` in the body. The unguessable token is
the authorisation, and unsubscribing twice is harmless.
"""

from __future__ import annotations

import re

from flask import abort, request

from portal.blueprints.unsubscribe import bp
from portal.extensions import csrf, db
from portal.services.unsubscribe import unsubscribe
from portal.web.rendering import render

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


@bp.route("/<unsubscribe_token>", methods=["GET", "POST"])
@csrf.exempt
def confirm(unsubscribe_token: str):
    if not TOKEN_RE.match(unsubscribe_token):
        abort(404)
    if request.method == "POST":
        unsubscribe(unsubscribe_token)
        db.session.commit()
        return render("unsubscribe/done.html", block="content")
    return render("unsubscribe/confirm.html", block="content", token=unsubscribe_token)
