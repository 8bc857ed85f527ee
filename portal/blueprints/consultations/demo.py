"""Demo consultations for ``flask demo load``: Poti's draft 2027 budget (open, with sections, a
draft document, a published and answered comment and one awaiting moderation), Poti's tourism
strategy (closed: answered comments and the summary) and Abasha's draft 2027 budget (open).
The periods are set around the day the demo is loaded. Idempotent: a consultation is looked up
by its title first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.consultations import services
from portal.blueprints.consultations.models import Consultation, ConsultationComment
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import to_local
from portal.services import uploads
from portal.tenancy import tenant_context

BUDGET_SECTIONS = ("შემოსავლები | Revenues\n"
                   "ინფრასტრუქტურა | Infrastructure\n"
                   "სოციალური პროგრამები | Social programmes\n"
                   "განათლება, კულტურა და სპორტი | Education, culture and sport")

# (title, title_en, kind, summary, summary_en, (opens, closes) in days from today, sections,
#  document title (or None), comments: (name or "", locale, body, section position or None,
#  status, answer), outcome, outcome_en)
CONSULTATIONS = {
    "poti": [
        ("ფოთის მუნიციპალიტეტის 2027 წლის ბიუჯეტის პროექტი", "Draft 2027 budget of Poti Municipality", "budget",
         "მერია საჯარო განხილვაზე წარადგენს 2027 წლის ბიუჯეტის პროექტს. გაეცანით დოკუმენტს და "
         "დაგვიწერეთ, რა უნდა შეიცვალოს: რომელ პროგრამას სჭირდება მეტი თანხა და რომელს ნაკლები.\n\n"
         "ყველა შენიშვნას ვპასუხობთ საჯაროდ; განხილვის ბოლოს გამოვაქვეყნებთ შეჯამებას.",
         "The City Hall puts the draft 2027 budget up for public discussion. Read the document and "
         "tell us what should change: which programme needs more money and which less.\n\n"
         "We answer every comment publicly and publish a summary at the end of the discussion.",
         (-10, 20), BUDGET_SECTIONS, "Draft 2027 budget of Poti (demo)",
         [("გიორგი ხურციძე", "ka", "გთხოვთ, გაზარდოთ ნაბადის უბანში ქუჩების განათების დაფინანსება: "
           "საღამოს ბევრი ქუჩა ბნელია.", 1, "published",
           "გმადლობთ. ნაბადის განათებისთვის დამატებით 120 000 ლარს ვითვალისწინებთ ბიუჯეტის საბოლოო ვერსიაში."),
          ("", "ka", "სკოლამდელი დაწესებულებების კვების ხარჯი უნდა გაიზარდოს ინფლაციის შესაბამისად.", 2,
           "pending", "")],
         "", ""),
        ("ფოთის ტურიზმის განვითარების სტრატეგია 2027–2030", "Poti tourism development strategy 2027–2030",
         "strategy",
         "სტრატეგია აღწერს, როგორ გავხადოთ ფოთი საზღვაო და ეკოტურიზმის ცენტრად: კოლხეთის "
         "ეროვნული პარკი, პალიასტომის ტბა, სანაპირო და ძველი ქალაქი.",
         "The strategy sets out how to make Poti a centre of maritime and eco-tourism: the Kolkheti "
         "National Park, Lake Paliastomi, the seaside and the old town.",
         (-90, -40), "ეკოტურიზმი | Eco-tourism\nსანაპირო | The seaside\nღონისძიებები | Events", None,
         [("ნატო ჯაიანი", "ka", "პალიასტომის ტბასთან საჭიროა ველობილიკი და ინფორმაციული დაფები.", 0,
           "published", "მიღებულია: ველობილიკი ტბამდე სტრატეგიის სამოქმედო გეგმაში 2028 წლისთვის შევიდა."),
          ("Anna Keller", "en", "Please publish the tourist information in English and German too; "
           "cruise passengers have little time and need clear signs.", 2, "published",
           "Thank you. Signs and the tourist centre's materials will be in Georgian, English and German "
           "from the 2027 season."),
          ("", "ka", "ზღვის სანაპიროზე მეტი ნაგვის ურნა და საპირფარეშოა საჭირო.", 1, "published",
           "ზაფხულის სეზონისთვის სანაპიროზე 40 ახალი ურნა და 4 საპირფარეშო დაიდგმება.")],
         "განხილვაზე 3 შენიშვნა მივიღეთ და ყველას ვუპასუხეთ. სტრატეგიის საბოლოო ვერსიაში შევიდა: "
         "ველობილიკი პალიასტომის ტბამდე, სამენოვანი ტურისტული ნიშნები და სანაპიროს მოვლის გეგმა.\n\n"
         "საკრებულომ სტრატეგია დაამტკიცა.",
         "We received 3 comments and answered all of them. The final strategy now includes a cycle "
         "path to Lake Paliastomi, signs in three languages and a plan for keeping the seaside clean.\n\n"
         "The Sakrebulo has approved the strategy."),
    ],
    "abasha": [
        ("აბაშის მუნიციპალიტეტის 2027 წლის ბიუჯეტის პროექტი", "Draft 2027 budget of Abasha Municipality",
         "budget",
         "გაეცანით 2027 წლის ბიუჯეტის პროექტს და გაგვიზიარეთ თქვენი შენიშვნები: სოფლის "
         "გზები, სასმელი წყალი, სკოლები და სოციალური დახმარება.",
         "Read the draft 2027 budget and share your comments: village roads, drinking water, schools "
         "and social assistance.",
         (-5, 25), BUDGET_SECTIONS, "Draft 2027 budget of Abasha (demo)",
         [("ლევან ქარჩავა", "ka", "მარანში სასმელი წყლის სისტემის რეაბილიტაცია პრიორიტეტი უნდა იყოს.", 1,
           "published", "")],
         "", ""),
    ],
}


def _pdf(title: str) -> bytes:
    """A one-page PDF saying ``title`` (ASCII), built by hand with its cross-reference table."""
    stream = f"BT /F1 18 Tf 72 760 Td ({title}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load_demo_consultations() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    # Every municipality looked up before the first write: a directory read on its own
    # connection would wait for this transaction's write lock on SQLite.
    directory = get_directory(current_app)
    tenants = {slug: directory.by_slug(slug) for slug in CONSULTATIONS}
    made = []
    for slug, rows in CONSULTATIONS.items():
        tenant = tenants[slug]
        if tenant is None:
            continue
        with tenant_context(tenant):
            for row in rows:
                _consultation(*row)
            made.append(f"{slug}: {db.session.scalar(select(func.count(Consultation.id)))}")
    return "consultations: " + ", ".join(made)


def _consultation(title, title_en, kind, summary, summary_en, period, sections, document, comments,
                  outcome, outcome_en) -> None:
    if db.session.scalar(select(Consultation.id).where(Consultation.title == title)) is not None:
        return
    now = utcnow()
    today = to_local(now).replace(hour=10, minute=0, second=0, microsecond=0)
    consultation = services.save_consultation(
        None, title=title, title_en=title_en, kind=kind, summary=summary, summary_en=summary_en,
        opens_at=today + timedelta(days=period[0]), closes_at=(today + timedelta(days=period[1])).replace(hour=18),
        sections=sections)
    services.publish(consultation)
    if document:
        services.add_documents(consultation, [uploads.Checked(data=_pdf(document), mimetype=uploads.PDF,
                                                              name=f"{title_en.replace(' ', '-')}.pdf")])
    sections = services.sections_of(consultation)
    for n, (name, locale, body, position, status, answer) in enumerate(comments):
        moment = consultation.opens_at + timedelta(days=1 + n)
        comment = ConsultationComment(
            consultation_id=consultation.id, name=name, show_name=bool(name), locale=locale, body=body,
            email=f"demo-commenter-{n + 1}@example.ge", status=status, confirmed_at=moment,
            section_id=sections[position].id if position is not None else None,
            published_at=moment + timedelta(hours=4) if status == "published" else None,
            answer=answer, answered_at=moment + timedelta(days=2) if answer else None)
        db.session.add(comment)
    db.session.flush()
    if outcome:
        consultation.outcome, consultation.outcome_en = outcome, outcome_en
        consultation.outcome_published_at = consultation.closes_at + timedelta(days=10)
        db.session.flush()
