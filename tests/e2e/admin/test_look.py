"""One look for every control (issue 10, item 22), in Chromium: the forms (sign-in, e-mail
link, archive search, the every-municipality search, admin filters, platform forms) and every
admin table page, at a 390 px phone and at desktop width. On each page: no page-wide
horizontal scroll at either width, every link, button and field at least 24 × 24 CSS px (or
spaced as WCAG 2.2 allows), axe's WCAG 2.2 rules find nothing in Georgian and in English,
and screenshots go to tests/e2e/screenshots/look-*.png for a person to look at."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pyotp
import pytest

from tests.e2e.admin.conftest import axe_violations, csp_violations
from tests.e2e.admin.test_admin import sign_in
from tests.e2e.browser import DESKTOP, MOBILE, SCREENSHOTS, page_overflow, small_targets
from tests.staff_fixtures import PASSWORD

SLUG = "abasha"


def look(page, name: str) -> list[str]:
    """The problems of the page shown, at both widths; screenshots of each."""
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = []
    for label, size in (("mobile", MOBILE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        if wider := page_overflow(page):
            problems.append(f"{name}: {wider} px wider than a {size['width']} px window")
        problems += [f"{name} ({label}): small target {t}" for t in small_targets(page)]
        page.screenshot(path=str(SCREENSHOTS / f"look-{name}-{label}.png"), full_page=True,
                        caret="initial")
    page.set_viewport_size(DESKTOP)
    problems += axe_violations(page)
    problems += [f"{name}: CSP {v}" for v in csp_violations(page)]
    return problems


def visit(page, pages: list[tuple[str, str]]) -> list[str]:
    problems = []
    for name, path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        problems += look(page, name)
    return problems


@pytest.fixture(scope="module")
def archive(admin_site):
    """A body, a member with a seat, a session with a document, a failed sync run and a
    failed e-mail in Abasha: every admin table has a row to show."""
    from portal.blueprints.sessions.models import Body, CouncilSession, Document, Member, Membership, SyncRun
    from portal.delivery.models import OutboxMessage
    from portal.extensions import db
    from portal.tenancy import get_directory, tenant_context

    app = admin_site.app
    with app.app_context(), tenant_context(get_directory(app).by_slug(SLUG)):
        body = Body(slug="look-sakrebulo", name_ka="აბაშის მუნიციპალიტეტის საკრებულო",
                    name_en="Abasha Municipal Council", kind="council")
        member = Member(slug="look-member", name_ka="ნინო გოგიჩაიშვილი", name_en="Nino Gogichaishvili",
                        party="ქართული ოცნება — დემოკრატიული საქართველო",
                        term_start=date(2025, 11, 1), term_end=date(2029, 10, 31))
        db.session.add_all([body, member])
        db.session.flush()
        db.session.add(Membership(member_id=member.id, body_id=body.id, role="თავმჯდომარის მოადგილე",
                                  starts_on=date(2025, 11, 1)))
        session = CouncilSession(
            body_id=body.id, status="held", starts_at=datetime(2026, 3, 12, 8, tzinfo=UTC),
            title="საკრებულოს რიგითი სხდომა: 2026 წლის ბიუჯეტის ცვლილებები და ინფრასტრუქტურული პროექტები")
        db.session.add(session)
        db.session.flush()
        db.session.add(Document(session_id=session.id, kind="agenda", title="დღის წესრიგი",
                                filename="dghis-tsesrigi-2026-03-12-sruli-versia.pdf",
                                storage_path="look/none.pdf", size=183_000))
        db.session.add(SyncRun(source="youtube", status="failed",
                               started_at=datetime(2026, 3, 12, 9, tzinfo=UTC),
                               finished_at=datetime(2026, 3, 12, 9, 1, tzinfo=UTC),
                               error="HttpError 403: quotaExceeded — The request cannot be completed "
                                     "because you have exceeded your quota."))
        db.session.add(OutboxMessage(
            channel="email", status="failed", recipient="someone.with.a.long.address@example.org",
            locale="ka", subject="შესვლის ბმული აბაშის მუნიციპალიტეტის პორტალზე",
            body_text="…", attempts=5, last_error="550 5.1.1 mailbox unavailable: user unknown",
            idempotency_key=f"look-{os.urandom(4).hex()}"))
        db.session.commit()
        return {"session": session.id, "member": member.id}


def test_public_forms(page, admin_site):
    problems = visit(page, [
        ("sign-in", f"/{SLUG}/accounts/sign-in"),
        ("email-link", f"/{SLUG}/accounts/link"),
        ("archive-search", f"/{SLUG}/sessions/search?q=ბიუჯეტ"),
        ("every-municipality-search", "/search?q=სხდომ"),
    ])
    page.goto(f"/{SLUG}/accounts/sign-in")
    page.click("#sign-in-form button[type=submit]")  # empty: the errors show under the fields
    page.locator("#email-error").wait_for()
    problems += look(page, "sign-in-errors")
    assert not problems, "\n".join(problems)


def test_municipality_admin_pages(page, admin_site, archive):
    admin = admin_site.staff(["admin"], tenant=SLUG)
    sign_in(page, admin, slug=SLUG)
    base = f"/{SLUG}/admin"
    problems = visit(page, [
        ("admin-dashboard", f"{base}/"),
        ("admin-staff", f"{base}/staff"),
        ("admin-member", f"{base}/staff/{admin.id}"),
        ("admin-settings", f"{base}/settings"),
        ("admin-audit", f"{base}/audit?action=sign_in.succeeded"),
        ("admin-messages", f"{base}/messages"),
        ("archive-sessions", f"{base}/sessions/"),
        ("archive-session", f"{base}/sessions/{archive['session']}"),
        ("archive-bodies", f"{base}/sessions/bodies/"),
        ("archive-members", f"{base}/sessions/members/"),
        ("archive-member", f"{base}/sessions/members/{archive['member']}"),
        ("archive-recordings", f"{base}/sessions/recordings?show=all"),
        ("archive-sync", f"{base}/sessions/sync"),
        ("my-page", f"/{SLUG}/accounts/me"),
    ])
    assert not problems, "\n".join(problems)


def test_platform_pages(page, admin_site, archive):
    from portal.extensions import db
    from portal.jobs.models import JobRun

    with admin_site.app.app_context():
        db.session.add(JobRun(task_id=f"look-{os.urandom(4).hex()}", name="sync_sessions",
                              tenant_id=None, state="failed", attempts=3,
                              error="Traceback (most recent call last):\n  File \"/srv/portal/"
                                    "portal/jobs/runner.py\", line 88, in run_job\n"
                                    "OperationalError: database is locked"))
        db.session.commit()
    admin = admin_site.staff([], tenant=None, platform=True)
    page.goto("/accounts/sign-in?next=/platform/")
    page.fill("input[name=email]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url("**/accounts/two-factor")
    page.fill("input[name=code]", pyotp.TOTP(admin.totp_secret).now())
    page.click("#code-form button[type=submit]")
    page.wait_for_url("**/platform/")
    problems = visit(page, [("platform-admin", "/platform/"), ("platform-jobs", "/platform/jobs")])
    assert not problems, "\n".join(problems)
