"""Demo surveys for ``flask demo load``, in Poti and Abasha: the city-wide satisfaction
surveys of 2020 and 2021 (closed, results published, a few hundred answers drawn from fixed
seeds so the numbers are plausible and the same on every load: 2021 a little better than
2020), one open survey with a condition, and a quick poll on the home page. Idempotent: a
survey is looked up by its title before it is made."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.surveys import building, yearly
from portal.blueprints.surveys.answering import is_shown, respondent_hash, rows
from portal.blueprints.surveys.building import answer_options, ordered_questions
from portal.blueprints.surveys.models import Survey, SurveyAnswer, SurveyResponse
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context

#: Answers per yearly survey: (municipality, year) → count.
RESPONDENTS = {("poti", 2020): 312, ("poti", 2021): 364, ("abasha", 2020): 118, ("abasha", 2021): 141}
#: The mean rating (1..5) of each city service, per year: lighting and parks got better.
MEANS = {2020: (3.1, 2.7, 2.3, 2.6, 2.9, 2.8), 2021: (3.3, 3.4, 2.5, 2.8, 3.0, 3.4)}

OPEN = {
    "poti": {"title": "ახალი სანაპირო ბულვარი: როგორ გამოიყენებდით?",
             "title_en": "The new seaside boulevard: how would you use it?",
             "intro": "დაგვეხმარეთ ბულვარის დაგეგმვაში. პასუხები ინახება ვინაობის გარეშე.",
             "intro_en": "Help us plan the boulevard. Answers are kept without identity."},
    "abasha": {"title": "ბიბლიოთეკის სამუშაო საათები", "title_en": "The library's opening hours",
               "intro": "როდის უნდა იყოს ბიბლიოთეკა ღია? პასუხები ინახება ვინაობის გარეშე.",
               "intro_en": "When should the library be open? Answers are kept without identity."},
}
POLLS = {
    "poti": ("რომელი სკვერი უნდა განახლდეს პირველად?", "Which square should be renewed first?",
             "თეატრის სკვერი | Theatre square\nკოლხეთის სკვერი | Kolkheti square\n"
             "ნაბადის სკვერი | Nabada square"),
    "abasha": ("რა უნდა გაკეთდეს ცენტრალურ პარკში?", "What should the central park get?",
               "ბავშვთა მოედანი | A playground\nსპორტული მოედანი | A sports ground\n"
               "მეტი სკამი და ჩრდილი | More benches and shade"),
}


def load_demo_surveys() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug in ("poti", "abasha"):
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            for year in (2020, 2021):
                if _exists(f"მოქალაქეთა კმაყოფილების კვლევა {year}"):
                    continue
                survey = yearly.create(year)
                survey.status, survey.results_public = "closed", True
                _answers(survey, RESPONDENTS[(slug, year)], random.Random(f"{slug}{year}"), year)
                made.append(survey.title)
            if not _exists(OPEN[slug]["title"]):
                made.append(_open_survey(slug).title)
            if not _exists(POLLS[slug][0]):
                made.append(_poll(slug).title)
            db.session.flush()
    return f"surveys: {len(made)} made"


def _exists(title: str) -> bool:
    return db.session.scalar(select(Survey.id).where(Survey.title == title)) is not None


def _open_survey(slug: str) -> Survey:
    survey = building.create_survey(kind="survey", access="anyone", **OPEN[slug],
                                    opens_at=utcnow() - timedelta(days=3),
                                    closes_at=utcnow() + timedelta(days=60))
    first = survey.sections[0]
    building.save_section(survey, first, title="თქვენ და ბულვარი" if slug == "poti" else "თქვენ და ბიბლიოთეკა",
                          title_en="You and the boulevard" if slug == "poti" else "You and the library")
    uses = building.save_question(
        survey, None, section_id=first.id, kind="single", is_required=True,
        options="დიახ, ხშირად | Yes, often\nზოგჯერ | Sometimes\nარა | No",
        text="ახლა დადიხართ სანაპიროზე?" if slug == "poti" else "დადიხართ ბიბლიოთეკაში?",
        text_en="Do you go to the seaside now?" if slug == "poti" else "Do you visit the library?")
    second = building.save_section(survey, None, title="დეტალები", title_en="Details")
    building.save_question(
        survey, None, section_id=second.id, kind="multiple", is_required=True,
        condition=[f"{uses.id}:o1", f"{uses.id}:o2"],
        options=("სეირნობა | Walking\nველოსიპედი | Cycling\nსპორტი | Sport\nკაფეები | Cafés"
                 if slug == "poti" else
                 "დილით | Mornings\nსაღამოს | Evenings\nშაბათს | Saturdays\nკვირას | Sundays"),
        text="რისთვის?" if slug == "poti" else "როდის მოგიხერხდებათ?",
        text_en="What for?" if slug == "poti" else "When would suit you?")
    building.save_question(
        survey, None, section_id=second.id, kind="single", is_required=True,
        condition=[f"{uses.id}:o3"],
        options="შორსაა | It is far\nდრო არ მაქვს | I have no time\nარ მაინტერესებს | Not interested",
        text="რატომ არა?", text_en="Why not?")
    building.save_question(survey, None, section_id=second.id, kind="rating", is_required=False,
                           text="რამდენად მნიშვნელოვანია ეს თქვენთვის?",
                           text_en="How much does it matter to you?", **yearly.SCALE)
    building.save_question(survey, None, section_id=second.id, kind="short_text",
                           text="თქვენი იდეა", text_en="Your idea")
    building.set_status(survey, "published")
    _answers(survey, 23 if slug == "poti" else 9, random.Random(f"open-{slug}"), 2021)
    return survey


def _poll(slug: str) -> Survey:
    text, text_en, options = POLLS[slug]
    survey = building.create_survey(kind="poll", title=text, title_en=text_en, access="anyone",
                                    on_home=True, opens_at=utcnow() - timedelta(days=1))
    building.save_question(survey, None, section_id=survey.sections[0].id, kind="single",
                           is_required=True, options=options, text=text, text_en=text_en)
    building.set_status(survey, "published")
    _answers(survey, 57 if slug == "poti" else 21, random.Random(f"poll-{slug}"), 2021)
    return survey


def _answers(survey: Survey, count: int, rng: random.Random, year: int) -> None:
    """``count`` responses drawn at random: ratings around the year's means, choices with
    uneven weights; the same for every load (the generator's seed)."""
    questions = ordered_questions(survey)
    rating_n = 0
    means = {}
    for q in questions:
        if q.kind == "rating":
            means[q.id] = MEANS[year][rating_n % len(MEANS[year])]
            rating_n += 1
    start = survey.opens_at or datetime(year, 10, 1, tzinfo=UTC)
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    for n in range(count):
        values: dict = {}
        for q in questions:
            if not is_shown(q, values):
                continue
            options = [o["value"] for o in answer_options(q)]
            if q.kind in ("single", "unit"):
                weights = [len(options) - i + (2 if q.kind == "unit" and i == 0 else 0)
                           for i in range(len(options))]
                values[q.id] = rng.choices(options, weights)[0]
            elif q.kind == "rating":
                value = round(rng.gauss(means[q.id], 1.0))
                values[q.id] = str(min(q.scale_max, max(q.scale_min, value)))
            elif q.kind == "multiple":
                picked = [o for o in options if rng.random() < 0.45] or [options[0]]
                values[q.id] = picked
            elif q.kind == "ranking":
                order = sorted(options, key=lambda o: rng.random() + 0.25 * options.index(o))
                values[q.id] = {o: i + 1 for i, o in enumerate(order)}
            elif q.kind == "long_text" and rng.random() < 0.08:
                values[q.id] = rng.choice(("მეტი განათება გვჭირდება.", "გზები შეაკეთეთ, გთხოვთ.",
                                           "მადლობა პარკისთვის!", "ავტობუსები უფრო ხშირად."))
        response = SurveyResponse(survey_id=survey.id, respondent_hash=respondent_hash(survey, f"demo:{n}"),
                                  locale="ka" if rng.random() < 0.9 else "en",
                                  submitted_at=min(utcnow(), start + timedelta(hours=rng.randint(1, 24 * 50))))
        db.session.add(response)
        db.session.flush()
        kinds = {q.id: q.kind for q in questions}
        for question_id, value in values.items():
            for row in rows(kinds[question_id], value):
                db.session.add(SurveyAnswer(response_id=response.id, question_id=question_id, **row))
    db.session.flush()
