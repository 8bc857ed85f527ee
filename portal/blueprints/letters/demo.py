"""Demo letters for ``flask demo load``: in Poti and Abasha, letters to the mayor and to the
Sakrebulo chair in every status, some answered and published, one overdue, some with the
writer's feedback. Idempotent: a letter is looked up by its subject before it is made. No
e-mail is queued; the tracking codes are thrown away (demo writers use example.ge)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.letters.models import Letter, LetterEvent
from portal.blueprints.letters.writing import code_hash, new_code
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local
from portal.services.working_days import Calendar
from portal.tenancy import tenant_context

# (recipient, name, unit, subject, text, status, days ago, days to answer, reply, publish, feedback)
LETTERS = {
    "poti": [
        ("mayor", "ნინო ბერიძე", "ცენტრი", "ქუჩის განათება რუსთაველის რკალზე",
         "რუსთაველის რკალზე სამი ლამპიონი ერთი თვეა არ ანათებს. გთხოვთ, შეაკეთოთ.",
         "answered", 40, 6, "ლამპიონები შეკეთდა 12 მარტს. მადლობა შეტყობინებისთვის.", True, "useful"),
        ("mayor", "გიორგი ქობალია", "კუნძული", "ნაგვის ურნები კუნძულზე",
         "კუნძულზე ნაგვის ურნები ყოველდღე არ იცლება.", "in_progress", 8, None, "", False, None),
        ("mayor", "თამარ ჟვანია", "ნაბადა", "ავტობუსის გაჩერება ნაბადაში",
         "ნაბადაში გაჩერებას ფარდული არ აქვს, წვიმაში ხალხი სველდება.", "received", 25, None, "",
         True, None),
        ("chair", "ლევან ხუბუა", "მალთაყვა", "საკრებულოს სხდომების დრო",
         "გთხოვთ, სხდომები საღამოს ჩატარდეს, რომ მომუშავე მოქალაქეებმაც შეძლონ დასწრება.",
         "answered", 30, 12, "საკითხი განიხილება მომდევნო სხდომაზე რეგლამენტის ცვლილებისას.", True,
         "acknowledgement"),
        ("chair", "მაია გოგუა", "ცენტრი", "სანაპიროს ბიუჯეტი", "რა თანხაა გათვალისწინებული სანაპიროსთვის?",
         "received", 2, None, "", False, None),
    ],
    "abasha": [
        ("mayor", "დავით ჩიქოვანი", "", "სასმელი წყალი სოფელ ნორიოში",
         "ნორიოში წყალი მხოლოდ დილით მოდის. როდის აღდგება მიწოდება?", "answered", 35, 9,
         "წყალმომარაგების კომპანიამ მილსადენი შეცვალა; მიწოდება აღდგა.", True, "useful"),
        ("mayor", "ეკა კვარაცხელია", "", "გზის შეკეთება", "ცენტრიდან სადგურამდე გზა დაზიანებულია.",
         "forwarded", 20, 4, "", False, "not_useful"),
        ("chair", "ზურაბ ბერიძე", "", "ბიბლიოთეკის შაბათის საათები",
         "გთხოვთ, ბიბლიოთეკა შაბათსაც იყოს ღია.", "in_progress", 4, None, "", True, None),
    ],
}


def load_demo_letters() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    for slug, rows in LETTERS.items():
        tenant = get_directory(current_app).by_slug(slug)
        if tenant is None:
            continue
        with tenant_context(tenant):
            calendar = Calendar.current()
            for n, row in enumerate(rows):
                _letter(calendar, slug, n, *row)
            made.append(f"{slug}: {db.session.scalar(select(func.count(Letter.id)))}")
    return "letters: " + ", ".join(made)


def _letter(calendar, slug, n, recipient, name, unit, subject, text, status, age_days, answer_days,
            reply, publish, feedback) -> None:
    if db.session.scalar(select(Letter.id).where(Letter.subject == subject)) is not None:
        return
    now = utcnow()
    received = now - timedelta(days=age_days)
    letter = Letter(recipient=recipient, tracking_hash=code_hash(new_code()), full_name=name,
                    email=f"{slug}.writer{n}@example.ge", unit=unit, subject=subject, text=text,
                    status=status, received_at=received, wants_publication=publish,
                    due_on=calendar.add(to_local(received).date(), 10))
    db.session.add(letter)
    db.session.flush()
    db.session.add(LetterEvent(letter_id=letter.id, kind="status", from_status=None,
                               to_status="received", occurred_at=received))
    if answer_days is not None:
        answered = received + timedelta(days=answer_days)
        letter.answered_at = letter.closed_at = answered
        if reply:
            letter.reply_text, letter.replied_at = reply, answered
            db.session.add(LetterEvent(letter_id=letter.id, kind="reply", text=reply, occurred_at=answered))
        if status == "forwarded":
            letter.forwarded_to = "საქართველოს საავტომობილო გზების დეპარტამენტი"
        db.session.add(LetterEvent(letter_id=letter.id, kind="status", from_status="received",
                                   to_status=status, occurred_at=answered))
        if feedback:
            letter.feedback_asked_at = letter.feedback_at = answered + timedelta(days=14)
            letter.feedback = feedback
    elif status == "in_progress":
        db.session.add(LetterEvent(letter_id=letter.id, kind="status", from_status="received",
                                   to_status="in_progress", occurred_at=received + timedelta(days=1)))
    db.session.flush()
