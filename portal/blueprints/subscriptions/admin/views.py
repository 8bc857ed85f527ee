"""Staff pages of subscriptions: counts per topic, the audited export, and broadcasts.

A broadcast is composed, previewed with its number of recipients (a GET: nothing changes),
then confirmed by a POST that keeps it as a notice (``kind`` "broadcast") and queues the
sending job; the list shows each past broadcast with its delivery counts from the outbox.
"""

from __future__ import annotations

import csv
import io
import secrets

from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from portal.blueprints.admin.dashboard import (
    DashboardItem,
    DashboardPanel,
    DashboardProvider,
    register_provider,
)
from portal.blueprints.subscriptions.admin import bp
from portal.blueprints.subscriptions.admin.forms import BroadcastForm
from portal.blueprints.subscriptions.delivery import (
    add_notice,
    count_recipients,
    delivery_counts,
)
from portal.blueprints.subscriptions.models import Notice, Subscriber, Subscription
from portal.blueprints.subscriptions.topics import available_topics, get_topic, in_every_language
from portal.db import utcnow, writes_on_read
from portal.extensions import db
from portal.services import audit
from portal.services.errors import DomainError
from portal.web.pagination import page_arg, paginate
from portal.web.permissions import requires
from portal.web.rendering import render
from portal.web.staff_forms import refusals_onto, saved


def topic_counts() -> list[tuple[object, dict[str, int]]]:
    """Per topic about no one thing (and per topic, all its things together), confirmed
    subscribers by channel, and for a topic about one thing how many different things:
    three grouped queries, no personal data."""
    counts: dict[str, dict[str, int]] = {}
    for topic, channel, n in db.session.execute(
            select(Subscription.topic, Subscriber.channel, func.count(Subscription.id))
            .join(Subscriber, Subscriber.id == Subscription.subscriber_id)
            .where(Subscriber.confirmed_at.is_not(None))
            .group_by(Subscription.topic, Subscriber.channel)):
        counts.setdefault(topic, {})[channel] = n
    # For a topic about one thing (a petition, a saved search), how many different things.
    for topic, n in db.session.execute(
            select(Subscription.topic, func.count(func.distinct(Subscription.object_id)))
            .join(Subscriber, Subscriber.id == Subscription.subscriber_id)
            .where(Subscriber.confirmed_at.is_not(None), Subscription.object_id != 0)
            .group_by(Subscription.topic)):
        counts.setdefault(topic, {})["things"] = n
    return [(t, counts.get(t.key, {})) for t in available_topics()]


@bp.get("/")
@requires("subscriptions.broadcast")
def index():
    unconfirmed = db.session.scalar(
        select(func.count(Subscriber.id)).where(Subscriber.confirmed_at.is_(None)))
    confirmed = db.session.scalar(
        select(func.count(Subscriber.id)).where(Subscriber.confirmed_at.is_not(None)))
    return render("subscriptions/admin/index.html", counts=topic_counts(),
                  confirmed=confirmed, unconfirmed=unconfirmed)


@bp.get("/subscribers.csv")
@writes_on_read
@requires("personal_data.export")
def export():
    """Every confirmed contact and its topics; the read is on record (committed first)."""
    audit.record_read("subscriptions.subscribers", target="subscribers")
    db.session.commit()
    topics: dict[int, list[str]] = {}
    for subscriber_id, topic, object_id in db.session.execute(
            select(Subscription.subscriber_id, Subscription.topic, Subscription.object_id)
            .order_by(Subscription.id)):
        topics.setdefault(subscriber_id, []).append(f"{topic}:{object_id}" if object_id else topic)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Channel"), _("Address"), _("Language"), _("Confirmed"), _("Topics")])
    for s in db.session.scalars(select(Subscriber).where(Subscriber.confirmed_at.is_not(None))
                                .order_by(Subscriber.id)):
        writer.writerow([s.channel, s.address, s.locale, s.confirmed_at.isoformat(),
                         " ".join(topics.get(s.id, []))])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="subscribers.csv"'})


