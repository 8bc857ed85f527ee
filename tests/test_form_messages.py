"""WTForms' own messages (required, length, choices, CSRF...) in the page's language."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

import portal
from portal.web.forms import BaseForm
from portal.web.inputs import BoundedIntegerField


class _Sample(BaseForm):
    name = StringField("name", validators=[DataRequired(), Length(max=3)])
    count = BoundedIntegerField("count")
    day = DateField("day")
    colour = SelectField("colour", choices=[SelectChoice("red", "red")])


def _errors(app, lang: str) -> dict:
    with app.test_request_context("/poti/", headers={"Cookie": f"lang={lang}"}):
        app.preprocess_request()
        form = _Sample(formdata=MultiDict({"count": "x", "day": "y", "colour": "blue"}),
                       meta={"csrf": False})
        form.validate()
        return form.errors


def test_builtin_messages_are_georgian_on_georgian_pages(app):
    errors = _errors(app, "ka")
    text = " ".join(m for messages in errors.values() for m in messages)
    for english in ("This field is required.", "Not a valid integer value.",
                    "Not a valid date value.", "Not a valid choice."):
        assert english not in text
    assert all(any("\u10d0" <= c <= "\u10ff" for c in m)
               for messages in errors.values() for m in messages), errors


def test_builtin_messages_stay_english_on_english_pages(app):
    errors = _errors(app, "en")
    assert errors["name"] == ["This field is required."]


def test_length_limits_are_translated_with_their_numbers(app):
    with app.test_request_context("/poti/"):
        app.preprocess_request()
        form = _Sample(formdata=MultiDict({"name": "abcdef"}), meta={"csrf": False})
        form.validate()
    assert "3" in form.errors["name"][0] and "Field cannot be longer" not in form.errors["name"][0]


def test_every_form_of_the_portal_uses_the_translated_base():
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if module.name.endswith(("forms", "_forms")):
            importlib.import_module(module.name)
    strays = [cls.__qualname__ for cls in _subclasses(FlaskForm)
              if not issubclass(cls, BaseForm) and cls.__module__.startswith("portal.")]
    assert not strays, f"forms not built on portal.web.forms.BaseForm: {strays}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.mark.parametrize("lang", ["ka", "en"])
def test_csrf_failures_are_in_the_page_language(app, lang):
    with app.test_request_context("/poti/", method="POST", headers={"Cookie": f"lang={lang}"}):
        app.preprocess_request()
        form = _Sample(formdata=MultiDict({"name": "ab"}), meta={"csrf": True})
        form.validate()
        message = form.errors["csrf_token"][0]
    assert ("CSRF" in message) == (lang == "en")
