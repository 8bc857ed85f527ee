"""Public pages: subscribe (``/<slug>/subscriptions/``), the confirmation link's page, and the
manage page reached from every message.

The confirmation link's page only shows a button; its POST confirms, so a mail scanner that
fetches the link changes nothing. The manage page's token is the subscriber's key: its
responses are never cached nor sent on as a referrer. Subscribing is limited per network
address (``PORTAL_SUBSCRIBE_LIMIT``) and per e-mail address.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal.blueprints.accounts.mine import MyItemsProvider, register_my_items
from portal.blueprints.subscriptions import bp, services, tokens
from portal.blueprints.subscriptions.forms import (
    CodeForm,
    EmailManageForm,
    ManageForm,
    SubscribeForm,
    parse_topic_value,
    topic_value,
)
from portal.blueprints.subscriptions.topics import available_topics, get_topic
from portal.extensions import db, limiter
from portal.i18n import current_lang
from portal.services.errors import DomainError
from portal.web.forms import ConfirmForm, errors_onto
from portal.web.ratelimits import configured_limit
from portal.web.rendering import render

#: Per network address; ``PORTAL_SUBSCRIBE_LIMIT`` overrides it.
SUBSCRIBE_LIMIT = "5 per 10 minutes;20 per day"
#: Per e-mail address: confirmation mails to one inbox.
EMAIL_LIMIT = "3 per hour"


subscribe_limit = configured_limit("PORTAL_SUBSCRIBE_LIMIT", SUBSCRIBE_LIMIT)


email_limit = configured_limit("PORTAL_SUBSCRIBE_LIMIT", EMAIL_LIMIT)


def address_key() -> str:
    return f"subscriptions.subscribe:{request.remote_addr or 'unknown'}"


def _email_key() -> str:
    return f"subscriptions.subscribe.email:{request.form.get('email', '').strip().lower()[:254]}"


def topic_choices(extra: list[tuple[str, int]] = (), *, sms: bool = False) -> list[SelectChoice]:
    """(value, label) of every listed topic here (``sms``: those that go by SMS), plus
    ``extra`` topics about one thing."""
    choices = [SelectChoice(t.key, str(t.label)) for t in available_topics(listed_only=True)
               if t.object_label is None and (t.sms or not sms)]
    for key, object_id in extra:
        topic = get_topic(key)
        name = topic.object_label(object_id) if topic and topic.object_label and object_id else None
        if name is not None and topic in available_topics() and (topic.sms or not sms):
            choices.append(SelectChoice(topic_value(key, object_id), f"{topic.label}: {name}"))
    return choices


def requested_objects() -> list[tuple[str, int]]:
    """A topic about one thing asked for by the link on its page (``?topic=key:id``) or kept
    in the form."""
    values = request.args.getlist("topic") + request.form.getlist("topics")
    return [parse_topic_value(v) for v in values if ":" in v][:5]


def _subscribe_form(formdata=None) -> SubscribeForm:
    form = SubscribeForm(formdata=formdata)
    form.topics.choices = topic_choices(requested_objects())
    if formdata is None and request.args.get("topic"):
        known = {choice.value for choice in form.topics.choices}
        form.topics.data = [v for v in request.args.getlist("topic") if v in known]
    return form


@bp.get("/")
def index():
    # A thing asked for from its page that may also go by SMS: the SMS form offers it too.
    sms_asked = [c.value for c in topic_choices(requested_objects(), sms=True) if ":" in c.value]
    return render("subscriptions/index.html", form=_subscribe_form(), sms_asked=sms_asked)


def _too_fast(limit):
    form = _subscribe_form(request.form)
    form.form_errors = [_("Several requests came from you in a short time. Please wait a few "
                          "minutes and try again.")]
    return render("subscriptions/index.html", status=429, form=form)


@bp.post("/")
@limiter.limit(subscribe_limit, key_func=address_key, methods=["POST"], on_breach=_too_fast)
@limiter.limit(email_limit, key_func=_email_key, methods=["POST"], on_breach=_too_fast)
def subscribe():
    form = _subscribe_form(request.form)
    if form.website.data:  # the honeypot: a robot is told it worked, and nothing is kept
        return redirect(url_for("subscriptions.sent"), code=303)
    if form.validate():
        try:
            services.subscribe_email(form.email.data,
                                     [parse_topic_value(v) for v in form.topics.data],
                                     locale=current_lang(), frequency=form.frequency.data)
        except DomainError as error:
            db.session.rollback()
            errors_onto(form, error)
        else:
            db.session.commit()
            return redirect(url_for("subscriptions.sent"), code=303)
    return render("subscriptions/index.html", status=422, form=form)


@bp.get("/sent")
def sent():
    return render("subscriptions/sent.html")


@bp.get("/confirm/<subscription_token>")
def confirm(subscription_token: str):
    """The page the e-mail's link opens (only a button: the POST below confirms), or where
    the SMS code is typed."""
    subscriber = tokens.from_confirmation_token(subscription_token)
    return confirm_page(subscription_token, subscriber,
                         status=200 if subscriber else 404)


@bp.post("/confirm/<subscription_token>")
def confirm_post(subscription_token: str):
    subscriber = tokens.from_confirmation_token(subscription_token)
    if subscriber is None:
        return confirm_page(subscription_token, None, status=404)
    if subscriber.channel == "sms":
        from portal.blueprints.subscriptions.sms_views import confirm_code

        return confirm_code(subscription_token, subscriber)
    form = ConfirmForm()
    if not form.validate():
        error = " ".join(form.csrf_token.errors) or _("The form expired; press the button again.")
        return confirm_page(subscription_token, subscriber, status=400, error=error)
    fresh = services.confirm(subscriber)
    db.session.commit()
    return confirmed_page(subscription_token, subscriber, fresh)


def confirmed_page(token: str, subscriber, fresh: bool):
    return confirm_page(token, subscriber, done=True, already=not fresh,
                         manage=url_for("subscriptions.manage",
                                        subscriber_token=tokens.manage_token(subscriber)))


def confirm_page(token, subscriber, *, status=200, error=None, done=False, already=False,
                  manage=None, code_form=None, resent=False):
    if subscriber is not None and subscriber.channel == "sms" and code_form is None:
        code_form = CodeForm(formdata=None)
    return private(render("subscriptions/confirm.html", status=status, token=token,
                           subscriber=subscriber, error=error, done=done, already=already,
                           manage=manage, code_form=code_form, resent=resent))


def _manage_form(subscriber, formdata=None) -> ManageForm:
    sms = subscriber.channel == "sms"
    form = (ManageForm if sms else EmailManageForm)(formdata=formdata)
    mine = services.topics_of(subscriber)
    form.topics.choices = topic_choices([c for c in mine if c[1]] + requested_objects(), sms=sms)
    if formdata is None:
        form.topics.data = [topic_value(*c) for c in mine]
        # A thing asked for from its page (the link of "you are already subscribed"): chosen,
        # kept once the subscriber saves.
        known = {choice.value for choice in form.topics.choices}
        form.topics.data += [v for v in request.args.getlist("topic")[:5]
                             if v in known and v not in form.topics.data]
        if not sms:
            form.frequency.data = subscriber.frequency
    return form


@bp.get("/manage/<subscriber_token>")
def manage(subscriber_token: str):
    subscriber = tokens.from_manage_token(subscriber_token)
    if subscriber is None:
        return _gone()
    return _manage_page(subscriber_token, subscriber, _manage_form(subscriber))


@bp.post("/manage/<subscriber_token>")
def manage_post(subscriber_token: str):
    subscriber = tokens.from_manage_token(subscriber_token)
    if subscriber is None:
        return _gone()
    form = _manage_form(subscriber, request.form)
    if form.validate():
        try:
            check = (services.check_sms_choices if subscriber.channel == "sms"
                     else services.check_choices)
            choices = check([parse_topic_value(v) for v in form.topics.data])
            services.set_topics(subscriber, choices)
            if subscriber.channel == "email":
                services.set_frequency(subscriber, form.frequency.data)
        except DomainError as error:
            db.session.rollback()
            errors_onto(form, error)
        else:
            db.session.commit()
            return _manage_page(subscriber_token, subscriber, form, saved=True)
    return _manage_page(subscriber_token, subscriber, form, status=422)


@bp.get("/manage/<subscriber_token>/leave")
def leave_page(subscriber_token: str):
    """The form's address opened directly: the manage page, where the button is."""
    if tokens.from_manage_token(subscriber_token) is None:
        return _gone()
    return private(redirect(url_for("subscriptions.manage", subscriber_token=subscriber_token),
                             code=303))


