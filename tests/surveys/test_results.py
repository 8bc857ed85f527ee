"""Results: live for staff, public once published (charts drawn as SVG on the server, each
with its table), the filter by an answer, the CSV export (a logged read), the printable
report; a quick poll answered in place with htmx or by a full post, on the home page and in
a news article."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from portal.blueprints.surveys import results
from portal.blueprints.surveys.models import Survey
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.surveys.factories import make_survey

QUESTIONS = (("single", "გიყვართ ზღვა?", "დიახ | Yes\nარა | No"),
             ("rating", "შეაფასეთ სანაპირო", ""),
             ("unit", "სად ცხოვრობთ?", ""),
             ("ranking", "დაალაგეთ", "გზები | Roads\nპარკები | Parks"),
             ("long_text", "კომენტარი", ""))


def _answer(app, tenant, survey_id, values: dict) -> None:
    from portal.blueprints.surveys import answering

    with app.test_request_context(), tenant_context(tenant):
        survey = db.session.get(Survey, survey_id)
        answering.submit(survey, values, respondent=f"test:{values}")
        db.session.commit()


def seeded(app, tenant, *, public=True) -> dict:
    made = make_survey(app, tenant, questions=QUESTIONS, results_public=public)
    q1, q2, q3, q4, q5 = made["questions"]
    for yes, rating, unit, first, text in (("o1", "5", "ცენტრი", "o1", "კარგია"), ("o1", "4", "ცენტრი", "o2", "="),
                                           ("o2", "2", "ნაბადა", "o1", "ცუდია")):
        _answer(app, tenant, made["survey"], {q1: yes, q2: rating, q3: unit,
                                              q4: {first: 1, ("o2" if first == "o1" else "o1"): 2}, q5: text})
    return made


def test_the_counts_shares_means_and_units(app, poti):
    made = seeded(app, poti)
    q1, q2, q3, q4, _q5 = made["questions"]
    with app.test_request_context(), tenant_context(poti):
        survey = db.session.get(Survey, made["survey"])
        found = results.compute(survey)
        assert found.respondents == 3
        by_id = {r.question.id: r for r in found.questions}
        assert [(o.value, o.count, o.percent) for o in by_id[q1].options] == [("o1", 2, 66.7), ("o2", 1, 33.3)]
        assert by_id[q2].mean == 3.67 and by_id[q2].median == 4
        centre = next(u for u in by_id[q2].by_unit if u.unit["ka"] == "ცენტრი")
        assert centre.answered == 2 and centre.mean == 4.5 and centre.counts == [0, 0, 0, 1, 1]
        assert [(k.value, k.mean_rank) for k in by_id[q4].ranks] == [("o1", 1.33), ("o2", 1.67)]
        only_yes = results.compute(survey, results.parse_filter(survey, f"{q1}:o1"))
        assert only_yes.respondents == 2
        assert results.parse_filter(survey, f"{q1}:nope") is None and results.parse_filter(survey, "x:y") is None
        assert {o.value: o.count for o in only_yes.questions[2].options}["ნაბადა"] == 0


def test_public_results_are_svg_charts_with_tables_and_no_texts(app, client, poti):
    made = seeded(app, poti)
    q1 = made["questions"][0]
    page = client.get(f"/poti/surveys/{made['survey']}/results")
    assert page.status_code == 200
    html = page.text
    assert html.count('<svg class="chart chart-bars"') == 3 and html.count('<svg class="chart chart-stacked"') == 2
    assert 'role="img"' in html and "<table class=\"table result-table\"" in html
    assert "კარგია" not in html  # written answers are not published
    filtered = client.get(f"/poti/surveys/{made['survey']}/results?filter={q1}:o2", headers=HTMX)
    assert filtered.status_code == 200 and "<html" not in filtered.text and 'id="survey-results"' in filtered.text
    assert client.get(f"/poti/surveys/{made['survey']}/results?filter=' OR 1=1").status_code == 200
    hidden = seeded(app, poti, public=False)
    assert client.get(f"/poti/surveys/{hidden['survey']}/results").status_code == 404
    assert client.get(f"/abasha/surveys/{made['survey']}/results").status_code == 404


def test_staff_see_live_results_texts_report_and_export(app, poti, poti_editor):
    made = seeded(app, poti, public=False)
    base = f"/poti/admin/surveys/{made['survey']}"
    live = poti_editor.get(f"{base}/results")
    assert live.status_code == 200 and "კარგია" in live.text
    report = poti_editor.get(f"{base}/report")
    assert report.status_code == 200 and "chart-stacked" in report.text
    export = poti_editor.get(f"{base}/results.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert rows[0][0].startswith("Exported by editor-en@poti.example.org")
    assert rows[1][3] == "გიყვართ ზღვა?" and len(rows) == 5
    assert "'=" in [cell for row in rows for cell in row]  # a formula is quoted
    assert any("1. " in cell for cell in rows[2])  # a ranking: places and items
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "read.survey_answers")).all()
    # publish: the public page appears
    from tests.surveys.conftest import post
    assert post(poti_editor, f"{base}/publication", {"public": "1"}, form_page=base).status_code == 303
    assert app.test_client().get(f"/poti/surveys/{made['survey']}/results").status_code == 200


def _poll(app, tenant, **values) -> dict:
    return make_survey(app, tenant, kind="poll", title="სკვერი", on_home=True,
                       questions=(("single", "რომელი სკვერი?", "თეატრის | Theatre\nკოლხეთის | Kolkheti"),),
                       **values)


def test_a_quick_poll_on_the_home_page_answered_in_place(app, client, poti):
    made = _poll(app, poti)
    q = made["questions"][0]
    home = client.get("/poti/")
    assert f'id="poll-{made["survey"]}"' in home.text and "რომელი სკვერი?" in home.text
    token = csrf_token(home.text)
    vote = f"/poti/surveys/{made['survey']}/vote"
    empty = client.post(vote, data={"csrf_token": token}, headers=HTMX)
    assert empty.status_code == 422 and "<html" not in empty.text and "უპასუხეთ ამ კითხვას." in empty.text
    done = client.post(vote, data={"csrf_token": token, f"q{q}": "o2"}, headers=HTMX)
    assert done.status_code == 200 and "<html" not in done.text
    assert "poll-results" in done.text and "100" in done.text
    again = client.post(vote, data={"csrf_token": token, f"q{q}": "o1"}, headers=HTMX)
    assert again.status_code == 200  # counted once: the results answer it
    with app.app_context(), tenant_context(poti):
        survey = db.session.get(Survey, made["survey"])
        assert results.compute(survey).respondents == 1


def test_a_quick_poll_without_javascript_and_in_a_news_article(app, poti, abasha):
    made = _poll(app, poti)
    q = made["questions"][0]
    visitor = app.test_client()
    page = visitor.get(f"/poti/surveys/{made['survey']}")
    done = visitor.post(f"/poti/surveys/{made['survey']}/vote", data={"csrf_token": csrf_token(page.text),
                                                                      f"q{q}": "o1"})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/poti/surveys/{made['survey']}")
    assert "გმადლობთ" in visitor.get(done.headers["Location"]).text or "poll-results" in visitor.get(
        done.headers["Location"]).text
    from tests.news.factories import make_item

    item = make_item(app, poti, body=f"<p>ტექსტი</p><p>[poll:{made['survey']}]</p>")
    article = app.test_client().get(f"/poti/news/{item}")
    assert f'id="poll-{made["survey"]}"' in article.text and "[poll:" not in article.text
    # another municipality's poll named in Abasha's article shows nothing
    theirs = make_item(app, abasha, body=f"<p>[poll:{made['survey']}]</p>")
    shown = app.test_client().get(f"/abasha/news/{theirs}")
    assert shown.status_code == 200 and "poll-" not in shown.text and "[poll:" not in shown.text


def test_a_yearly_survey_compares_with_the_year_before(app, client, poti):
    made = {}
    for year, rating, public in ((2020, "2", False), (2021, "4", True)):
        made[year] = make_survey(app, poti, questions=(("rating", "ქუჩების დასუფთავება", ""),),
                                 title=f"კვლევა {year}", results_public=public)
        with app.app_context(), tenant_context(poti):
            survey = db.session.get(Survey, made[year]["survey"])
            survey.template, survey.year = "city_satisfaction", year
            db.session.commit()
        _answer(app, poti, made[year]["survey"], {made[year]["questions"][0]: rating})
    client.set_cookie("lang", "en")
    url = f"/poti/surveys/{made[2021]['survey']}/results"
    assert "Compared with 2020" not in client.get(url).text  # 2020's results are staff-only
    with app.app_context(), tenant_context(poti):
        db.session.get(Survey, made[2020]["survey"]).results_public = True
        db.session.commit()
    page = client.get(url).text
    assert "Compared with 2020" in page and "+2.00" in page
