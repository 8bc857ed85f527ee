"""The yearly city-wide satisfaction survey, made from one template (the municipality ran it
in 2020 and 2021): where people live, city services rated 1-5, City Hall (its rating asked
only of those who contacted it), priorities ranked, and a word to the mayor. Made through
``building``'s verbs, so it is audited like any survey staff build by hand; the year's
results compare with the year before because the questions are the same."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.blueprints.surveys import building
from portal.blueprints.surveys.models import Survey

TEMPLATE = "city_satisfaction"
SCALE = {"low_label": "სრულიად უკმაყოფილო", "low_label_en": "Very dissatisfied",
         "high_label": "ძალიან კმაყოფილი", "high_label_en": "Very satisfied"}
SERVICES = (("ქუჩების დასუფთავება", "Street cleaning"), ("გარე განათება", "Street lighting"),
            ("გზები და ტროტუარები", "Roads and pavements"),
            ("საზოგადოებრივი ტრანსპორტი", "Public transport"), ("წყალმომარაგება", "Water supply"),
            ("პარკები და სკვერები", "Parks and squares"))
AGES = "18–29 | 18–29\n30–44 | 30–44\n45–64 | 45–64\n65+ | 65+"
YES_NO = "დიახ | Yes\nარა | No"
PRIORITIES = ("გზები | Roads\nწყალმომარაგება | Water supply\nგანათება | Lighting\n"
              "ტრანსპორტი | Transport\nპარკები | Parks")


def create(year: int, *, opens_at: datetime | None = None,
           closes_at: datetime | None = None) -> Survey:
    """A draft of the year's survey (its questions included); flushes, audited."""
    survey = building.create_survey(
        kind="survey", title=f"მოქალაქეთა კმაყოფილების კვლევა {year}",
        title_en=f"City-wide satisfaction survey {year}",
        intro=("ყოველწლიური კვლევა: როგორ აფასებთ ქალაქის მომსახურებას? პასუხები ინახება "
               "ვინაობის გარეშე და შედეგები ქვეყნდება."),
        intro_en=("The yearly survey: how do you rate the city's services? Answers are kept "
                  "without identity and the results are published."),
        access="anyone", opens_at=opens_at or datetime(year, 10, 1, 6, tzinfo=UTC),
        closes_at=closes_at or datetime(year, 11, 30, 19, 59, tzinfo=UTC))
    survey.template, survey.year = TEMPLATE, year
    about = survey.sections[0]
    building.save_section(survey, about, title="თქვენ შესახებ", title_en="About you")
    if building.units():
        building.save_question(survey, None, section_id=about.id, kind="unit", is_required=True,
                               text="სად ცხოვრობთ?", text_en="Where do you live?")
    building.save_question(survey, None, section_id=about.id, kind="single", options=AGES,
                           text="თქვენი ასაკი", text_en="Your age")
    services = building.save_section(survey, None, title="ქალაქის მომსახურება",
                                     title_en="The city's services",
                                     description="შეაფასეთ 1-დან 5-მდე.",
                                     description_en="Rate each from 1 to 5.")
    for ka, en in SERVICES:
        building.save_question(survey, None, section_id=services.id, kind="rating", is_required=True,
                               text=ka, text_en=en, **SCALE)
    contacted = building.save_question(
        survey, None, section_id=services.id, kind="single", is_required=True, options=YES_NO,
        text="გასულ წელს მიმართეთ თუ არა მერიას?", text_en="Did you contact City Hall in the past year?")
    hall = building.save_section(survey, None, title="მერია და პრიორიტეტები",
                                 title_en="City Hall and priorities")
    building.save_question(
        survey, None, section_id=hall.id, kind="rating", is_required=True,
        condition=[f"{contacted.id}:{contacted.options[0]['value']}"],
        text="რამდენად კმაყოფილი ხართ, როგორ განიხილა მერიამ თქვენი მიმართვა?",
        text_en="How satisfied are you with how City Hall handled your request?", **SCALE)
    building.save_question(survey, None, section_id=hall.id, kind="ranking", options=PRIORITIES,
                           text="დაალაგეთ, რა უნდა გაუმჯობესდეს პირველ რიგში",
                           text_en="Rank what should be improved first")
    building.save_question(survey, None, section_id=hall.id, kind="long_text",
                           text="კიდევ რას ეტყოდით მერს?", text_en="What else would you tell the mayor?")
    return survey
