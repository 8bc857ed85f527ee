"""The SQL statements of a signer's requests, counted, so the signing path cannot grow
unnoticed (bench/petition_surge.py; docs/performance.md, "Petition surge"): the petition's page
(from the page cache, and rendered), the sign page (the form, a page of its own so that the
petition's page needs no token), the sign POST, the confirmation page and its POST.

Savepoints are not counted (``tests.helpers.count_queries``); nor is anything outside the
database (the rate limits' storage, the job queue)."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.blueprints.petitions.models import PetitionEvent
from portal.db import utcnow
from portal.delivery.models import OutboxMessage
from portal.delivery.sealing import reveal
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.helpers import HTMX, count_queries, csrf_token
from tests.petitions.test_views import _fields, _open

#: The petition with its Last-Modified (its row's and its latest timeline step's times).
PAGE_FROM_CACHE = 1
#: ... and, to render it: its timeline, the latest signers, the municipality's settings,
#: its co-sponsors, support by unit and over time.
PAGE_RENDERED = 7
#: The sign page without JavaScript: the petition, then what the page shows beside the form.
SIGN_PAGE = 7
#: The form as htmx fetches it (the petition's "Sign" button): the petition only.
SIGN_FORM = 1
#: The petition with the settings (paused, e-mail lists), the signature unless its personal
#: number signed already (one statement) and the e-mail (its idempotency key names the new
#: signature, so the outbox does not look it up).
SIGN = 3
#: The signature with its petition.
CONFIRM_PAGE = 1
#: The signature with its petition; the confirmation.
CONFIRM = 2


def _statements(app, call) -> tuple[object, list[str]]:
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as statements:
        response = call()
    return response, statements


def _confirmation_path(app, tenant) -> str:
    with app.app_context(), tenant_context(tenant):
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        text = reveal(mail.body_text, mail.secret_sealed)
    link = re.search(r"https?://\S+/confirm/\S+", text).group(0)
    return "/poti/" + link.split("/", 3)[3]


def _described(statements: list[str]) -> str:
    return "\n".join(" ".join(s.split())[:160] for s in statements)


def test_a_signer_s_four_requests_run_few_statements(app, client, poti, cached):
    petition_id = _open(app, poti)
    base = f"/poti/petitions/{petition_id}"

    page, statements = _statements(app, lambda: client.get(base))
    assert page.status_code == 200
    assert len(statements) == PAGE_RENDERED, _described(statements)  # the cache was empty
    page, statements = _statements(app, lambda: client.get(base))
    assert page.status_code == 200 and page.last_modified is not None
    assert len(statements) == PAGE_FROM_CACHE, _described(statements)

    form, statements = _statements(app, lambda: client.get(f"{base}/sign"))
    assert form.status_code == 200 and 'name="personal_number"' in form.text
    assert len(statements) == SIGN_PAGE, _described(statements)
    form, statements = _statements(app, lambda: client.get(f"{base}/sign", headers=HTMX))
    assert form.status_code == 200 and 'name="personal_number"' in form.text
    assert "<html" not in form.text and 'id="sign"' in form.text
    assert len(statements) == SIGN_FORM, _described(statements)

    signed, statements = _statements(
        app, lambda: client.post(f"{base}/sign", data=_fields(form.text)))
    assert signed.status_code == 303
    assert len(statements) == SIGN, _described(statements)

    path = _confirmation_path(app, poti)
    shown, statements = _statements(app, lambda: client.get(path))
    assert shown.status_code == 200
    assert len(statements) == CONFIRM_PAGE, _described(statements)

    confirmed, statements = _statements(
        app, lambda: client.post(path, data={"csrf_token": csrf_token(shown.text)}))
    assert confirmed.status_code == 200 and "role=\"status\"" in confirmed.text
    assert len(statements) == CONFIRM, _described(statements)


def test_the_rendered_page_still_shows_the_timeline(app, client, poti):
    """The signing path loads the petition without its timeline; the page loads it."""
    petition_id = _open(app, poti)
    with app.app_context(), tenant_context(poti):
        db.session.add(PetitionEvent(petition_id=petition_id, kind="collecting",
                                     occurred_at=utcnow(), note="გამოქვეყნდა"))
        db.session.commit()
    client.set_cookie("lang", "en")
    html = client.get(f"/poti/petitions/{petition_id}").text
    timeline = html.split('id="timeline-title"', 1)[1]
    assert "<li><time" in timeline and "გამოქვეყნდა" in timeline
    form = client.get(f"/poti/petitions/{petition_id}/sign").text
    refused = client.post(f"/poti/petitions/{petition_id}/sign",
                          data=_fields(form, personal_number="123"))
    assert refused.status_code == 422 and "<li><time" in refused.text.split('id="timeline-title"', 1)[1]
