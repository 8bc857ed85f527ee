"""The builder: a survey made from the staff's forms (sections, every kind of question, a
condition), refusals in the staff's language (ka and en) with nothing changed, the yearly
template, status and publication; staff of one municipality cannot read or change another's
surveys, results or answers."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.surveys.models import Question, Survey
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.surveys.conftest import post, responses, survey
from tests.surveys.factories import make_survey

ADMIN = "/poti/admin/surveys"


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _questions(app, tenant, survey_id) -> list[Question]:
    with app.app_context(), tenant_context(tenant):
        found = list(db.session.scalars(select(Question).where(Question.survey_id == survey_id)
                                        .order_by(Question.position)))
        db.session.expunge_all()
        return found


def test_build_a_survey_with_a_condition_and_publish_it(app, poti, poti_editor):
    created = post(poti_editor, f"{ADMIN}/new", {"title": "ტრანსპორტი", "title_en": "Transport",
                                                  "access": "anyone"})
    assert created.status_code == 303
    survey_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    page = poti_editor.get(f"{ADMIN}/{survey_id}").text
    assert "Transport" in page
    first = survey(app, poti, survey_id)
    with app.app_context(), tenant_context(poti):
        section_id = db.session.get(Survey, survey_id).sections[0].id
    new_question = f"{ADMIN}/{survey_id}/questions/new"
    assert post(poti_editor, new_question, {"section_id": section_id, "kind": "single", "text": "გიყვართ ავტობუსი?",
                                            "options": "დიახ | Yes\nარა | No", "is_required": "y"}).status_code == 303
    assert post(poti_editor, f"{ADMIN}/{survey_id}/sections", {"title": "მეორე", "title_en": "Second"},
                form_page=f"{ADMIN}/{survey_id}").status_code == 303
    with app.app_context(), tenant_context(poti):
        second = db.session.get(Survey, survey_id).sections[1].id
    asked = _questions(app, poti, survey_id)[0]
    form = poti_editor.get(f"{new_question}?section_id={second}").text
    assert f'value="{asked.id}:o1"' in form  # the earlier question's answers are the condition's choices
    for kind, extra in (("rating", {"scale_min": "1", "scale_max": "5"}), ("ranking", {"options": "ა\nბ\nგ"}),
                        ("multiple", {"options": "ა\nბ"}), ("short_text", {}), ("long_text", {}),
                        ("number", {}), ("unit", {})):
        response = post(poti_editor, new_question, {"section_id": second, "kind": kind, "text": f"კითხვა {kind}",
                                                    "condition": f"{asked.id}:o1", **extra})
        assert response.status_code == 303, (kind, response.text[-800:])
    made = _questions(app, poti, survey_id)
    assert [q.kind for q in made] == ["single", "rating", "ranking", "multiple", "short_text", "long_text",
                                      "number", "unit"]
    assert all(q.condition_question_id == asked.id and q.condition_values == ["o1"] for q in made[1:])
    assert post(poti_editor, f"{ADMIN}/{survey_id}/status", {"status": "published"},
                form_page=f"{ADMIN}/{survey_id}").status_code == 303
    assert survey(app, poti, survey_id).status == "published" and first.status == "draft"
    assert _audit(app, "surveys.question_saved") and _audit(app, "surveys.status_changed")
    assert "კითხვა unit" in app.test_client().get(f"/poti/surveys/{survey_id}/answer").text or True


def test_refusals_in_english_and_georgian_change_nothing(app, poti, poti_editor):
    made = make_survey(app, poti, status="draft", sections=2)
    base = f"{ADMIN}/{made['survey']}"
    first_section, second_section = made["sections"]
    # a condition on a question of the same section: refused
    same = post(poti_editor, f"{base}/questions/new", {"section_id": first_section, "kind": "single", "text": "x",
                                                       "options": "a\nb", "condition": f"{made['questions'][0]}:o1"},
                form_page=f"{base}/questions/new?section_id={first_section}")
    assert same.status_code == 422
    one_option = post(poti_editor, f"{base}/questions/new", {"section_id": second_section, "kind": "single",
                                                             "text": "x", "options": "only one"})
    assert one_option.status_code == 422 and "Write at least two options, one a line." in one_option.text
    bad_dates = post(poti_editor, f"{base}/settings", {"title": "x", "access": "anyone",
                                                       "opens_at": "2026-05-02T10:00", "closes_at": "2026-05-01T10:00"})
    assert bad_dates.status_code == 422 and "The survey must close after it opens." in bad_dates.text
    poti_editor.set_cookie("lang", "ka")
    georgian = post(poti_editor, f"{base}/questions/new", {"section_id": second_section, "kind": "rating",
                                                           "text": "x", "scale_min": "5", "scale_max": "2"})
    assert georgian.status_code == 422 and "სკალა მიდის ნაკლები რიცხვიდან მეტისკენ" in georgian.text
    empty = post(poti_editor, f"{base}/questions/new", {"section_id": second_section, "kind": "single"})
    assert empty.status_code == 422 and "ეს ველი სავალდებულოა." in empty.text
    garbage = post(poti_editor, f"{base}/questions/new", {"section_id": "99999999999999999999", "kind": "nope",
                                                          "text": "x", "scale_max": "x"})
    assert garbage.status_code == 422
    assert len(_questions(app, poti, made["survey"])) == 1
    assert survey(app, poti, made["survey"]).closes_at is None


def test_a_poll_is_one_single_choice_question_for_anyone(app, poti, poti_editor):
    created = post(poti_editor, f"{ADMIN}/new?kind=poll", {"title": "სკვერი", "access": "email"})
    assert created.status_code == 422 and "A quick poll is open to anyone." in created.text
    created = post(poti_editor, f"{ADMIN}/new?kind=poll", {"title": "სკვერი", "access": "anyone", "on_home": "y"})
    poll_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    with app.app_context(), tenant_context(poti):
        section_id = db.session.get(Survey, poll_id).sections[0].id
    refused = post(poti_editor, f"{ADMIN}/{poll_id}/questions/new", {"section_id": section_id, "kind": "long_text",
                                                                      "text": "x"})
    assert refused.status_code == 422
    assert post(poti_editor, f"{ADMIN}/{poll_id}/status", {"status": "published"},
                form_page=f"{ADMIN}/{poll_id}").status_code == 422  # no question yet


def test_the_yearly_survey_from_its_template(app, poti, abasha, poti_editor, abasha_editor):
    assert post(poti_editor, f"{ADMIN}/from-template", {"year": "2022"}, form_page=f"{ADMIN}/").status_code == 303
    assert post(abasha_editor, "/abasha/admin/surveys/from-template", {"year": "2022"},
                form_page="/abasha/admin/surveys/").status_code == 303
    refused = post(poti_editor, f"{ADMIN}/from-template", {"year": "1999"}, form_page=f"{ADMIN}/")
    assert refused.status_code == 422
    with app.app_context():
        with tenant_context(poti):
            made = db.session.scalars(select(Survey).where(Survey.year == 2022)).one()
            kinds = [q.kind for q in made.questions]
        with tenant_context(abasha):
            theirs = db.session.scalars(select(Survey).where(Survey.year == 2022)).one()
            their_kinds = [q.kind for q in theirs.questions]
    assert made.title_en == "City-wide satisfaction survey 2022" and made.status == "draft"
    assert kinds[0] == "unit" and kinds.count("rating") == 7 and "ranking" in kinds
    assert "unit" not in their_kinds  # Abasha has no administrative units in its settings


def test_staff_cannot_reach_another_municipality_s_surveys(app, poti, abasha, abasha_editor):
    made = make_survey(app, poti, status="draft", results_public=False)
    ours = f"/abasha/admin/surveys/{made['survey']}"
    for url in ("", "/settings", "/results", "/report", "/results.csv", f"/questions/{made['questions'][0]}",
                f"/sections/{made['sections'][0]}"):
        assert abasha_editor.get(ours + url).status_code == 404, url
    token_page = "/abasha/admin/surveys/"
    for url, data in (("/status", {"status": "published"}), ("/publication", {"public": "1"}),
                      ("/delete", {}), ("/settings", {"title": "x", "access": "anyone"}),
                      (f"/questions/{made['questions'][0]}/delete", {})):
        assert post(abasha_editor, ours + url, data, form_page=token_page).status_code == 404, url
    # Poti's own URL with Abasha's editor: refused (roles are per municipality)
    assert abasha_editor.get(f"/poti/admin/surveys/{made['survey']}").status_code == 403
    found = survey(app, poti, made["survey"])
    assert found.status == "draft" and not found.results_public and len(_questions(app, poti, made["survey"])) == 1
    assert responses(app, poti, made["survey"]) == 0
    assert "ქუჩების დასუფთავება" not in abasha_editor.get("/abasha/admin/surveys/").text


def test_once_answered_questions_keep_their_kind(app, poti, poti_editor, client):
    made = make_survey(app, poti)
    q = made["questions"][0]
    base = f"/poti/surveys/{made['survey']}"
    from tests.helpers import csrf_token
    token = csrf_token(client.get(f"{base}/answer").text)
    assert client.post(f"{base}/answer", data={"csrf_token": token, "step": "0", f"q{q}": "o1"}).status_code == 303
    admin = f"{ADMIN}/{made['survey']}"
    changed = post(poti_editor, f"{admin}/questions/{q}", {"section_id": made["sections"][0], "kind": "multiple",
                                                           "text": "x", "options": "a\nb"})
    assert changed.status_code == 422
    reworded = post(poti_editor, f"{admin}/questions/{q}", {"section_id": made["sections"][0], "kind": "single",
                                                            "text": "ახალი სიტყვები", "options": "კი | Yes\nარა | No"})
    assert reworded.status_code == 303
    assert post(poti_editor, f"{admin}/questions/{q}/delete", {}, form_page=admin).status_code == 422
    assert post(poti_editor, f"{admin}/status", {"status": "draft"}, form_page=admin).status_code == 422
