"""Demo small grants for ``flask demo load``: Poti's 2025 competition, announced, with 23
funded projects for 80,000 EUR (2,000-5,000 EUR each, as the municipality reported) and two
not funded, some with reports; and an open call in Poti and in Abasha. Idempotent: a
competition is looked up by its Georgian title. No e-mail is queued."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from portal.blueprints.grants.models import (
    GrantApplication,
    GrantBudgetLine,
    GrantCompetition,
    GrantCriterion,
    GrantReport,
    GrantSpendingLine,
)
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local, to_utc
from portal.tenancy import tenant_context

CRITERIA = (
    (30, "პროექტის აქტუალობა და საზოგადოებრივი სარგებელი", "Relevance and public benefit"),
    (25, "აქტივობების და ვადების რეალისტურობა", "Feasibility of activities and timeline"),
    (25, "ბიუჯეტის დასაბუთებულობა", "Soundness of the budget"),
    (20, "განმცხადებლის გამოცდილება", "The applicant's experience"),
)

#: (organisation, kind, project title, amount in EUR) of Poti's 2025 winners: 23, 80,000 EUR.
POTI_2025 = (
    ("ასოციაცია „ფოთის ახალგაზრდული ცენტრი“", "ngo", "ახალგაზრდული დებატების კლუბი", 5000),
    ("ა(ა)იპ „კოლხეთის მწვანე ქსელი“", "ngo", "პალიასტომის ტბის სანაპიროს დასუფთავება", 5000),
    ("ა(ა)იპ „შშმ პირთა უფლებების ცენტრი“", "ngo", "ადაპტირებული სპორტული დარბაზი", 5000),
    ("ა(ა)იპ „ფოთის კულტურული მემკვიდრეობა“", "ngo", "ფოთის ისტორიის ციფრული არქივი", 5000),
    ("ა(ა)იპ „ქალთა ინიციატივა ფოთში“", "ngo", "ქალთა მეწარმეობის სკოლა", 4000),
    ("ა(ა)იპ „ზღვისპირა ეკოკლუბი“", "ngo", "ეკოლოგიური ბანაკი სკოლის მოსწავლეებისთვის", 4000),
    ("საინიციატივო ჯგუფი „მალთაყვის მეზობლები“", "group", "მალთაყვის ეზოს სათამაშო მოედანი", 4000),
    ("ა(ა)იპ „ციფრული განათლება ყველასთვის“", "ngo", "ხანდაზმულთა კომპიუტერული წრე", 4000),
    ("ა(ა)იპ „ფოთის მუსიკალური საზოგადოება“", "ngo", "ქუჩის მუსიკის ზაფხულის ფესტივალი", 4000),
    ("ა(ა)იპ „კოლხური ხელნაკეთობები“", "ngo", "ტრადიციული ხელსაქმის სახელოსნო", 3500),
    ("საინიციატივო ჯგუფი „ნაბადის ბიბლიოთეკის მეგობრები“", "group", "საბავშვო კითხვის კუთხე ნაბადაში", 3500),
    ("ა(ა)იპ „ჯანსაღი ცხოვრების წესი“", "ngo", "სირბილის კლუბი სანაპიროზე", 3500),
    ("ა(ა)იპ „ფოთის თეატრალური სტუდია“", "ngo", "მოზარდთა თეატრალური სპექტაკლი", 3500),
    ("ა(ა)იპ „მეთევზეთა ასოციაცია“", "ngo", "რიონის შესართავის თევზის მარაგის კვლევა", 3000),
    ("საინიციატივო ჯგუფი „კუნძულის ახალგაზრდები“", "group", "კუნძულის სპორტული ტურნირი", 3000),
    ("ა(ა)იპ „სამოქალაქო ჩართულობის ცენტრი“", "ngo", "საკრებულოს სხდომების მონიტორინგი", 3000),
    ("ა(ა)იპ „ფოთის ფოტოკლუბი“", "ngo", "ფოტოგამოფენა „ჩემი ფოთი“", 3000),
    ("ა(ა)იპ „ცხოველთა დაცვის კავშირი“", "ngo", "მიუსაფარი ცხოველების სტერილიზაციის კამპანია", 2500),
    ("ა(ა)იპ „ინკლუზიური განათლება“", "ngo", "ჟესტური ენის კურსი მშობლებისთვის", 2500),
    ("საინიციატივო ჯგუფი „ცენტრის ეზოები“", "group", "ეზოების გამწვანება ცენტრში", 2500),
    ("ა(ა)იპ „ტურიზმის განვითარების ფონდი“", "ngo", "კოლხეთის ეროვნული პარკის ბილიკების რუკა", 2500),
    ("ა(ა)იპ „ვეტერანთა კავშირი“", "ngo", "ვეტერანთა მოგონებების ჩაწერა", 2000),
    ("საინიციატივო ჯგუფი „ჭადრაკის მოყვარულები“", "group", "საბავშვო ჭადრაკის ტურნირი", 2000),
)
NOT_FUNDED = (
    ("ა(ა)იპ „ახალი იდეები“", "ngo", "მობილური აპლიკაცია ტურისტებისთვის", 4500_00),
    ("საინიციატივო ჯგუფი „ნაბადის ქუჩა“", "group", "ქუჩის მხატვრობა", 2500_00),
)


def load_demo_grants() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    # Both looked up before anything is written: the directory reads in a session of its own,
    # which on SQLite would wait for this one's write lock.
    directory = get_directory(current_app)
    for slug, tenant in [(slug, directory.by_slug(slug)) for slug in ("poti", "abasha")]:
        if tenant is None:
            continue
        with tenant_context(tenant):
            if slug == "poti":
                _poti_2025()
                _open_call("მცირე გრანტების კონკურსი 2026", "Small grants competition 2026",
                           "EUR", 80_000, 2_000, 5_000)
            else:
                _open_call("აბაშის მცირე გრანტები 2026", "Abasha small grants 2026",
                           "GEL", 30_000, 1_000, 3_000)
            made.append(f"{slug}: {db.session.scalar(select(func.count(GrantCompetition.id)))}")
    return "grants: " + ", ".join(made)


def _competition(title_ka, title_en, aims_ka, aims_en, currency, total, low, high, opens: date,
                 deadline: datetime, **values) -> GrantCompetition | None:
    if db.session.scalar(select(GrantCompetition.id).where(GrantCompetition.title_ka == title_ka)):
        return None
    competition = GrantCompetition(
        title_ka=title_ka, title_en=title_en, aims_ka=aims_ka, aims_en=aims_en, currency=currency,
        total_budget=total * 100, min_amount=low * 100, max_amount=high * 100,
        call_opens_on=opens, deadline_at=to_utc(deadline),
        evaluation_until=deadline.date() + timedelta(days=30),
        results_on=deadline.date() + timedelta(days=45), **values)
    for i, (weight, ka, en) in enumerate(CRITERIA):
        competition.criteria.append(GrantCriterion(position=i, weight=weight, name_ka=ka, name_en=en))
    db.session.add(competition)
    db.session.flush()
    return competition


AIMS_KA = ("კონკურსი აფინანსებს არასამთავრობო ორგანიზაციებისა და საინიციატივო ჯგუფების "
           "პროექტებს განათლების, კულტურის, სპორტის, გარემოს დაცვისა და სოციალური "
           "ინკლუზიის სფეროებში.\n\nპროექტი უნდა განხორციელდეს მუნიციპალიტეტის ტერიტორიაზე "
           "და მოემსახუროს მის მცხოვრებლებს.")
AIMS_EN = ("The competition funds projects of NGOs and initiative groups in education, culture, "
           "sport, the environment and social inclusion.\n\nProjects take place in the "
           "municipality and serve its residents.")


def _poti_2025() -> None:
    competition = _competition(
        "მცირე გრანტების კონკურსი 2025", "Small grants competition 2025", AIMS_KA, AIMS_EN,
        "EUR", 80_000, 2_000, 5_000, date(2025, 3, 1), datetime(2025, 4, 15, 18, 0))
    if competition is None:
        return
    submitted = to_utc(datetime(2025, 4, 10, 12, 0))
    announced = to_utc(datetime(2025, 6, 1, 11, 0))
    competition.announced_at = announced
    for n, (organisation, kind, title, eur) in enumerate(POTI_2025):
        application = _application(competition, n, organisation, kind, title, eur * 100, submitted,
                                   status="funded", awarded_amount=eur * 100, decided_at=announced)
        if n < 4:
            report = GrantReport(application_id=application.id, kind="final",
                                 submitted_at=announced + timedelta(days=120),
                                 text=f"პროექტი „{title}“ დასრულდა. ჩატარდა ყველა დაგეგმილი "
                                      "აქტივობა; მონაწილეობა მიიღო 120-მა ადამიანმა.")
            report.lines.append(GrantSpendingLine(position=0, item="მასალები", amount=eur * 60))
            report.lines.append(GrantSpendingLine(position=1, item="ტრენერების ანაზღაურება",
                                                  amount=eur * 40))
            db.session.add(report)
    for n, (organisation, kind, title, minor) in enumerate(NOT_FUNDED, start=len(POTI_2025)):
        _application(competition, n, organisation, kind, title, minor, submitted,
                     status="not_funded", decided_at=announced)
    db.session.flush()


def _application(competition, n, organisation, kind, title, minor, submitted, **values):
    application = GrantApplication(
        competition_id=competition.id, applicant_kind=kind, organisation=organisation,
        registration_number=f"40{n:07d}" if kind == "ngo" else "", contact_name="ნინო ბერიძე",
        email=f"grants{n}@example.ge", title=title,
        summary=f"„{title}“ — {organisation}-ის პროექტი ფოთის მცხოვრებლებისთვის.",
        description="პროექტის აღწერა.", target_groups="ახალგაზრდები, ოჯახები",
        activities="1-ლი თვე: მომზადება\n2-3 თვე: აქტივობები\n4-ე თვე: ანგარიში",
        requested_amount=minor, submitted_at=submitted, **values)
    db.session.add(application)
    db.session.flush()
    db.session.add(GrantBudgetLine(application_id=application.id, position=0,
                                   item="მასალები და აღჭურვილობა", amount=minor * 6 // 10))
    db.session.add(GrantBudgetLine(application_id=application.id, position=1,
                                   item="ტრენერებისა და ექსპერტების ანაზღაურება",
                                   amount=minor - minor * 6 // 10))
    return application


def _open_call(title_ka, title_en, currency, total, low, high) -> None:
    today = to_local(utcnow()).date()
    _competition(title_ka, title_en, AIMS_KA, AIMS_EN, currency, total, low, high,
                 today - timedelta(days=10),
                 datetime.combine(today + timedelta(days=30), time(18, 0)))
