"""The staff's inboxes: one per recipient and permission, search and filters, a letter's
page (a logged read), assignment, notes, statuses, the reply by e-mail, publication; refusals
with messages; another municipality's and the other inbox's letters out of reach."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from portal.blueprints.letters.models import LetterEvent
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.letters.conftest import deliver, letter, outbox
from tests.letters.factories import make_letter

MAYOR = "/poti/admin/letters/mayor"
CHAIR = "/poti/admin/letters/chair"


def _post(client, url, data=None):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client.get(f"{MAYOR}/").text)
    return client.post(url, data=data)


def _audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_each_office_sees_only_its_own_inbox(app, poti, abasha, mayors_office, clerk):
    to_mayor, _ = make_letter(app, poti, subject="ნაგავი კუნძულზე")
    to_chair, _ = make_letter(app, poti, recipient="chair", subject="სხდომების დრო")
    make_letter(app, abasha, subject="აბაშის წერილი")
    page = mayors_office.get(f"{MAYOR}/").text
    assert "ნაგავი კუნძულზე" in page and "სხდომების დრო" not in page and "აბაშის წერილი" not in page
    assert mayors_office.get(f"{CHAIR}/").status_code == 403
    assert clerk.get(f"{MAYOR}/").status_code == 403
    assert "სხდომების დრო" in clerk.get(f"{CHAIR}/").text
    # the other inbox's letter is not found, even for someone holding both permissions
    assert clerk.get(f"{CHAIR}/{to_mayor}").status_code == 404
    assert mayors_office.get(f"{MAYOR}/{to_chair}").status_code == 404


def test_another_municipality_s_letter_is_404_and_changes_nothing(app, poti, abasha, mayors_office):
    theirs, _ = make_letter(app, abasha)
    assert mayors_office.get(f"{MAYOR}/{theirs}").status_code == 404
    response = _post(mayors_office, f"{MAYOR}/{theirs}/reply", {"text": "პასუხი"})
    assert response.status_code == 404
    assert letter(app, abasha, theirs).status == "received" and outbox(app, abasha) == []


def test_filters_search_overdue_and_pages(app, poti, mayors_office, staff):
    today = date.today()
    late, _ = make_letter(app, poti, subject="ვადაგადაცილებული", due_on=today - timedelta(days=1))
    make_letter(app, poti, subject="პასუხგაცემული", status="answered", due_on=today - timedelta(days=5))
    make_letter(app, poti, subject="ახალი ლამპიონი", due_on=today + timedelta(days=3))
    overdue = mayors_office.get(f"{MAYOR}/?status=overdue").text
    assert "ვადაგადაცილებული" in overdue and "პასუხგაცემული" not in overdue
    assert "ახალი ლამპიონი" not in overdue and "overdue" in overdue
    assert "ახალი ლამპიონი" in mayors_office.get(f"{MAYOR}/?q=ახალი").text
    assert "ვადაგადაცილებული" not in mayors_office.get(f"{MAYOR}/?q=ახალი").text
    assert "პასუხგაცემული" in mayors_office.get(f"{MAYOR}/?status=answered").text
    assert mayors_office.get(f"{MAYOR}/?status=nonsense&assignee=x&page=y").status_code == 200
    fragment = mayors_office.get(f"{MAYOR}/?q=ახალი", headers=HTMX).text
    assert "<html" not in fragment and 'id="letter-results"' in fragment
    for n in range(26):
        make_letter(app, poti, subject=f"წერილი {n}")
    first = mayors_office.get(f"{MAYOR}/").text
    assert "Letters found: 29" in first and "page=2" in first
    assert f"{MAYOR}/{late}" in first  # the oldest due date first


def test_the_letter_page_has_each_id_once(app, poti, mayors_office):
    # the note's and the answer's fields share the name "text"; each label finds its own field
    letter_id, _ = make_letter(app, poti)
    page = mayors_office.get(f"{MAYOR}/{letter_id}").text
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="note-text"' in page and 'for="reply-text"' in page


def test_opening_a_letter_is_logged_as_a_read_of_personal_data(app, poti, mayors_office):
    letter_id, _ = make_letter(app, poti)
    page = mayors_office.get(f"{MAYOR}/{letter_id}")
    assert page.status_code == 200 and "writer@example.ge" in page.text
    [entry] = _audit(app, "read.letter")
    assert entry.target == f"letter:{letter_id}"


def test_assign_note_move_and_reply(app, poti, mayors_office, staff, smtp):
    colleague = staff(poti, ["mayors_office"], email="roads@poti.example.org", name="ეკა გზები")
    letter_id, _ = make_letter(app, poti)
    assigned = _post(mayors_office, f"{MAYOR}/{letter_id}/assign",
                     {"department": "ინფრასტრუქტურის სამსახური", "assignee_id": str(colleague.id)})
    assert assigned.status_code == 303
    found = letter(app, poti, letter_id)
    assert (found.status, found.assignee_id) == ("in_progress", colleague.id)
    assert found.department == "ინფრასტრუქტურის სამსახური"
    assert f"{MAYOR}/{letter_id}" in mayors_office.get(f"{MAYOR}/?assignee={colleague.id}").text
    assert f"{MAYOR}/{letter_id}" not in mayors_office.get(f"{MAYOR}/?assignee=none").text
    assert _post(mayors_office, f"{MAYOR}/{letter_id}/note", {"text": "დავურეკე"}).status_code == 303
    empty = _post(mayors_office, f"{MAYOR}/{letter_id}/reply", {"text": "  "})
    assert empty.status_code == 422 and "This field is required." in empty.text
    replied = _post(mayors_office, f"{MAYOR}/{letter_id}/reply", {"text": "ლამპიონები შეკეთდა."})
    assert replied.status_code == 303
    found = letter(app, poti, letter_id)
    assert found.status == "answered" and found.answered_at is not None
    [mail] = outbox(app, poti)
    assert mail.recipient == "writer@example.ge" and mail.locale == "ka"
    assert "ლამპიონები შეკეთდა." in mail.body_text
    assert deliver(app, poti).sent == 1 and len(smtp.messages) == 1
    closed = _post(mayors_office, f"{MAYOR}/{letter_id}/move", {"status": "closed"})
    assert closed.status_code == 303 and letter(app, poti, letter_id).status == "closed"
    with app.app_context(), tenant_context(poti):
        kinds = [e.kind for e in db.session.scalars(select(LetterEvent).order_by(LetterEvent.id))]
    assert kinds == ["assigned", "status", "note", "reply", "status", "status"]
    for action in ("letters.assigned", "letters.note_added", "letters.replied"):
        assert len(_audit(app, action)) == 1
    assert len(_audit(app, "letters.status_changed")) == 3
    page = mayors_office.get(f"{MAYOR}/{letter_id}").text
    assert "დავურეკე" in page and "ეკა გზები" in page


def test_the_history_names_who_took_each_step(app, poti, mayors_office):
    letter_id, _ = make_letter(app, poti)
    _post(mayors_office, f"{MAYOR}/{letter_id}/move", {"status": "in_progress"})
    _post(mayors_office, f"{MAYOR}/{letter_id}/note", {"text": "დავურეკე"})
    _post(mayors_office, f"{MAYOR}/{letter_id}/reply", {"text": "შეკეთდა."})
    with app.app_context(), tenant_context(poti):
        actors = {e.actor_id for e in db.session.scalars(select(LetterEvent))}
        [me] = {e.actor_id for e in _audit(app, "letters.note_added")}
    assert actors == {me} and me is not None
    page = mayors_office.get(f"{MAYOR}/{letter_id}").text
    assert "(Test Person)" in page
    # an answered letter can only be closed: that is the step offered first
    assert '<option selected value="closed">' in page


def test_refused_steps_say_why_and_change_nothing(app, poti, mayors_office):
    letter_id, _ = make_letter(app, poti, status="closed")
    wrong = _post(mayors_office, f"{MAYOR}/{letter_id}/move", {"status": "answered"})
    assert wrong.status_code == 422 and "A letter cannot move from “Closed” to “Answered”." in wrong.text
    reply = _post(mayors_office, f"{MAYOR}/{letter_id}/reply", {"text": "x"})
    assert reply.status_code == 422 and "This letter is closed; reopen it to answer." in reply.text
    other, _ = make_letter(app, poti)
    forward = _post(mayors_office, f"{MAYOR}/{other}/move", {"status": "forwarded"})
    assert forward.status_code == 422 and "Say where the letter was forwarded." in forward.text
    assert letter(app, poti, other).status == "received" and outbox(app, poti) == []
    stranger = _post(mayors_office, f"{MAYOR}/{other}/assign", {"assignee_id": "999999"})
    assert stranger.status_code == 422 and "Not a valid choice." in stranger.text
    assert _audit(app, "letters.status_changed") == []


def test_staff_can_withhold_a_published_letter(app, client, poti, mayors_office):
    from portal.db import utcnow

    letter_id, _ = make_letter(app, poti, status="answered", wants_publication=True,
                               reply_text="შეკეთდა.", replied_at=utcnow(), answered_at=utcnow())
    public = client.get("/poti/letters/published/")
    assert f"/poti/letters/published/{letter_id}" in public.text
    shown = client.get(f"/poti/letters/published/{letter_id}")
    assert shown.status_code == 200 and "შეკეთდა." in shown.text
    assert "ნინო ბერიძე" not in shown.text and "writer@example.ge" not in shown.text
    assert _post(mayors_office, f"{MAYOR}/{letter_id}/publication", {"withheld": "1"}).status_code == 303
    assert client.get(f"/poti/letters/published/{letter_id}").status_code == 404
    assert f"/published/{letter_id}" not in client.get("/poti/letters/published/").text
    assert len(_audit(app, "letters.publication_withheld")) == 1


def test_the_dashboard_counts_new_and_overdue_letters(app, poti, mayors_office):
    make_letter(app, poti)
    make_letter(app, poti, status="in_progress", due_on=date.today() - timedelta(days=2))
    make_letter(app, poti, recipient="chair")
    page = mayors_office.get("/poti/admin/").text
    assert "Letters to the mayor: new and overdue" in page
    assert "New letters: 1" in page and "Overdue letters: 1" in page
    assert "Letters to the Sakrebulo chair: new and overdue" not in page


def test_list_pages_run_a_constant_number_of_queries(app, client, poti, mayors_office):
    from portal.db import utcnow
    from tests.helpers import count_queries

    def queries(who, url) -> int:
        with app.app_context(), count_queries(db.engine) as statements:
            assert who.get(url).status_code == 200
        return len(statements)

    def add(n):
        for i in range(n):
            make_letter(app, poti, status="answered", wants_publication=True, reply_text="პასუხი",
                        replied_at=utcnow(), answered_at=utcnow(), subject=f"წერილი {i}")

    add(1)
    few = (queries(mayors_office, f"{MAYOR}/"), queries(client, "/poti/letters/published/"))
    add(6)
    assert (queries(mayors_office, f"{MAYOR}/"), queries(client, "/poti/letters/published/")) == few
