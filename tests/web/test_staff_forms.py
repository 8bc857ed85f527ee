"""``portal.web.staff_forms``: a refusal rolls back and lands on the form; ``saved`` commits,
then redirects with a flash (or answers htmx with the fragment)."""

from __future__ import annotations

import pytest
from flask import Response, get_flashed_messages
from wtforms import StringField

from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import all_tenants
from portal.tenancy.models import Tenant
from portal.web.forms import BaseForm
from portal.web.staff_forms import refusals_onto, saved
from tests.helpers import HTMX


class NameForm(BaseForm):
    name_en = StringField("Name")


def _poti():
    return db.session.execute(db.select(Tenant).where(Tenant.slug == "poti")).scalar_one()


def _rename(form, new_name, error=None):
    """What a staff view does: a service flushes a change, then may refuse."""
    with refusals_onto(form) as refusal:
        _poti().name_en = new_name
        db.session.flush()
        if error:
            raise error
        return "done", refusal
    return "refused", refusal


def test_a_refusal_rolls_back_and_lands_on_its_field(app):
    with app.test_request_context("/"), all_tenants():
        before = _poti().name_en
        form = NameForm(meta={"csrf": False})
        outcome, refusal = _rename(form, "Changed", DomainError("Not this name.", "name_en"))
        assert (outcome, bool(refusal)) == ("refused", True)
        assert form.name_en.errors == ["Not this name."]
        assert _poti().name_en == before


def test_a_refusal_without_a_field_goes_above_the_form(app):
    with app.test_request_context("/"), all_tenants():
        form = NameForm(meta={"csrf": False})
        _rename(form, "Changed", DomainError("Not today."))
        assert form.form_errors == ["Not today."]


def test_other_errors_are_not_swallowed(app):
    with app.test_request_context("/"), all_tenants():
        form = NameForm(meta={"csrf": False})
        with pytest.raises(KeyError):
            _rename(form, "Changed", KeyError("bug"))
        assert not form.errors


def test_no_refusal_leaves_the_form_alone(app):
    with app.test_request_context("/"), all_tenants():
        form = NameForm(meta={"csrf": False})
        outcome, refusal = _rename(form, "Changed")
        assert (outcome, bool(refusal)) == ("done", False)
        assert not form.errors


def test_saved_commits_flashes_and_redirects(app):
    with app.test_request_context("/"), all_tenants():
        _poti().name_en = "Saved name"
        response = saved("Saved.", "/back", fragment=lambda: Response("fragment"))
        db.session.rollback()  # nothing left to roll back: it is committed
        assert _poti().name_en == "Saved name"
        assert response.status_code == 303
        assert response.location == "/back"
        assert get_flashed_messages() == ["Saved."]


def test_saved_answers_htmx_with_the_fragment(app):
    with app.test_request_context("/", headers=HTMX):
        response = saved("Saved.", "/back", fragment=lambda: Response("fragment"))
        assert response.get_data(as_text=True) == "fragment"
        assert get_flashed_messages() == []


def test_saved_without_a_fragment_redirects_htmx_too(app):
    with app.test_request_context("/", headers=HTMX):
        response = saved("Saved.", "/back")
        assert response.status_code == 303