@bp.get("/broadcasts")
@requires("subscriptions.broadcast")
def broadcasts():
    page = paginate(select(Notice).where(Notice.kind == "broadcast")
                    .order_by(Notice.id.desc()), page_arg(), 20)
    return render("subscriptions/admin/broadcasts.html", page=page,
                  counts=delivery_counts([n.id for n in page.items]), topic=get_topic)


def _form(formdata=None, *, csrf: bool = True) -> BroadcastForm:
    # The preview is a GET that changes nothing: no CSRF token there; the POST needs one.
    form = BroadcastForm(formdata=formdata, meta={"csrf": csrf})
    form.topic.choices = [SelectChoice(t.key, str(t.label))
                          for t in available_topics(listed_only=True) if t.object_label is None]
    return form


def _check(form: BroadcastForm) -> bool:
    if not form.validate():
        return False
    if not form.channels():
        form.by_email.errors = [_("Choose e-mail, SMS or both.")]
        return False
    topic = get_topic(form.topic.data)
    if form.by_sms.data and not (topic and topic.sms):
        form.by_sms.errors = [_("This topic is not sent by SMS.")]
        return False
    if form.by_sms.data and not form.sms_text.data:
        form.sms_text.errors = [_("Write the SMS text.")]
        return False
    if form.send_at.data and form.send_time() <= utcnow():
        form.send_at.errors = [_("Choose a time in the future, or leave it empty to send now.")]
        return False
    return True


@bp.get("/broadcasts/new")
@requires("subscriptions.broadcast")
def new_broadcast():
    """The form, or (with ``preview``) the announcement as sent and its number of recipients."""
    if "preview" in request.args:
        form = _form(request.args, csrf=False)
        if _check(form):
            recipients = count_recipients(form.topic.data, 0, form.channels())
            return render("subscriptions/admin/preview.html", form=form,
                          recipients=recipients, topic=get_topic(form.topic.data))
        return render("subscriptions/admin/new.html", form=form, status=422)
    # Back from the preview: the form as it was.
    return render("subscriptions/admin/new.html", form=_form(request.args or None, csrf=False))


@bp.post("/broadcasts/new")
@requires("subscriptions.broadcast")
def send_broadcast():
    form = _form(request.form)
    if _check(form):
        with refusals_onto(form):
            notice_id = _keep(form)
            message = (_("The announcement is scheduled.") if form.send_at.data
                       else _("The announcement is being sent."))
            return saved(message,
                         url_for("subscriptions_admin.broadcasts",
                                 _anchor=f"broadcast-{notice_id}"))
    return render("subscriptions/admin/new.html", form=form, status=422)


def _keep(form: BroadcastForm) -> int:
    topic = get_topic(form.topic.data)
    notice_id = add_notice(
        topic, item=f"broadcast:{secrets.token_hex(8)}", kind="broadcast",
        subject=in_every_language(form.subject.data),
        lines=in_every_language_lines(form.text.data), sms_text=form.sms_text.data or "",
        channels=form.channels(), author=current_user, send_at=form.send_time())
    if notice_id is None:
        raise DomainError(_l("Subscriptions are switched off in this municipality."))
    recipients = count_recipients(topic.key, 0, form.channels())
    audit.record("subscriptions.broadcast", target=f"notice:{notice_id}",
                 after={"topic": topic.key, "subject": form.subject.data,
                        "channels": form.channels(), "recipients": recipients,
                        "send_at": form.send_at.data.isoformat() if form.send_at.data else None})
    return notice_id


def in_every_language_lines(text: str) -> dict[str, list[str]]:
    """Staff write in one language: the same paragraphs for every subscriber."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return {locale: paragraphs for locale in in_every_language("")}


def _subscribers_panel(user) -> DashboardPanel:
    count = db.session.scalar(
        select(func.count(Subscriber.id)).where(Subscriber.confirmed_at.is_not(None))) or 0
    return DashboardPanel(count, [
        DashboardItem(str(_l("Subscribers per topic")), url_for("subscriptions_admin.index")),
        DashboardItem(str(_l("New broadcast")), url_for("subscriptions_admin.new_broadcast"))])


register_provider(DashboardProvider(
    "subscriptions", _l("Confirmed subscribers"), "subscriptions.broadcast",
    _subscribers_panel, feature="subscriptions"))
