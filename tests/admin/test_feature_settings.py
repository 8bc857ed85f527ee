"""The generic settings form of a feature (/<slug>/admin/settings/<feature_slug>) and the
sections switch (/<slug>/admin/settings/features): validated, audited, per municipality."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from portal.blueprints.petitions.settings import petitions_settings
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import get_directory, tenant_context
from portal.tenancy.registry import TenantConfig
from tests.helpers import HTMX, csrf_token
from tests.staff_fixtures import signed_in

PAGE = "/poti/admin/settings/petitions"


@pytest.fixture
def admin_client(app, client, staff, poti):
    signed_in(client, staff(poti, ["admin"]))
    return client


def _values(app, tenant, names=("registered_voters", "threshold")) -> dict:
    with app.app_context():
        values = petitions_settings.get_all(tenant_id=tenant.id)
    return {name: values[name] for name in names}


def test_the_form_shows_the_declared_fields_beside_the_profile(admin_client):
    admin_client.set_cookie("lang", "en")
    page = admin_client.get(PAGE)
    assert page.status_code == 200
    assert 'name="registered_voters"' in page.text and 'name="threshold"' in page.text
    assert "one per cent of registered voters" in page.text  # the declared hint
    assert 'aria-current="page">Petitions' in page.text
    profile = admin_client.get("/poti/admin/settings").text
    assert f'href="{PAGE}"' in profile and 'href="/poti/admin/settings/features"' in profile
    fragment = admin_client.get(PAGE, headers=HTMX)
    assert fragment.text.lstrip().startswith('<form id="feature-settings-form"')


#: The other number fields as the form shows them (their defaults), which a browser sends back.
UNCHANGED = {"collection_days": "30", "anonymise_after_days": "182"}


def test_saving_stores_audits_and_leaves_abasha_alone(app, admin_client, poti, abasha):
    token = csrf_token(admin_client.get(PAGE).text)
    response = admin_client.post(PAGE, data={"csrf_token": token, "registered_voters": "40000",
                                             "threshold": "120", **UNCHANGED})
    assert response.status_code == 303 and response.headers["Location"].endswith(PAGE)
    assert _values(app, poti) == {"registered_voters": 40000, "threshold": 120}
    assert _values(app, abasha) == {"registered_voters": None, "threshold": None}
    with app.app_context():
        entry = db.session.execute(
            select(AuditEntry).where(AuditEntry.action == "feature_settings.updated")).scalar_one()
    assert entry.tenant_id == poti.id and entry.target == "petitions"
    assert entry.before == {"registered_voters": None, "threshold": None}
    assert entry.after == {"registered_voters": 40000, "threshold": 120}
    again = admin_client.post(PAGE, data={"csrf_token": token, "registered_voters": "40000",
                                          "threshold": "", **UNCHANGED})
    assert again.status_code == 303
    assert _values(app, poti) == {"registered_voters": 40000, "threshold": None}


@pytest.mark.parametrize("lang, message", [("en", "Number must be between 1 and 10000000."),
                                           ("ka", "რიცხვი უნდა იყოს 1-დან 10000000-მდე.")])
def test_invalid_values_are_refused_in_the_users_language(app, admin_client, poti, lang, message):
    admin_client.set_cookie("lang", lang)
    token = csrf_token(admin_client.get(PAGE).text)
    response = admin_client.post(PAGE, data={"csrf_token": token, "threshold": "0"})
    assert response.status_code == 422
    assert message in response.text and 'aria-invalid="true"' in response.text
    not_a_number = admin_client.post(PAGE, data={"csrf_token": token, "threshold": "many"}, headers=HTMX)
    assert not_a_number.status_code == 422
    assert not_a_number.text.lstrip().startswith('<form id="feature-settings-form"')
    assert _values(app, poti)["threshold"] is None


def test_csrf_and_permission_are_checked(app, client, staff, poti):
    signed_in(client, staff(poti, ["editor"]))
    assert client.get(PAGE).status_code == 403
    admin = app.test_client()
    signed_in(admin, staff(poti, ["admin"]))
    assert admin.post(PAGE, data={"threshold": "5"}).status_code == 400
    assert admin.get("/poti/admin/settings/no_such_feature").status_code == 404
    assert admin.get("/poti/admin/settings/tour").status_code == 404  # declares no settings
    assert _values(app, poti)["threshold"] is None


def test_potis_admin_cannot_change_abashas_settings(app, admin_client, abasha):
    token = csrf_token(admin_client.get(PAGE).text)
    assert admin_client.get("/abasha/admin/settings/petitions").status_code in (403, 404)
    response = admin_client.post("/abasha/admin/settings/petitions",
                                 data={"csrf_token": token, "threshold": "7"})
    assert response.status_code in (403, 404)
    assert _values(app, abasha)["threshold"] is None
    switched = admin_client.post("/abasha/admin/settings/features", data={"csrf_token": token})
    assert switched.status_code in (403, 404)
    assert get_directory(app).by_slug("abasha").has_feature("sessions")


def test_tenant_file_values_load_and_staff_edits_override_them(app, poti):
    profile = poti.config.model_dump(mode="json")
    profile["petitions"] = {"registered_voters": 30000, "threshold": 300}
    config = TenantConfig.model_validate(profile)
    assert config.feature_settings["petitions"] == {"registered_voters": 30000, "threshold": 300}
    from_file = replace(poti, config=config)
    with app.app_context(), tenant_context(from_file):
        values = petitions_settings.get_all()
        assert (values["registered_voters"], values["threshold"]) == (30000, 300)
        petitions_settings.set_many({"threshold": 250})
        assert petitions_settings.get("threshold") == 250
        petitions_settings.set_many({"threshold": 300})  # the file's value: no row kept
        assert petitions_settings.get("threshold") == 300
        db.session.rollback()
    profile["petitions"] = {"threshold": "many"}
    with pytest.raises(ValueError, match="threshold: must be a whole number"):
        TenantConfig.model_validate(profile)
    profile["petitions"] = {"treshold": 5}
    with pytest.raises(ValueError, match="treshold: unknown setting"):
        TenantConfig.model_validate(profile)


def test_sections_switch_turns_a_feature_off_for_this_municipality_and_back(app, admin_client, poti):
    page = admin_client.get("/poti/admin/settings/features")
    assert page.status_code == 200
    [box] = re.findall(r'<input[^>]*value="sessions"[^>]*>', page.text)
    assert "checked" in box
    token = csrf_token(page.text)
    response = admin_client.post("/poti/admin/settings/features",
                                 data={"csrf_token": token,
                                       "on": ["news", "petitions", "letters", "surveys",
                                              "municipal_services", "projects", "consultations", "documents",
                                              "satisfaction", "grants", "tour",
                                              "subscriptions"]})
    assert response.status_code == 303
    assert not get_directory(app).by_slug("poti").has_feature("sessions")
    assert get_directory(app).by_slug("abasha").has_feature("sessions")
    assert admin_client.get("/poti/sessions/").status_code == 404
    assert "/poti/admin/sessions/" not in admin_client.get("/poti/admin/").text
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "features.updated")).scalar_one()
    assert entry.before == {"off": []} and entry.after == {"off": ["sessions"]}
    back = admin_client.post("/poti/admin/settings/features",
                             data={"csrf_token": token,
                                   "on": ["sessions", "news", "petitions", "letters", "surveys",
                                          "municipal_services", "projects", "consultations", "documents",
                                          "satisfaction", "grants", "tour",
                                          "subscriptions"]})
    assert back.status_code == 303
    assert get_directory(app).by_slug("poti").has_feature("sessions")
    assert admin_client.get("/poti/sessions/").status_code == 200


def test_a_feature_switched_off_has_no_settings_tab(app, admin_client, poti):
    from portal.tenancy.settings import profile_settings

    with app.app_context():
        profile_settings.set_many({"features.off": ["petitions"]}, tenant_id=poti.id)
        db.session.commit()
    get_directory(app).invalidate()
    assert admin_client.get(PAGE).status_code == 404
    assert f'href="{PAGE}"' not in admin_client.get("/poti/admin/settings").text
    assert admin_client.get("/abasha/admin/settings/petitions").status_code in (403, 404)
