"""Demo services for ``flask demo load``: in Poti and Abasha, the City Hall's departments with
their calendars, a catalogue of everyday municipal services (construction permit, a
certificate of residence, social assistance, outdoor advertising, the mayor's reception...)
and a few applications and appointments to see in the operators' queue. Idempotent: a
department and a service are looked up by their Georgian name. No message is sent."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from portal.blueprints.municipal_services import booking
from portal.blueprints.municipal_services.models import (
    Department,
    RequestEvent,
    Service,
    ServiceField,
    ServiceRequest,
)
from portal.blueprints.municipal_services.requests import code_hash, new_code
from portal.db import utcnow
from portal.extensions import db
from portal.services.errors import DomainError
from portal.tenancy import tenant_context

WEEK = {"mon": ["10:00", "13:00"], "tue": ["10:00", "13:00"], "wed": ["10:00", "13:00"],
        "thu": ["10:00", "13:00"], "fri": ["10:00", "13:00"]}

# key: (name ka, name en, place ka, place en, slot minutes, places, hours)
DEPARTMENTS = {
    "architecture": ("არქიტექტურისა და ურბანული განვითარების სამსახური",
                     "Architecture and Urban Development Service",
                     "მერიის შენობა, მე-2 სართული, ოთახი 12", "City Hall, 2nd floor, room 12",
                     30, 2, WEEK),
    "social": ("სოციალური და ჯანდაცვის სამსახური", "Social Affairs and Healthcare Service",
               "მერიის შენობა, 1-ლი სართული, ოთახი 4", "City Hall, ground floor, room 4",
               20, 3, {**WEEK, "mon": ["10:00", "17:00"], "wed": ["10:00", "17:00"]}),
    "reception": ("მოქალაქეთა მისაღები", "Citizens' reception",
                  "მერიის შენობა, 1-ლი სართული, მისაღები", "City Hall, ground floor, reception",
                  15, 1, {"tue": ["11:00", "13:00"], "thu": ["11:00", "13:00"]}),
    "economy": ("ეკონომიკური განვითარებისა და ქონების მართვის სამსახური",
                "Economic Development and Property Management Service",
                "მერიის შენობა, მე-3 სართული, ოთახი 21", "City Hall, 3rd floor, room 21",
                30, 1, WEEK),
}

# (department, mode, title ka, title en, summary ka, summary en, who ka, who en, documents ka,
#  documents en, fee tetri, days, law ka, law en, fields)
SERVICES = [
    ("architecture", "application", "მშენებლობის ნებართვა (II კლასი)",
     "Construction permit (class II)",
     "II კლასის შენობის მშენებლობის ნებართვის გაცემა: ინდივიდუალური საცხოვრებელი სახლი, მცირე "
     "კომერციული ობიექტი.",
     "A permit to build a class II building: a family house or a small commercial building.",
     "მიწის ნაკვეთის მესაკუთრე ან მისი წარმომადგენელი.",
     "The owner of the plot, or their representative.",
     "განცხადება\nამონაწერი საჯარო რეესტრიდან\nარქიტექტურული პროექტი\nტოპოგრაფიული გეგმა",
     "Application\nExtract from the Public Registry\nArchitectural design\nTopographic plan",
     10000, 30, "საქართველოს მთავრობის 2019 წლის 31 მაისის №255 დადგენილება",
     "Resolution No. 255 of the Government of Georgia of 31 May 2019",
     [("text", "მიწის ნაკვეთის საკადასტრო კოდი", "Cadastral code of the plot", "", True),
      ("number", "შენობის ფართი (კვ.მ)", "Floor area (m²)", "", True),
      ("choice", "შენობის დანიშნულება", "Use of the building",
       "საცხოვრებელი | Residential\nკომერციული | Commercial", True),
      ("file", "არქიტექტურული პროექტი (PDF)", "Architectural design (PDF)", "", True),
      ("file", "ამონაწერი საჯარო რეესტრიდან", "Extract from the Public Registry", "", False)]),
    ("architecture", "appointment", "კონსულტაცია არქიტექტორთან", "Consultation with an architect",
     "ინდივიდუალური კონსულტაცია მშენებლობის ნებართვის, განაშენიანების რეგულირების წესებისა და "
     "პროექტის მოთხოვნების შესახებ.",
     "A one-to-one consultation on building permits, zoning rules and what a design must show.",
     "ნებისმიერი მოქალაქე.", "Anyone.", "პირადობის მოწმობა", "Identity card", 0, 0,
     "ზოგადი ადმინისტრაციული კოდექსი", "General Administrative Code of Georgia", []),
    ("social", "application", "ცნობა საცხოვრებელი ადგილის შესახებ",
     "Certificate of residence",
     "ცნობა, რომ განმცხადებელი ცხოვრობს მუნიციპალიტეტის ტერიტორიაზე (სოციალური პროგრამებისთვის, "
     "სკოლისა და ბაღისთვის).",
     "A certificate that the applicant lives in the municipality (for social programmes, "
     "schools and kindergartens).",
     "მუნიციპალიტეტში რეგისტრირებული მცხოვრები.", "A resident registered in the municipality.",
     "პირადობის მოწმობის ასლი", "Copy of the identity card", 0, 3,
     "ადგილობრივი თვითმმართველობის კოდექსი, მუხლი 16", "Local Self-Government Code, article 16",
     [("text", "მისამართი", "Address", "", True),
      ("choice", "რისთვის გჭირდებათ", "What it is for",
       "სოციალური პროგრამა | Social programme\nსკოლა ან ბაღი | School or kindergarten\nსხვა | Other",
       True),
      ("file", "პირადობის მოწმობის ასლი", "Copy of the identity card", "", True)]),
    ("social", "application", "ერთჯერადი მატერიალური დახმარება",
     "One-off financial assistance",
     "ერთჯერადი ფულადი დახმარება მძიმე ავადმყოფობის, ხანძრის ან სტიქიის შემთხვევაში.",
     "A one-off payment after a serious illness, a fire or a natural disaster.",
     "მუნიციპალიტეტში რეგისტრირებული ოჯახი.", "A family registered in the municipality.",
     "განცხადება\nსამედიცინო ცნობა ან შესაბამისი დოკუმენტი", "Application\nMedical or other supporting document",
     0, 15, "მუნიციპალიტეტის სოციალური დახმარების პროგრამა", "The municipality's social assistance programme",
     [("textarea", "მოკლედ აღწერეთ მდგომარეობა", "Describe the situation briefly", "", True),
      ("number", "ოჯახის წევრების რაოდენობა", "Number of family members", "", True),
      ("checkbox", "ვეთანხმები მონაცემების დამუშავებას", "I agree to the processing of my data", "", True),
      ("file", "დამადასტურებელი დოკუმენტი", "Supporting document", "", False)]),
    ("social", "appointment", "სოციალური აგენტის კონსულტაცია", "Meeting a social worker",
     "შეხვედრა სოციალურ მუშაკთან დახმარების პროგრამების შესახებ.",
     "A meeting with a social worker about assistance programmes.",
     "ნებისმიერი მცხოვრები.", "Any resident.", "პირადობის მოწმობა", "Identity card", 0, 0, "", "", []),
    ("economy", "application", "გარე რეკლამის განთავსების ნებართვა", "Outdoor advertising permit",
     "ნებართვა აბრის, ბანერის ან სხვა გარე რეკლამის განთავსებაზე.",
     "A permit to put up a sign, banner or other outdoor advertising.",
     "ფიზიკური და იურიდიული პირები.", "Individuals and companies.",
     "რეკლამის ესკიზი\nგანთავსების ადგილის ფოტო", "Sketch of the advertisement\nPhoto of the place",
     5000, 10, "საკრებულოს დადგენილება გარე რეკლამის შესახებ",
     "The Sakrebulo's resolution on outdoor advertising",
     [("text", "განთავსების მისამართი", "Address of the place", "", True),
      ("file", "რეკლამის ესკიზი", "Sketch of the advertisement", "", True)]),
    ("economy", "application", "ვაჭრობის ნებართვა საჯარო სივრცეში", "Street trading permit",
     "დროებითი ნებართვა ქუჩაში ან სკვერში ვაჭრობაზე.",
     "A temporary permit to trade in a street or square.",
     "ფიზიკური და იურიდიული პირები.", "Individuals and companies.", "განცხადება", "Application",
     2000, 5, "საკრებულოს დადგენილება ადგილობრივი მოსაკრებლის შესახებ",
     "The Sakrebulo's resolution on local fees",
     [("text", "ადგილი", "Place", "", True), ("date", "დაწყების თარიღი", "Starting date", "", True)]),
    ("reception", "appointment", "მერის მიღება", "Meeting the mayor",
     "მოქალაქეთა მიღება მერთან: თქვენი საკითხი პირადად.",
     "The mayor receives citizens: raise your issue in person.",
     "ნებისმიერი მცხოვრები.", "Any resident.", "პირადობის მოწმობა", "Identity card", 0, 0,
     "ადგილობრივი თვითმმართველობის კოდექსი", "Local Self-Government Code", []),
]

PEOPLE = ["ნინო ბერიძე", "გიორგი ქობალია", "თამარ ჟვანია", "ლევან ხუბუა", "მაია გოგუა"]


def _department(key: str) -> Department:
    name_ka, name_en, place_ka, place_en, minutes, places, hours = DEPARTMENTS[key]
    found = db.session.scalar(select(Department).where(Department.name_ka == name_ka))
    if found is None:
        found = Department(name_ka=name_ka, name_en=name_en, place_ka=place_ka, place_en=place_en,
                           slot_minutes=minutes, slot_capacity=places, hours=hours, days_ahead=21)
        db.session.add(found)
        db.session.flush()
    return found


def _service(entry) -> tuple[Service, bool]:
    (dept, mode, title_ka, title_en, summary_ka, summary_en, who_ka, who_en, docs_ka, docs_en,
     fee, days, law_ka, law_en, fields) = entry
    found = db.session.scalar(select(Service).where(Service.title_ka == title_ka))
    if found is not None:
        return found, False
    service = Service(department_id=_department(dept).id, mode=mode, title_ka=title_ka, title_en=title_en,
                      summary_ka=summary_ka, summary_en=summary_en, eligibility_ka=who_ka,
                      eligibility_en=who_en, documents_ka=docs_ka, documents_en=docs_en,
                      fee_tetri=fee, delivery_days=days, legal_basis_ka=law_ka, legal_basis_en=law_en)
    db.session.add(service)
    db.session.flush()
    for position, (kind, label_ka, label_en, choices, required) in enumerate(fields, 1):
        db.session.add(ServiceField(service_id=service.id, position=position, kind=kind, label_ka=label_ka,
                                    label_en=label_en, choices=choices, is_required=required))
    db.session.flush()
    return service, True


def _request(service: Service, person: str, status: str, **values) -> None:
    request = ServiceRequest(service_id=service.id, kind=service.mode, status=status,
                             code_hash=code_hash(new_code()), link_nonce=secrets.token_hex(16),
                             full_name=person, email=f"demo{secrets.token_hex(3)}@example.ge",
                             locale="ka", **values)
    db.session.add(request)
    db.session.flush()
    db.session.add(RequestEvent(request_id=request.id, to_status=status))


def _demo_requests(made: dict[str, Service]) -> None:
    now = utcnow()
    for title, person, status in (("მშენებლობის ნებართვა (II კლასი)", PEOPLE[0], "submitted"),
                                  ("ცნობა საცხოვრებელი ადგილის შესახებ", PEOPLE[1], "in_progress"),
                                  ("ერთჯერადი მატერიალური დახმარება", PEOPLE[2], "documents_requested")):
        if title in made:
            _request(made[title], person, status, answers={},
                     message="გთხოვთ, ატვირთოთ სამედიცინო ცნობა." if status == "documents_requested" else "")
    for title, person in (("კონსულტაცია არქიტექტორთან", PEOPLE[3]),
                          ("სოციალური აგენტის კონსულტაცია", PEOPLE[4])):
        service = made.get(title)
        if service is None:
            continue
        from portal.blueprints.municipal_services import calendar

        for day in calendar.open_days(service.department, now, limit=3):
            times = calendar.times(service.department, day, now)
            if not times:
                continue
            try:
                slot = booking.take(service.department, day, times[0].minute, now)
            except DomainError:
                continue
            _request(service, person, "booked", slot_id=slot.id, day=day, start_minute=slot.start_minute)
            break


def load_demo_services() -> str:
    from flask import current_app

    from portal.tenancy import get_directory

    made_count = 0
    # Both looked up before anything is written: the directory reads on its own connection,
    # which on SQLite would wait for this transaction's write lock.
    tenants = [get_directory(current_app).by_slug(slug) for slug in ("poti", "abasha")]
    for tenant in tenants:
        if tenant is None:
            continue
        with tenant_context(tenant):
            made = {}
            for entry in SERVICES:
                service, new = _service(entry)
                if new:
                    made[service.title_ka] = service
            _demo_requests(made)
            db.session.flush()
            made_count += len(made)
    return f"services: {made_count} made"
