"""The letters' section page, the writer's tracking page, the published letters and the
statistics.

A letter is found by its tracking code and the writer's e-mail address (the form), or by the
code alone (the link in the e-mail); either way the page is private (no-store, no referrer)
and the lookups are limited per network address (``TRACK_LIMIT``, overridable as
``PORTAL_LETTERS_TRACK_LIMIT``). Another municipality's code is not found here. The writer's
attachments are downloaded with the code in the link (``tracked_attachment``), limited alike.
"""

from __future__ import annotations

import time

from flask import abort, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from portal.blueprints.letters import attachments, bp, queries, stats, writing
from portal.blueprints.letters.forms import TrackForm
from portal.blueprints.letters.lifecycle import FEEDBACK_LABELS, RECIPIENT_LABELS, STATUS_LABELS, is_overdue
from portal.blueprints.letters.models import FEEDBACK, PUBLIC_KINDS
from portal.blueprints.letters.settings import letters_settings
from portal.db import utcnow
from portal.extensions import limiter
from portal.i18n import to_local
from portal.web.charts import column_chart
from portal.web.pagination import page_arg, paginate
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render, render_public

TRACK_LIMIT = "20 per 600 seconds"
PER_PAGE = 20
LABELS = {"status_labels": STATUS_LABELS, "recipient_labels": RECIPIENT_LABELS,
          "feedback_labels": FEEDBACK_LABELS}


track_limit = configured_limit("PORTAL_LETTERS_TRACK_LIMIT", TRACK_LIMIT)


def track_key() -> str:
    return f"letters.track:{request.remote_addr or 'unknown'}"


def _too_many(limit):
    form = TrackForm(request.form if request.method == "POST" else None)
    form.form_errors = [_("Too many look-ups from your address. Please wait a few minutes and "
                          "try again.")]
    response = private(render("letters/track.html", status=429, form=form, **LABELS))
    response.headers["Retry-After"] = str(max(1, int(limit.reset_at - time.time())))
    return response


@bp.get("/")
def index():
    return render_public("letters/index.html", form=TrackForm(formdata=None),
                         answer_days=letters_settings.get("answer_days"))


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(track_limit, key_func=track_key, methods=["POST"], on_breach=_too_many)
def track():
    form = TrackForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        letter = writing.find(form.code.data, form.email.data)
        if letter is not None:
            return letter_page(letter, _tracked_links(writing.clean_code(form.code.data)))
        form.form_errors = [_("No letter has this code and e-mail address here. Check both, as "
                              "in the e-mail we sent you.")]
    status = 422 if request.method == "POST" else 200
    return private(render("letters/track.html", block="track_form", status=status, form=form,
                           **LABELS))


@bp.get("/track/<letter_token>")
@limiter.limit(track_limit, key_func=track_key, on_breach=_too_many)
def tracked(letter_token: str):
    letter = writing.find(letter_token)
    if letter is None:
        return private(render("letters/track.html", status=404, form=TrackForm(formdata=None),
                               not_found=True, **LABELS))
    return letter_page(letter, _tracked_links(writing.clean_code(letter_token)))


@bp.get("/track/<letter_token>/attachments/<int:attachment_id>")
@limiter.limit(track_limit, key_func=track_key, on_breach=_too_many)
def tracked_attachment(letter_token: str, attachment_id: int):
    """One of the letter's attachments, for whoever holds its tracking code."""
    letter = writing.find(letter_token)
    found = attachments.one_of(letter, attachment_id) if letter is not None else None
    if found is None:
        abort(404)
    return private(attachments.download(found))


def _tracked_links(code: str):
    return lambda attachment: url_for("letters.tracked_attachment", letter_token=code,
                                      attachment_id=attachment.id)


def letter_page(letter, download_url):
    """The writer's page of ``letter``; ``download_url(attachment)`` links each attachment."""
    today = to_local(utcnow()).date()
    return private(render("letters/letter.html", letter=letter, overdue=is_overdue(letter, today),
                           events=queries.events(letter, PUBLIC_KINDS),
                           attachments=attachments.of_letter(letter), download_url=download_url,
                           **LABELS))


def private(response):
    # The code is a key to someone's letter: nothing in between keeps or forwards it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/published/")
def published():
    page = paginate(queries.published(), page_arg(), PER_PAGE)
    return render("letters/published.html", block="results", page=page, **LABELS)


@bp.get("/published/<int:letter_id>")
def published_letter(letter_id: int):
    letter = queries.public_letter(letter_id)
    if letter is None:
        abort(404)
    return render_public("letters/published_letter.html", letter=letter, **LABELS)


@bp.get("/statistics")
def statistics():
    months, total = stats.monthly()
    shown = list(reversed(months[:12]))  # the last twelve months with letters, oldest first
    chart = column_chart([(format_date(m.month, "LLL"), format_date(m.month, "LLLL y"), m.received)
                          for m in shown]) if shown else None
    return render_public("letters/statistics.html", months=months, total=total, chart=chart,
                         feedback=FEEDBACK, **LABELS)
