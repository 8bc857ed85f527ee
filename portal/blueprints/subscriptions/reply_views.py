"""``POST /<slug>/subscriptions/sms/inbound``: the SMS provider's webhook for replies (STOP).

No CSRF token (the provider is not a browser): the request is the provider's only if the
municipality's secret signs its timestamp and body (``services/sms.read_inbound``). The
signature covers neither the Host nor the URL, so nothing in the request's address is
trusted: the path's municipality only chooses whose secret must verify it. Answers: 204
taken (acted on, ignored or a repeat), 403 not signed by the provider, 404 where replies are
not taken (no secret), 413 too large.
"""

from __future__ import annotations

import logging

from flask import Response, request

from portal.blueprints.subscriptions import bp
from portal.db import utcnow
from portal.extensions import csrf, db
from portal.services.sms import InboundRefused, read_inbound
from portal.services.transport import NotConfigured
from portal.tenancy import current_tenant

log = logging.getLogger("portal.subscriptions")

#: A provider's inbound notice is a few hundred bytes.
MAX_BODY = 16_384


@bp.post("/sms/inbound")
@csrf.exempt
def sms_inbound():
    from portal.blueprints.subscriptions.sms_replies import handle_reply

    if (request.content_length or 0) > MAX_BODY:
        return _answer(413)
    body = request.get_data(cache=False)[:MAX_BODY + 1]
    if len(body) > MAX_BODY:
        return _answer(413)
    try:
        inbound = read_inbound(current_tenant, body, request.headers, now=utcnow())
    except NotConfigured:
        return _answer(404)
    except InboundRefused as refusal:
        log.warning("inbound SMS refused for %s: %s", current_tenant.slug, refusal)
        return _answer(403)
    outcome = handle_reply(inbound)
    db.session.commit()
    log.info("inbound SMS for %s: %s", current_tenant.slug, outcome)
    return _answer(204)


def _answer(status: int) -> Response:
    response = Response(status=status)
    response.headers["Cache-Control"] = "no-store"
    return response
