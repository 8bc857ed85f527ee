"""Letters' things for the URL-map walks (see tests/factories.py): a letter to each recipient,
its tracking code, a feedback link; and valid forms for the inboxes' POST routes."""

from __future__ import annotations

from datetime import date, timedelta

from portal.blueprints.letters import feedback
from portal.blueprints.letters.models import Letter
from portal.blueprints.letters.writing import code_hash, new_code
from portal.db import utcnow
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.factories import factory, submission


def make_letter(app, tenant, *, recipient: str = "mayor", status: str = "received",
                subject: str = "ქუჩის განათება", email: str = "writer@example.ge",
                code: str | None = None, **values) -> tuple[int, str]:
    """A committed letter of ``tenant``: (its id, its tracking code)."""
    code = code or new_code()
    now = values.pop("received_at", utcnow())
    with app.app_context(), tenant_context(tenant):
        letter = Letter(recipient=recipient, tracking_hash=code_hash(code), full_name="ნინო ბერიძე",
                        email=email, subject=subject, text="სამი ლამპიონი არ ანათებს.",
                        status=status, received_at=now,
                        due_on=values.pop("due_on", date.today() + timedelta(days=14)), **values)
        db.session.add(letter)
        db.session.commit()
        return letter.id, code


def _letter(objects, recipient: str) -> dict:
    return objects.once(f"letter:{recipient}", lambda: make_letter(objects.app, objects.tenant,
                                                                   recipient=recipient))


@factory("letters_mayor", "letter_id")
def _mayor_letter(objects):
    return _letter(objects, "mayor")[0]


@factory("letters_chair", "letter_id")
def _chair_letter(objects):
    return _letter(objects, "chair")[0]


@factory("letters", "letter_token")
def _tracking_code(objects):
    return _letter(objects, "mayor")[1]


@factory("letters", "letter_id")
def _published_letter(objects):
    """A published letter (answered, the writer agreed): the public list shows it; its writer's
    own page needs sign-in (the walks see the lookup first: a foreign id is a 404)."""
    def make():
        return make_letter(objects.app, objects.tenant, status="answered", wants_publication=True,
                           reply_text="შეკეთდა.", replied_at=utcnow(), answered_at=utcnow())[0]
    return objects.once("letter:published", make)


@factory("letters", "link_token")
def _feedback_link(objects):
    letter_id = _letter(objects, "mayor")[0]
    with objects.app.app_context(), tenant_context(objects.tenant):
        return feedback.token(db.session.get(Letter, letter_id))


for _inbox in ("letters_mayor", "letters_chair"):
    submission(f"{_inbox}.assign")(lambda objects, client: {"department": "ინფრასტრუქტურა",
                                                             "assignee_id": "0"})
    submission(f"{_inbox}.note")(lambda objects, client: {"text": "დავურეკე მწერალს."})
    submission(f"{_inbox}.move")(lambda objects, client: {"status": "in_progress"})
    submission(f"{_inbox}.reply")(lambda objects, client: {"text": "ლამპიონები შეკეთდა."})
    submission(f"{_inbox}.publication")(lambda objects, client: {"withheld": "1"})
