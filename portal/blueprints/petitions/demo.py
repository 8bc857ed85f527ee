"""Demo petitions for ``flask demo load``: in each municipality two collecting (with confirmed
signatures spread over the days since publishing, signers naming the municipality's units or
none), one decided, one rejected, all by a demo author whose details are complete and
confirmed (``identity.py``); Poti's first petition has a verification sample, wholly marked,
so its page shows every section. Idempotent: a petition is looked up by its title before it is
made. Demo personal numbers start with 00 (no real person has one)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, update

from portal.blueprints.petitions import (
    counting,
    lifecycle,
    personal_numbers,
    sakrebulo,
    verification,
    voters,
)
from portal.blueprints.petitions.addresses import normalise_email
from portal.blueprints.petitions.models import AuthorProfile, Petition, Signature
from portal.blueprints.sessions import links
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import current_tenant, tenant_context

#: Registered voters on a date (Abasha's as the municipality published it).
VOTERS = {"poti": (36_874, date(2022, 6, 21)), "abasha": (20_013, date(2022, 6, 21))}
#: Poti's first petition: (share of signatures drawn, seed, how many of them are invalid).
SAMPLE = {("poti", 0): (0.5, 2026, 1)}
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
            if slug in DISCUSSED:
                _discussed(slug, len(rows), *DISCUSSED[slug])
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
    # Collecting: spread over the days since publishing; decided: all before submission.
    step = (age_days * 24 - 2) / max(1, signatures) if fate == "collecting" else 1
    for n in range(signatures):
        _signature(petition, slug, offset, n, published + timedelta(hours=1 + n * step))
    if (slug, offset) in SAMPLE:
        _sample(petition, *SAMPLE[slug, offset])
    if fate == "decided":
        counting.count_confirmed()
        db.session.refresh(petition)
        lifecycle.move(petition, "submitted", now=published + timedelta(days=7), notify=False)
        lifecycle.move(petition, "decided", now=published + timedelta(days=21), notify=False,
                       note="საკრებულომ მხარი დაუჭირა; სამუშაოები დაიწყება მომავალ წელს.")


def _sample(petition, share: float, seed: int, invalid: int) -> None:
    """The clerk's sample, drawn and marked: the first ``invalid`` found invalid."""
    chosen = verification.draw_sample(petition, share, seed=seed)
    # The draw is a bulk update: reload the rows, not the session's copies from before it.
    sampled = db.session.scalars(select(Signature).where(Signature.id.in_(chosen))
                                 .order_by(Signature.id)
                                 .execution_options(populate_existing=True)).all()
    for n, signature in enumerate(sampled):
        verification.mark(signature, "invalid" if n < invalid else "valid")


#: A petition decided at a session of the demo archive, with the moment of its recording where
#: it was discussed: (title, text, action, the session's title, words of the line, dates of
#: publishing, submission, the agenda and the decision, the decision).
DISCUSSED = {
    "poti": ("ბულვარის განათება", "ბულვარის ნაწილი საღამოობით ჩაბნელებულია და ფეხით "
             "მოსიარულეებისთვის სახიფათოა.\n\nგთხოვთ, ბულვარზე დამონტაჟდეს ახალი სანათები.",
             "საკრებულომ სანაპირო ზოლის კეთილმოწყობის საკითხთან ერთად განიხილოს ბულვარის განათება.",
             "საკრებულოს მე-14 სხდომა", "პეტიციის",
             (datetime(2025, 1, 14, 9, tzinfo=UTC), datetime(2025, 2, 13, 9, tzinfo=UTC),
              datetime(2025, 3, 3, 9, tzinfo=UTC), datetime(2025, 3, 14, 12, tzinfo=UTC)),
             "საკრებულომ ერთხმად დაუჭირა მხარი: ბულვარზე ახალი სანათები დამონტაჟდება "
             "სანაპირო ზოლის კეთილმოწყობის სამუშაოებთან ერთად."),
}


def _discussed(slug, offset, title, text, action, session_title, words, dates, decision) -> None:
    """The archive's session and line come through its public module; without the archive
    (its demo not loaded, or another session list) the petition stays submitted."""
    if db.session.scalar(select(Petition.id).where(Petition.title == title)) is not None:
        return
    session = next((s for s in links.session_choices() if s.title == session_title), None)
    line = next((ln for ln in links.transcript_lines(session.id) if words in ln.text),
                None) if session else None
    published, submitted, on_agenda, decided = dates
    petition = Petition(title=title, text=text, requested_action=action, form="principles")
    db.session.add(petition)
    db.session.flush()
    lifecycle.move(petition, "moderation", now=published - timedelta(days=1), notify=False)
    lifecycle.publish(petition, now=published, notify=False)
    for n in range(12):
        _signature(petition, slug, offset, n, published + timedelta(hours=n + 1))
    counting.count_confirmed()
    db.session.refresh(petition)
    lifecycle.move(petition, "submitted", now=submitted, notify=False)
    if session is None:
        return
    sakrebulo.put_on_agenda(petition, session.id, now=on_agenda, notify=False)
    sakrebulo.record_decision(petition, decision, session_id=session.id,
                              segment_id=line.id if line else None, now=decided, notify=False)


def _signature(petition, slug, offset, n, at) -> None:
    number = f"00{len(slug)}{offset}{n:07d}"
    units = [u.ka for u in current_tenant.config.facts.units]
    # Most signers name a unit, every (units + 1)-th names none.
    unit = (units + [""])[(n * 3 + offset) % (len(units) + 1)] if units else ""
    name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n + offset) % len(LAST_NAMES)]}"
    email = f"demo{offset}{n}@example.ge"
    db.session.add(Signature(
        petition_id=petition.id, full_name=name,
        personal_number_hash=personal_numbers.fingerprint(number), personal_number=number,
        email=email, email_normalised=normalise_email(email), has_consent=True, unit=unit,
        created_at=at, confirmed_at=at))
    db.session.flush()
