"""The shared form pieces of ``portal.web.forms``: the validators EMAIL, PHONE and
PERSONAL_NUMBER (with the inputs' attributes), ConfirmForm and ``errors_onto``."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import StringField

from portal.services.errors import DomainError
from portal.services.recipients import InvalidRecipient, georgian_mobile, normalise_phone
from portal.web.forms import (
    EMAIL,
    EMAIL_INPUT,
    PERSONAL_NUMBER,
    PERSONAL_NUMBER_INPUT,
    PHONE,
    PHONE_INPUT,
    BaseForm,
    ConfirmForm,
    errors_onto,
)

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


class ContactForm(BaseForm):
    email = StringField("E-mail", validators=[EMAIL], render_kw=EMAIL_INPUT)
    phone = StringField("Phone", validators=[PHONE], render_kw=PHONE_INPUT)
    personal_number = StringField("Personal number", validators=[PERSONAL_NUMBER],
                                  render_kw=PERSONAL_NUMBER_INPUT)


def _submit(app, **data):
    with app.test_request_context("/", method="POST", data=data):
        form = ContactForm(meta={"csrf": False})
        form.validate()
        return form


eight_digits = st.text(alphabet="0123456789", min_size=8, max_size=8)
separators = st.sampled_from(["", " ", "-", " - ", "  "])


@SETTINGS
@given(digits=eight_digits, sep=separators, prefix=st.sampled_from(["", "+995", "995", "00995"]))
def test_a_georgian_mobile_number_in_any_usual_spelling_becomes_e164(app, digits, sep, prefix):
    spelled = prefix + sep + "5" + digits[:2] + sep + digits[2:5] + sep + digits[5:]
    form = _submit(app, phone=spelled)
    assert not form.phone.errors
    assert form.phone.data == "+9955" + digits


@pytest.mark.parametrize("number", [
    "+995 32 222 22 22",      # a Tbilisi landline
    "555 12 34 5",            # eight digits
    "555 12 34 567",          # ten digits
    "+995 655 12 34 56",      # not a mobile number
    "+1 202 555 0123",        # not Georgian
    "555-12-34-5x",
    "٥٥٥١٢٣٤٥٦",               # Arabic-Indic digits
    "0555 12 34 56",
])
def test_anything_else_is_refused_with_a_message(app, number):
    form = _submit(app, phone=number)
    assert form.phone.errors == [str(PHONE.message)]
    with pytest.raises(InvalidRecipient):
        georgian_mobile(number)


def test_the_form_number_is_one_the_outbox_takes(app):
    form = _submit(app, phone="555 12 34 56")
    assert normalise_phone(form.phone.data) == "995555123456"


@SETTINGS
@given(digits=st.text(alphabet="0123456789", min_size=11, max_size=11),
       blank=st.sampled_from(["", " ", "\t"]))
def test_a_personal_number_is_eleven_digits(app, digits, blank):
    form = _submit(app, personal_number=blank + digits + blank)
    assert not form.personal_number.errors
    assert form.personal_number.data == digits


@SETTINGS
@given(value=st.text(min_size=1, max_size=14).filter(
    lambda v: not (len(v.strip()) == 11 and all(c in "0123456789" for c in v.strip()))))
def test_anything_but_eleven_digits_is_refused(app, value):
    form = _submit(app, personal_number=value)
    if value.strip():
        assert form.personal_number.errors == [str(PERSONAL_NUMBER.message)]


@pytest.mark.parametrize(("value", "ok"), [
    ("nino@example.ge", True), ("n.beridze+news@mail.example.org", True),
    ("nino", False), ("nino@example", False), ("ni no@example.ge", False), ("@example.ge", False),
])
def test_email(app, value, ok):
    assert (not _submit(app, email=value).email.errors) == ok


def test_empty_numbers_are_left_to_data_required(app):
    form = _submit(app, email="nino@example.ge")
    assert not form.errors


def test_messages_are_translated(app):
    with app.test_request_context("/"):
        with force_locale("en"):
            english = [str(v.message) for v in (EMAIL, PHONE, PERSONAL_NUMBER)]
        with force_locale("ka"):
            georgian = [str(v.message) for v in (EMAIL, PHONE, PERSONAL_NUMBER)]
    assert all(ka != en for ka, en in zip(georgian, english, strict=True))


def test_inputs_carry_their_attributes(app):
    with app.test_request_context("/"):
        form = ContactForm(meta={"csrf": False})
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}'
            '{{ field(form.email) }}{{ field(form.phone) }}{{ field(form.personal_number) }}',
            form=form)
    assert 'type="email"' in html and 'autocomplete="email"' in html and 'maxlength="254"' in html
    assert 'type="tel"' in html and 'inputmode="tel"' in html and 'autocomplete="tel"' in html
    assert 'inputmode="numeric"' in html and 'maxlength="11"' in html


def test_confirm_form_needs_the_csrf_token(app):
    with app.test_request_context("/", method="POST", data={}):
        assert not ConfirmForm().validate_on_submit()


def test_errors_onto_the_named_field_or_the_form(app):
    with app.test_request_context("/"):
        form = ContactForm(meta={"csrf": False})
        errors_onto(form, DomainError("Taken.", "email"))
        errors_onto(form, DomainError("Too late."))
        errors_onto(form, DomainError("Not here.", "no_such_field"))
    assert form.email.errors == ["Taken."]
    assert form.form_errors == ["Too late.", "Not here."]
    assert ["Too late.", "Not here."] in form.errors.values()  # so views answer 422
