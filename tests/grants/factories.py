"""Small grants' things for the URL-map walks (see tests/factories.py): a competition with its
criteria and a document, a submitted application with an attachment, a funded project of an
announced call with a report and a photo; and valid forms for the staff's POST routes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from portal.blueprints.grants.models import (
    GrantApplication,
    GrantBudgetLine,
    GrantCompetition,
    GrantCriterion,
    GrantFile,
    GrantReport,
)
from portal.db import utcnow
from portal.extensions import db
from portal.services import storage
from portal.tenancy import tenant_context
from tests.factories import factory, submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 60)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def make_competition(app, tenant, *, deadline: datetime | None = None, announced: bool = False,
                     currency: str = "EUR", low: int = 2000, high: int = 5000,
                     total: int = 80000, title: str = "მცირე გრანტები", **values) -> int:
    """A committed call of ``tenant`` (open unless told otherwise): its id."""
    with app.app_context(), tenant_context(tenant):
        competition = GrantCompetition(
            title_ka=title, title_en="Small grants", aims_ka="მიზნები", aims_en="Aims",
            currency=currency, total_budget=total * 100, min_amount=low * 100,
            max_amount=high * 100, call_opens_on=values.pop("call_opens_on", date.today() - timedelta(days=10)),
            deadline_at=deadline or utcnow() + timedelta(days=20),
            evaluation_until=date.today() + timedelta(days=40),
            results_on=date.today() + timedelta(days=50),
            announced_at=utcnow() if announced else None, **values)
        competition.criteria.append(GrantCriterion(position=0, name_ka="აქტუალობა", name_en="Relevance",
                                                   weight=60, max_score=10))
        competition.criteria.append(GrantCriterion(position=1, name_ka="ბიუჯეტი", name_en="Budget",
                                                   weight=40, max_score=10))
        db.session.add(competition)
        db.session.commit()
        return competition.id


def make_application(app, tenant, competition_id: int, *, author_id: int | None = None,
                     status: str = "submitted", amount: int = 3000,
                     awarded: int | None = None, title: str = "ეზოს გამწვანება") -> int:
    with app.app_context(), tenant_context(tenant):
        application = GrantApplication(
            competition_id=competition_id, author_id=author_id, status=status,
            applicant_kind="ngo", organisation="ა(ა)იპ „მწვანე ეზო“", registration_number="400000001",
            contact_name="ნინო ბერიძე", email="applicant@example.ge", title=title,
            summary="მოკლედ.", description="აღწერა.", target_groups="ბავშვები",
            activities="1-ლი თვე: დარგვა", requested_amount=amount * 100,
            submitted_at=utcnow() if status != "draft" else None,
            awarded_amount=awarded * 100 if awarded else None)
        db.session.add(application)
        db.session.flush()
        db.session.add(GrantBudgetLine(application_id=application.id, position=0, item="ნერგები",
                                       amount=amount * 100))
        db.session.commit()
        return application.id


def make_file(app, tenant, data: bytes = PDF, name: str = "განაცხადი.pdf",
              mimetype: str = "application/pdf", **owner) -> int:
    with app.app_context(), tenant_context(tenant):
        key, _safe = storage.save(f"{tenant.slug}/grants", "file.bin", data)
        row = GrantFile(storage_path=key, name=name, mimetype=mimetype, size=len(data), **owner)
        db.session.add(row)
        db.session.commit()
        return row.id


def make_report(app, tenant, application_id: int) -> int:
    with app.app_context(), tenant_context(tenant):
        report = GrantReport(application_id=application_id, kind="final", text="დასრულდა.")
        db.session.add(report)
        db.session.commit()
        return report.id


def _competition(objects) -> int:
    return objects.once("grants:competition", lambda: make_competition(objects.app, objects.tenant))


def _submitted(objects) -> int:
    return objects.once("grants:submitted", lambda: make_application(
        objects.app, objects.tenant, _competition(objects)))


def _funded(objects) -> int:
    def make():
        announced = make_competition(objects.app, objects.tenant, announced=True,
                                     deadline=utcnow() - timedelta(days=30))
        return make_application(objects.app, objects.tenant, announced, status="funded", awarded=3000)
    return objects.once("grants:funded", make)


@factory("grants", "competition_id")
@factory("grants_admin", "competition_id")
def _any_competition(objects):
    return _competition(objects)


@factory("grants", "attachment_id")
def _document(objects):
    """A document of the call (public); the applicant's own attachment routes look the
    application up first (a sign-in, or a 404 abroad)."""
    return objects.once("grants:document", lambda: make_file(
        objects.app, objects.tenant, competition_id=_competition(objects)))


@factory("grants_admin", "attachment_id")
def _attachment(objects):
    return objects.once("grants:attachment", lambda: make_file(
        objects.app, objects.tenant, application_id=_submitted(objects)))


@factory("grants", "application_id")
def _public_application(objects):
    """A funded project of an announced call: public; its applicant's pages need sign-in."""
    return _funded(objects)


@factory("grants_admin", "application_id")
def _admin_application(objects):
    return _submitted(objects)


@factory("grants", "photo_id")
def _photo(objects):
    def make():
        report = make_report(objects.app, objects.tenant, _funded(objects))
        return make_file(objects.app, objects.tenant, PNG, "ფოტო.png", "image/png", report_id=report)
    return objects.once("grants:photo", make)


def _call_form(objects, client) -> dict:
    return {
        "title_ka": "ახალი კონკურსი", "aims_ka": "მიზნები", "allows_ngos": "y", "allows_groups": "y",
        "currency": "GEL", "total_budget": "30000", "min_amount": "1000", "max_amount": "3000",
        "call_opens_on": date.today().isoformat(),
        "deadline": (datetime.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "evaluation_until": (date.today() + timedelta(days=40)).isoformat(),
        "results_on": (date.today() + timedelta(days=50)).isoformat(),
        "criteria": "60 | აქტუალობა | Relevance\n40 | ბიუჯეტი | Budget", "publish": "y"}


submission("grants_admin.new")(_call_form)
submission("grants_admin.edit")(_call_form)
submission("grants_admin.unpublish")(lambda objects, client: {})


@submission("grants_admin.publish")
def _draft_to_publish(objects, client):
    """The walk's call, made a draft first (publishing a published call changes nothing)."""
    from sqlalchemy import update

    with objects.app.app_context(), tenant_context(objects.tenant):
        db.session.execute(update(GrantCompetition).where(
            GrantCompetition.id == _competition(objects)).values(is_published=False))
        db.session.commit()
    return {}


submission("grants_admin.announce")(lambda objects, client: {})
submission("grants_admin.conflict")(lambda objects, client: {"note": "ნათესავი"})
submission("grants_admin.decision")(lambda objects, client: {"decision": "funded", "amount": "3000"})


@submission("grants_admin.score")
def _scores(objects, client):
    from sqlalchemy import select

    with objects.app.app_context(), tenant_context(objects.tenant):
        ids = list(db.session.scalars(select(GrantCriterion.id).where(
            GrantCriterion.competition_id == _competition(objects))))
    return {**{f"score_{i}": "7" for i in ids}, **{f"comment_{i}": "კარგი" for i in ids}}
