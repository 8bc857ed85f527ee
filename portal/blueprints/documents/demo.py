"""Demo documents for ``flask demo load``: Poti's 2026 budget (with a corrected second
version), the budget's execution, a mayor's order, the tourism strategy and an audit report;
Abasha's budget, an order and an audit report; one draft. Each file is a real PDF made here
(``pdf.py``) with Georgian text inside, read into the search index as the upload would be.
Idempotent: a document is looked up by its title first."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from portal.blueprints.documents import services
from portal.blueprints.documents.models import PublicDocument
from portal.blueprints.documents.pdf import make_pdf
from portal.extensions import db
from portal.tenancy import tenant_context

# (category, issuer, number, adopted, title ka, title en, description ka, description en,
#  the file's paragraphs, published, a second version's (paragraphs, note) or None)
DOCUMENTS = {
    "poti": [
        ("budget", "sakrebulo", "45", date(2025, 12, 26),
         "ფოთის მუნიციპალიტეტის 2026 წლის ბიუჯეტის დამტკიცების შესახებ",
         "On approving the 2026 budget of Poti Municipality",
         "საკრებულოს დადგენილება: 2026 წლის შემოსულობები, გადასახდელები და პრიორიტეტები.",
         "The Sakrebulo's resolution: the 2026 revenues, expenditures and priorities.",
         ["მუხლი 1. დამტკიცდეს ფოთის მუნიციპალიტეტის 2026 წლის ბიუჯეტი 68 450 000 ლარის ოდენობით.",
          "მუხლი 2. ზღვისპირა ბულვარის განათებისა და კეთილმოწყობისთვის გამოიყოს 1 350 000 ლარი.",
          "მუხლი 3. სკოლამდელი აღზრდის დაწესებულებების დაფინანსება გაიზარდოს 8 პროცენტით."],
         True,
         (["მუხლი 1. დამტკიცდეს ფოთის მუნიციპალიტეტის 2026 წლის ბიუჯეტი 69 120 000 ლარის ოდენობით.",
           "მუხლი 2. ზღვისპირა ბულვარის განათებისა და კეთილმოწყობისთვის გამოიყოს 1 350 000 ლარი.",
           "მუხლი 3. სკოლამდელი აღზრდის დაწესებულებების დაფინანსება გაიზარდოს 8 პროცენტით.",
           "მუხლი 4. ცვლილება: დაემატა სახელმწიფო ტრანსფერი 670 000 ლარი."],
          "დაემატა სახელმწიფო ტრანსფერი")),
        ("execution", "cityhall", "", date(2026, 2, 27),
         "2025 წლის ბიუჯეტის შესრულების წლიური ანგარიში", "Annual report on the 2025 budget's execution",
         "მერიის ანგარიში საკრებულოს: რა შემოვიდა და რა დაიხარჯა 2025 წელს.",
         "The City Hall's report to the Sakrebulo: what came in and what was spent in 2025.",
         ["2025 წლის ბიუჯეტის შემოსულობები შესრულდა 97,4 პროცენტით.",
          "ინფრასტრუქტურულ პროექტებზე დაიხარჯა 21 300 000 ლარი, მათ შორის ნაბადის სანიაღვრე არხზე."],
         True, None),
        ("order", "cityhall", "01-245", date(2026, 2, 10),
         "ქალაქ ფოთის მერის ბრძანება საზოგადოებრივი ტრანსპორტის მარშრუტების შესახებ",
         "The Mayor of Poti's order on public transport routes",
         "ახალი ავტობუსის მარშრუტები და მოძრაობის განრიგი.",
         "New bus routes and their timetable.",
         ["1. 2026 წლის 1 მარტიდან ამოქმედდეს ავტობუსის მე-3 და მე-7 მარშრუტები.",
          "2. მარშრუტი №7 გაივლის მალთაყვის სანაპიროსა და ცენტრალურ ბაზარს შორის."],
         True, None),
        ("strategy", "sakrebulo", "12", date(2026, 3, 15),
         "ფოთის ტურიზმის განვითარების სტრატეგია 2026–2030", "Poti tourism development strategy 2026–2030",
         "ხუთწლიანი სტრატეგია: ზღვა, კოლხეთის ეროვნული პარკი, საკრუიზო ტურიზმი.",
         "A five-year strategy: the sea, Kolkheti National Park, cruise tourism.",
         ["მიზანი 1. კოლხეთის ეროვნული პარკის ეკოტურიზმის მარშრუტების განვითარება.",
          "მიზანი 2. საკრუიზო ტერმინალის მგზავრებისთვის ქალაქის ტურების შექმნა.",
          "მიზანი 3. პალიასტომის ტბის ნაპირზე ფრინველებზე დაკვირვების ბილიკის მოწყობა."],
         True, None),
        ("audit", "cityhall", "", date(2025, 11, 20),
         "შიდა აუდიტის ანგარიში: სკოლამდელი დაწესებულებების კვება",
         "Internal audit report: meals in preschools",
         "შიდა აუდიტის სამსახურის ანგარიში და რეკომენდაციები.",
         "The internal audit office's report and recommendations.",
         ["აუდიტმა შეამოწმა 2025 წლის კვების შესყიდვები 14 ბაღში.",
          "რეკომენდაცია: მიმწოდებლის ხელშეკრულებაში გაიწეროს პროდუქტის ხარისხის შემოწმება."],
         True, None),
        ("procurement", "cityhall", "", date(2026, 4, 2),
         "2026 წლის შესყიდვების გეგმა (პროექტი)", "Procurement plan 2026 (draft)",
         "", "", ["შესყიდვების გეგმის პროექტი."], False, None),
    ],
    "abasha": [
        ("budget", "sakrebulo", "31", date(2025, 12, 25),
         "აბაშის მუნიციპალიტეტის 2026 წლის ბიუჯეტის დამტკიცების შესახებ",
         "On approving the 2026 budget of Abasha Municipality",
         "საკრებულოს დადგენილება 2026 წლის ბიუჯეტის შესახებ.",
         "The Sakrebulo's resolution on the 2026 budget.",
         ["მუხლი 1. დამტკიცდეს აბაშის მუნიციპალიტეტის 2026 წლის ბიუჯეტი 24 800 000 ლარის ოდენობით.",
          "მუხლი 2. სოფელ მარანის სკოლის სახურავის შეკეთებისთვის გამოიყოს 180 000 ლარი."],
         True, None),
        ("order", "cityhall", "02-18", date(2026, 1, 20),
         "აბაშის მერის ბრძანება ზამთრის პერიოდში გზების მოვლის შესახებ",
         "The Mayor of Abasha's order on road maintenance in winter",
         "", "",
         ["1. გზების მოვლის სამსახურმა უზრუნველყოს სოფლის გზების გაწმენდა თოვლისგან 24 საათში."],
         True, None),
        ("audit", "cityhall", "", date(2025, 10, 30),
         "შიდა აუდიტის ანგარიში: სოფლის მხარდაჭერის პროგრამა",
         "Internal audit report: the village support programme",
         "", "", ["აუდიტმა შეამოწმა სოფლის მხარდაჭერის პროგრამის 2025 წლის პროექტები."],
         True, None),
    ],
}


def _upload(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


def load_demo_documents() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made = []
    # Both municipalities first: the directory reads them in a connection of its own, which
    # on SQLite would wait for this loader's write lock once its cache has expired.
    tenants = {slug: get_directory(current_app).by_slug(slug) for slug in DOCUMENTS}
    for slug, rows in DOCUMENTS.items():
        tenant = tenants[slug]
        if tenant is None:
            continue
        with tenant_context(tenant):
            for row in rows:
                _document(*row)
            made.append(f"{slug}: {db.session.scalar(select(func.count(PublicDocument.id)))}")
    return "documents: " + ", ".join(made)


def _document(category, issuer, number, adopted_on, title, title_en, description, description_en,
              paragraphs, published, second) -> None:
    if db.session.scalar(select(PublicDocument.id).where(PublicDocument.title == title)) is not None:
        return
    document = services.save_document(None, title=title, title_en=title_en, category=category,
                                      issuer=issuer, number=number, adopted_on=adopted_on,
                                      description=description, description_en=description_en)
    name = f"{category}-{adopted_on.isoformat()}.pdf"
    services.add_version(document, _upload(name, make_pdf(title, paragraphs)), read_now=True)
    if second:
        more, note = second
        services.add_version(document, _upload(name, make_pdf(title, more)), note=note, read_now=True)
    if published:
        services.publish(document)
