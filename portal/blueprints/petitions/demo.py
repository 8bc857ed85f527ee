"""Demo petitions for ``flask demo load``: in each municipality two collecting (with confirmed
signatures), one decided, one rejected, all by a demo author whose details are complete and
confirmed (``identity.py``). Idempotent: a petition is looked up by its title before it is
made. Demo personal numbers start with 00 (no real person has one)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update

from portal.blueprints.petitions import counting, lifecycle, personal_numbers, voters
from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.models import AuthorProfile, Petition, Signature
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context

#: Registered voters on a date (Abasha's as the municipality published it).
VOTERS = {"poti": (36_874, date(2022, 6, 21)), "abasha": (20_013, date(2022, 6, 21))}
FIRST_NAMES = ("ნინო", "გიორგი", "თამარ", "ლევან", "მაია", "დავით", "ეკა", "ზურაბ", "ნატო", "ირაკლი")
#: The demo author of each municipality's petitions: (first name, last name, e-mail, phone).
AUTHORS = {"poti": ("მარიამ", "ჟვანია", "demo-author@poti.example.ge", "+995555000101"),
           "abasha": ("ლევან", "გოგუა", "demo-author@abasha.example.ge", "+995555000102")}
LAST_NAMES = ("ბერიძე", "ქობალია", "ჟვანია", "ხუბუა", "გოგუა", "ჩიქოვანი", "კვარაცხელია")

# (title, text, requested action, form, fate, confirmed signatures, days since publishing)
PETITIONS = {
    "poti": [
        ("ველობილიკი სანაპიროზე", "ფოთის სანაპიროზე ველოსიპედისტები და ფეხით მოსიარულეები ერთ "
         "ვიწრო ბილიკზე გადაადგილდებიან.\n\nგთხოვთ, მოეწყოს ცალკე ველობილიკი.",
         "საკრებულომ განიხილოს ველობილიკის მოწყობა 2027 წლის ბიუჯეტში.", "request_to_discuss",
         "collecting", 14, 3),
        ("ღამის განათება კუნძულის ქუჩებში", "კუნძულის რამდენიმე ქუჩა ღამით განათების გარეშეა.",
         "საკრებულომ დაავალოს მერიას განათების აღდგენა.", "principles", "collecting", 6, 12),
        ("საბავშვო მოედანი ნაბადაში", "ნაბადაში არ არის საბავშვო მოედანი.",
         "საკრებულომ მიიღოს დადგენილება მოედნის მოწყობის შესახებ.", "draft_resolution",
         "decided", 3, 40),
        ("ყველა ქუჩის სახელის შეცვლა", "ქუჩებს ახალი სახელები სჭირდება.",
         "შეიცვალოს ყველა ქუჩის სახელი.", "request_to_discuss", "rejected", 0, 20),
    ],
    "abasha": [
        ("სასმელი წყლის გრაფიკი სოფლებში", "აბაშის სოფლებში წყალი მხოლოდ დილით მოდის.\n\n"
         "მოსახლეობა ითხოვს გრაფიკის გამოქვეყნებას.",
         "საკრებულომ მოისმინოს წყალმომარაგების კომპანიის ანგარიში.", "request_to_discuss",
         "collecting", 11, 5),
        ("ავტობუსი აბაშა–ქუთაისი", "აბაშიდან ქუთაისამდე პირდაპირი ავტობუსი აღარ დადის.",
         "საკრებულომ განიხილოს ხაზის აღდგენა.", "principles", "collecting", 4, 9),
        ("ბიბლიოთეკის სამუშაო საათები", "ბიბლიოთეკა შაბათს დაკეტილია.",
         "საკრებულომ მიიღოს დადგენილება შაბათის სამუშაო საათებზე.", "draft_resolution",
         "decided", 2, 45),
        ("მეზობლის ღობის აღება", "მეზობლის ღობე ჩემს ეზოშია.", "აიღონ ღობე.",
         "request_to_discuss", "rejected", 0, 15),
    ],
}


def load_demo_petitions() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug, rows in PETITIONS.items():
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            if voters.newest() is None:
                voters.set_voter_count(*VOTERS[slug])
            author_id = _author(slug)
            for offset, row in enumerate(rows):
                _petition(slug, offset, *row)
            db.session.execute(update(Petition).where(Petition.author_id.is_(None))
                               .values(author_id=author_id))
            counting.count_confirmed()
            total = db.session.scalar(select(func.count(Petition.id)))
            made.append(f"{slug}: {total}")
    return "petitions: " + ", ".join(made)


def _author(slug: str) -> int:
    """The demo author's account and confirmed details (made once); their user id."""
    from portal.blueprints.accounts.services import citizen_for_email

    first, last, email, phone = AUTHORS[slug]
    user = citizen_for_email(email)
    user.name = user.name or f"{first} {last}"
    exists = db.session.scalar(select(AuthorProfile.id).where(AuthorProfile.user_id == user.id))
    if exists is None:
        number = f"00{len(slug)}99{user.id:06d}"[:11]
        now = utcnow()
        db.session.add(AuthorProfile(
            user_id=user.id, first_name=first, last_name=last, birth_date=date(1985, 3, 14),
            personal_number_hash=personal_numbers.fingerprint(number), personal_number=number,
            phone=phone, email_confirmed_at=now, phone_confirmed_at=now))
        db.session.flush()
    return user.id


def _petition(slug, offset, title, text, action, form, fate, signatures, age_days) -> None:
    if db.session.scalar(select(Petition.id).where(Petition.title == title)) is not None:
        return
    published = utcnow() - timedelta(days=age_days)
    petition = Petition(title=title, text=text, requested_action=action, form=form)
    db.session.add(petition)
    db.session.flush()
    lifecycle.move(petition, "moderation", now=published - timedelta(days=1), notify=False)
    if fate == "rejected":
        lifecycle.reject(petition, "outside_competence" if slug == "poti" else "personal_data",
                         note="", now=published, notify=False)
        return
    lifecycle.publish(petition, now=published, notify=False)
    for n in range(signatures):
        _signature(petition, slug, offset, n, published + timedelta(hours=n + 1))
    if fate == "decided":
        counting.count_confirmed()
        db.session.refresh(petition)
        lifecycle.move(petition, "submitted", now=published + timedelta(days=7), notify=False)
        lifecycle.move(petition, "decided", now=published + timedelta(days=21), notify=False,
                       note="საკრებულომ მხარი დაუჭირა; სამუშაოები დაიწყება მომავალ წელს.")


def _signature(petition, slug, offset, n, at) -> None:
    number = f"00{len(slug)}{offset}{n:07d}"
    name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n + offset) % len(LAST_NAMES)]}"
    email = f"demo{offset}{n}@example.ge"
    db.session.add(Signature(
        petition_id=petition.id, full_name=name,
        personal_number_hash=personal_numbers.fingerprint(number), personal_number=number,
        email=email, email_normalised=normalise_email(email), has_consent=True,
        created_at=at, confirmed_at=at))
    db.session.flush()
