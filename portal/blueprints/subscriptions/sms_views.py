"""Subscribing by SMS: a phone number and topics that go by SMS; a code is sent
(``services/phone_codes.py``) and typed back on the confirmation page (``views.confirm``),
where a new code can be asked for (at most three an hour)."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext as _

from portal.blueprints.subscriptions import bp, services, tokens
from portal.blueprints.subscriptions.forms import CodeForm, SmsSubscribeForm, parse_topic_value
from portal.blueprints.subscriptions.views import (
    address_key,
    confirm_page,
    confirmed_page,
    private,
    requested_objects,
    subscribe_limit,
    topic_choices,
)
from portal.extensions import db, limiter
from portal.i18n import current_lang
from portal.services.errors import DomainError
from portal.web.forms import ConfirmForm, errors_onto
from portal.web.rendering import render


def _sms_form(formdata=None) -> SmsSubscribeForm:
    form = SmsSubscribeForm(formdata=formdata)
    form.topics.choices = topic_choices(requested_objects(), sms=True)
    if formdata is None:
        asked = [choice.value for choice in form.topics.choices
                 if choice.value in request.args.getlist("topic")]
        form.topics.data = asked or [choice.value for choice in form.topics.choices]
    return form


def _sms_too_fast(limit):
    form = _sms_form(request.form)
    form.form_errors = [_("Several requests came from you in a short time. Please wait a few "
                          "minutes and try again.")]
    return render("subscriptions/sms.html", status=429, form=form)


@bp.get("/sms")
def sms():
    return render("subscriptions/sms.html", form=_sms_form())


@bp.post("/sms")
@limiter.limit(subscribe_limit, key_func=address_key, methods=["POST"], on_breach=_sms_too_fast)
def sms_subscribe():
    """A phone number and topics: a code goes by SMS, and the page to type it opens."""
    form = _sms_form(request.form)
    if form.website.data:  # the honeypot
        return redirect(url_for("subscriptions.sent"), code=303)
    if form.validate():
        try:
            subscriber = services.subscribe_phone(
                form.phone.data, [parse_topic_value(v) for v in form.topics.data],
                locale=current_lang())
        except DomainError as error:
            db.session.rollback()
            errors_onto(form, error)
        else:
            db.session.commit()
            return redirect(url_for("subscriptions.confirm",
                                    subscription_token=tokens.confirmation_token(subscriber)),
                            code=303)
    return render("subscriptions/sms.html", status=422, form=form)


def confirm_code(token: str, subscriber):
    from portal.services.phone_codes import CodeRefused

    form = CodeForm()
    if not form.validate():
        return confirm_page(token, subscriber, status=422, code_form=form)
    try:
        fresh = services.confirm_phone(subscriber, form.code.data)
    except CodeRefused as refusal:
        db.session.commit()  # the wrong try counts
        errors_onto(form, refusal)
        return confirm_page(token, subscriber, status=422, code_form=form)
    db.session.commit()
    return confirmed_page(token, subscriber, fresh)


@bp.get("/confirm/<subscription_token>/code")
def new_code_page(subscription_token: str):
    """The form's address opened directly: the confirmation page, where the button is."""
    if tokens.from_confirmation_token(subscription_token) is None:
        return confirm_page(subscription_token, None, status=404)
    return private(redirect(url_for("subscriptions.confirm",
                                     subscription_token=subscription_token), code=303))


@bp.post("/confirm/<subscription_token>/code")
def new_code(subscription_token: str):
    """Another SMS code (at most three an hour)."""
    subscriber = tokens.from_confirmation_token(subscription_token)
    if subscriber is None or subscriber.channel != "sms":
        return confirm_page(subscription_token, None, status=404)
    form = CodeForm(formdata=None)
    if not ConfirmForm().validate():
        return confirm_page(subscription_token, subscriber, status=400, code_form=form,
                             error=_("The form expired; press the button again."))
    try:
        services.send_phone_code(subscriber)
    except DomainError as refusal:
        db.session.rollback()
        return confirm_page(subscription_token, subscriber, status=429, code_form=form,
                             error=str(refusal))
    db.session.commit()
    return confirm_page(subscription_token, subscriber, code_form=form, resent=True)