@bp.post("/manage/<subscriber_token>/leave")
def leave(subscriber_token: str):
    subscriber = tokens.from_manage_token(subscriber_token)
    if subscriber is None:
        return _gone()
    if not ConfirmForm().validate():
        return _manage_page(subscriber_token, subscriber, _manage_form(subscriber), status=400,
                            error=_("The form expired; press the button again."))
    services.leave(subscriber)
    db.session.commit()
    return private(render("subscriptions/left.html"))


def _manage_page(token, subscriber, form, *, status=200, saved=False, error=None):
    return private(render("subscriptions/manage.html", status=status, token=token,
                           subscriber=subscriber, form=form, saved=saved, error=error))


def _gone():
    return private(render("subscriptions/left.html", status=404, unknown=True))


def private(response):
    # The token is a key to someone's subscription: nothing in between keeps or forwards it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _my_subscriptions(user) -> list[tuple[str, str]]:
    from portal.tenancy import get_current_tenant

    if get_current_tenant() is None:  # the shared host's page: subscriptions are a municipality's
        return []
    items = []
    for subscriber in services.subscriptions_of_email(getattr(user, "email", "")):
        mine = services.topics_of(subscriber)
        manage = url_for("subscriptions.manage", subscriber_token=tokens.manage_token(subscriber))
        items.append((_("E-mail subscription: %(count)s topics", count=len(mine)), manage))
        # Each thing followed (a saved search of the archive, a petition) by its name.
        for key, object_id in mine:
            topic = get_topic(key)
            name = topic.object_label(object_id) if topic and topic.object_label and object_id else None
            if name is not None:
                items.append((f"{topic.label}: {name}", manage))
    return items


register_my_items(MyItemsProvider("subscriptions", _l("My subscriptions"), _my_subscriptions))
