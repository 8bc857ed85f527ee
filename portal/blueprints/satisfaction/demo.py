"""Demo satisfaction for ``flask demo load``: two years of invitations and answers in Poti and
Abasha (letters, petitions and services, by department), so the dashboard and the public summary
have something to show. Made-up history: subject ids are negative (no real letter, petition or
application has them), no contact is stored, nothing is queued. Idempotent: a municipality that
has any demo row is left as it is. Random but repeatable (a seed per municipality)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.blueprints.satisfaction.models import Invitation
from portal.extensions import db
from portal.tenancy import tenant_context

DEPARTMENTS = {
    "letter": ("ინფრასტრუქტურის სამსახური", "კეთილმოწყობის სამსახური", "საკრებულოს აპარატი"),
    "petition": ("საკრებულოს აპარატი",),
    "service": ("სოციალური სამსახური", "არქიტექტურის სამსახური", "ქონების მართვის სამსახური"),
}
#: Invitations a month per kind, and the mean rating, which rises a little in the second year.
VOLUME = {"letter": 10, "petition": 3, "service": 16}
MEAN = {"letter": 3.4, "petition": 3.0, "service": 3.9}
COMMENTS = (
    ("მოსამსახურე ძალიან თავაზიანი იყო, ყველაფერი სწრაფად მოგვარდა.", "approved"),
    ("პასუხი დაგვიანდა, მაგრამ საბოლოოდ პრობლემა გადაიჭრა.", "approved"),
    ("ონლაინ ჩაწერა მოსახერხებელია, რიგში აღარ ვდგავარ.", "approved"),
    ("საბუთების სია წინასწარ უფრო ნათლად უნდა ეწეროს.", "new"),
    ("პასუხი ზოგადი იყო, ჩემს კითხვას არ ეხებოდა.", "new"),
    ("ტელეფონზე ვერავის დავუკავშირდი.", "hidden"),
    ("ქუჩა ორ დღეში შეაკეთეს, მადლობა.", "approved"),
    ("პეტიცია საკრებულომ განიხილა, თუმცა გადაწყვეტილება არ გამოქვეყნებულა დროულად.", "approved"),
    ("ცნობა იმავე დღეს მივიღე.", "approved"),
    ("ოპერატორმა ყველაფერი დეტალურად ამიხსნა.", "new"),
    ("მეორედ მომიწია მისვლა ერთი საბუთის გამო.", "new"),
)


def load_demo_satisfaction() -> str:
    from flask import current_app
    from sqlalchemy import func

    from portal.tenancy import get_directory

    made = []
    # Both looked up before anything is written: the directory may read through a connection
    # of its own, which SQLite would keep waiting behind this one's writes.
    directory = get_directory(current_app)
    for slug, tenant in [(slug, directory.by_slug(slug)) for slug in ("poti", "abasha")]:
        if tenant is None:
            continue
        with tenant_context(tenant):
            if db.session.scalar(select(Invitation.id).where(Invitation.subject_id < 0).limit(1)) is None:
                _history(random.Random(f"satisfaction:{slug}"))
                db.session.flush()
            made.append(f"{slug}: {db.session.scalar(select(func.count(Invitation.id)))}")
    return "satisfaction: " + ", ".join(made)


def _history(rng: random.Random) -> None:
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    start = today.replace(year=today.year - 1, month=1, day=1)  # last year and this one
    number = 0
    day = start
    while day < today - timedelta(days=3):
        second_year = day >= today - timedelta(days=365)
        for kind, volume in VOLUME.items():
            for _ in range(rng.randint(volume // 2, volume)):
                number += 1
                sent = day + timedelta(days=rng.randint(0, 27), hours=rng.randint(0, 8))
                if sent >= today:
                    continue
                row = Invitation(kind=kind, subject_id=-number, department=rng.choice(DEPARTMENTS[kind]),
                                 channel="email" if rng.random() < 0.8 else "sms",
                                 contact_hash=f"demo{number}", locale="ka", status="sent",
                                 created_at=sent, sent_at=sent, expires_at=sent + timedelta(days=60))
                if rng.random() < (0.52 if second_year else 0.41):
                    mean = MEAN[kind] + (0.35 if second_year else 0)
                    row.rating = max(1, min(5, round(rng.gauss(mean, 1.0))))
                    row.answered_at = sent + timedelta(hours=rng.randint(1, 96))
                    if rng.random() < 0.12:
                        row.comment, row.comment_state = rng.choice(COMMENTS)
                db.session.add(row)
        day = (day + timedelta(days=32)).replace(day=1)
