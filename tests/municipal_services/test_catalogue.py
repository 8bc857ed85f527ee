"""The public catalogue (search in both languages, a service's page, htmx fragments) and the
staff's editor (services, form questions, department calendars: audited, refusals in the
editor's language, another municipality's rows out of reach)."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.municipal_services.models import Department, Service
from portal.extensions import db
from portal.services.audit import AuditEntry
from portal.tenancy import tenant_context
from tests.helpers import HTMX, csrf_token
from tests.municipal_services.factories import make_service


def test_the_catalogue_finds_services_in_both_languages(app, client, poti, poti_world):
    page = client.get("/poti/services/")
    assert page.status_code == 200 and "მშენებლობის ნებართვა" in page.text and "კონსულტაცია" in page.text
    found = client.get("/poti/services/?q=მშენებლობის")
    assert "მშენებლობის ნებართვა" in found.text and "კონსულტაცია</a>" not in found.text
    client.set_cookie("lang", "en")
    english = client.get("/poti/services/?q=CONSTRUCTION")
    assert "Construction permit" in english.text and "Consultation</a>" not in english.text
    none = client.get("/poti/services/?q=%25_nothing")
    assert "No service matches" in none.text
    fragment = client.get("/poti/services/?q=permit", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="service-results"' in fragment.text
    show = client.get(f"/poti/services/{poti_world.application_id}")
    assert show.status_code == 200 and "100 GEL" in show.text and "30 working days" in show.text
    assert "Apply online" in show.text
    assert client.get(f"/poti/services/{poti_world.appointment_id}").text.count("Book an appointment") >= 1


def test_unpublished_and_foreign_services_are_a_404(app, client, poti, abasha, poti_world):
    hidden = make_service(app, poti, poti_world.department_id, title_ka="დამალული", is_published=False)
    assert client.get(f"/poti/services/{hidden}").status_code == 404
    assert "დამალული" not in client.get("/poti/services/").text
    assert client.get(f"/abasha/services/{poti_world.application_id}").status_code == 404
    assert client.get(f"/abasha/services/{poti_world.application_id}/apply").status_code == 404
    assert "მშენებლობის ნებართვა" not in client.get("/abasha/services/").text


def _audit(app, poti, action):
    with app.app_context(), tenant_context(poti):
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_an_editor_adds_a_service_its_questions_and_a_department(app, poti, poti_world, editor):
    page = editor.get("/poti/admin/services/catalogue/new")
    assert page.status_code == 200
    token = csrf_token(page.text)
    bad = editor.post("/poti/admin/services/catalogue/new", data={
        "csrf_token": token, "title_ka": "", "department_id": str(poti_world.department_id),
        "mode": "application", "fee_tetri": "-5", "delivery_days": "3"})
    assert bad.status_code == 422 and "This field is required." in bad.text
    made = editor.post("/poti/admin/services/catalogue/new", data={
        "csrf_token": token, "title_ka": "ცნობა", "title_en": "Certificate",
        "department_id": str(poti_world.department_id), "mode": "application", "is_published": "y",
        "fee_tetri": "250", "delivery_days": "3", "documents_ka": "პირადობა\nგანცხადება"})
    assert made.status_code == 303
    with app.app_context(), tenant_context(poti):
        service = db.session.scalar(select(Service).where(Service.title_ka == "ცნობა"))
        assert (service.fee_tetri, service.delivery_days, service.is_published) == (250, 3, True)
        service_id = service.id
    assert _audit(app, poti, "municipal_services.service_created")
    field = editor.post(f"/poti/admin/services/catalogue/{service_id}/fields", data={
        "csrf_token": token, "label_ka": "მისამართი", "label_en": "Address", "kind": "text",
        "is_required": "y"})
    assert field.status_code == 303
    page = editor.get(f"/poti/admin/services/catalogue/{service_id}")
    assert "მისამართი" in page.text or "Address" in page.text
    assert "Address" in editor.get(f"/poti/services/{service_id}/apply").text
    with app.app_context(), tenant_context(poti):
        field_id = db.session.get(Service, service_id).fields[0].id
    removed = editor.post(f"/poti/admin/services/catalogue/{service_id}/fields/{field_id}/remove",
                          data={"csrf_token": token})
    assert removed.status_code == 303 and _audit(app, poti, "municipal_services.field_removed")

    page = editor.get("/poti/admin/services/departments/new")
    wrong = editor.post("/poti/admin/services/departments/new", data={
        "csrf_token": csrf_token(page.text), "name_ka": "მისაღები", "mon": "13:00-09:00",
        "slot_minutes": "15", "slot_capacity": "1", "days_ahead": "14"})
    assert wrong.status_code == 422 and "Write the hours as 09:00-13:00" in wrong.text
    editor.set_cookie("lang", "ka")
    georgian = editor.post("/poti/admin/services/departments/new", data={
        "csrf_token": csrf_token(page.text), "name_ka": "მისაღები", "mon": "ცხრა",
        "slot_minutes": "15", "slot_capacity": "1", "days_ahead": "14"})
    assert georgian.status_code == 422 and "ჩაწერეთ საათები ასე: 09:00-13:00" in georgian.text
    good = editor.post("/poti/admin/services/departments/new", data={
        "csrf_token": csrf_token(page.text), "name_ka": "მისაღები", "mon": "09:00 – 13:00",
        "slot_minutes": "15", "slot_capacity": "1", "days_ahead": "14"})
    assert good.status_code == 303
    with app.app_context(), tenant_context(poti):
        department = db.session.scalar(select(Department).where(Department.name_ka == "მისაღები"))
        assert department.hours == {"mon": ["09:00", "13:00"]}
    assert _audit(app, poti, "municipal_services.department_created")


def _questions(app, tenant, service_id) -> list[tuple[str, str, bool]]:
    with app.app_context(), tenant_context(tenant):
        service = db.session.get(Service, service_id)
        return [(f.label_en, f.kind, f.is_required)
                for f in sorted(service.fields, key=lambda f: (f.position, f.id))]


def test_an_editor_changes_a_question_and_puts_the_form_in_order(app, poti, poti_world, editor):
    service_id = poti_world.application_id
    path = f"/poti/admin/services/catalogue/{service_id}"
    page = editor.get(path)
    token = csrf_token(page.text)
    with app.app_context(), tenant_context(poti):
        ids = {f.label_en: f.id for f in db.session.get(Service, service_id).fields}
    assert [q[0] for q in _questions(app, poti, service_id)] == ["Cadastral code", "Floor area", "Use", "Design"]
    assert f"{path}/fields/{ids['Floor area']}" in page.text  # the question's edit link

    edit = editor.get(f"{path}/fields/{ids['Floor area']}")
    assert edit.status_code == 200 and 'value="Floor area"' in edit.text
    bad = editor.post(f"{path}/fields/{ids['Floor area']}", data={
        "csrf_token": token, "label_ka": "", "kind": "number"})
    assert bad.status_code == 422 and "This field is required." in bad.text
    changed = editor.post(f"{path}/fields/{ids['Floor area']}", data={
        "csrf_token": token, "label_ka": "ფართი (კვ.მ)", "label_en": "Floor area (m²)", "kind": "number",
        "is_required": "y"})
    assert changed.status_code == 303
    [entry] = _audit(app, poti, "municipal_services.field_updated")
    assert entry.after["label_en"] == "Floor area (m²)" and entry.after["is_required"] is True

    for field, direction in (("Design", "up"), ("Design", "up"), ("Cadastral code", "down")):
        moved = editor.post(f"{path}/fields/{ids[field]}/move",
                            data={"csrf_token": token, "direction": direction})
        assert moved.status_code == 303
    # already first (a page left open): told so, nothing moves
    first = editor.post(f"{path}/fields/{ids['Design']}/move", data={"csrf_token": token, "direction": "up"})
    assert first.status_code == 422 and "This question is already at that end of the form." in first.text
    assert _questions(app, poti, service_id) == [
        ("Design", "file", True), ("Cadastral code", "text", True), ("Floor area (m²)", "number", True),
        ("Use", "choice", True)]
    assert len(_audit(app, poti, "municipal_services.field_moved")) == 3  # the first one stayed
    assert editor.post(f"{path}/fields/{ids['Use']}/move",
                       data={"csrf_token": token, "direction": "sideways"}).status_code == 400
    # the applicant's form asks in the new order
    form = editor.get(f"/poti/services/{service_id}/apply").text
    assert form.index("Design") < form.index("Cadastral code") < form.index("Floor area (m²)")


def test_an_abasha_editor_cannot_touch_poti_s_catalogue(app, poti, abasha, poti_world, abasha_editor, operator):
    page = abasha_editor.get("/abasha/admin/services/catalogue")
    assert page.status_code == 200 and "მშენებლობის ნებართვა" not in page.text
    assert abasha_editor.get(f"/abasha/admin/services/catalogue/{poti_world.application_id}").status_code == 404
    response = abasha_editor.post(f"/abasha/admin/services/catalogue/{poti_world.application_id}", data={
        "csrf_token": csrf_token(page.text), "title_ka": "შეცვლილი", "department_id": "1",
        "mode": "application", "fee_tetri": "0", "delivery_days": "0"})
    assert response.status_code == 404
    assert abasha_editor.get(f"/abasha/admin/services/departments/{poti_world.department_id}").status_code == 404
    with app.app_context(), tenant_context(poti):
        field_id = db.session.get(Service, poti_world.application_id).fields[0].id
    base = f"/abasha/admin/services/catalogue/{poti_world.application_id}/fields/{field_id}"
    assert abasha_editor.get(base).status_code == 404
    for path, data in ((base, {"label_ka": "შეცვლილი", "kind": "text"}), (f"{base}/move", {"direction": "down"}),
                       (f"{base}/remove", {})):
        assert abasha_editor.post(path, data={"csrf_token": csrf_token(page.text), **data}).status_code == 404
    assert _questions(app, poti, poti_world.application_id)[0][0] == "Cadastral code"
    with app.app_context(), tenant_context(poti):
        assert db.session.get(Service, poti_world.application_id).title_ka == "მშენებლობის ნებართვა"
    # an operator runs the queue but does not edit the catalogue
    assert operator.get("/poti/admin/services/catalogue").status_code == 403


def test_odd_input_is_never_a_500(app, client, poti, poti_world, operator, editor):
    for path in ("/poti/services/?q=" + "x" * 500, "/poti/services/?department=abc",
                 "/poti/services/?department=99999999999999999999",
                 f"/poti/services/{poti_world.appointment_id}/book?day=2026-02-31",
                 f"/poti/services/{poti_world.appointment_id}/book?day=9999-12-31",
                 "/poti/services/requests/" + "A" * 300, "/poti/services/99999999999"):
        assert client.get(path).status_code in (200, 404), path
    for path in ("/poti/admin/services/?day=9999-12-31", "/poti/admin/services/?day=0001-01-01",
                 "/poti/admin/services/?status=nonsense&department=-1&page=abc"):
        assert operator.get(path).status_code == 200, path
    page = editor.get("/poti/admin/services/catalogue/new")
    response = editor.post("/poti/admin/services/catalogue/new", data={
        "csrf_token": csrf_token(page.text), "title_ka": "x", "department_id": "99999999999999999999",
        "mode": "nonsense", "fee_tetri": "1" * 30, "delivery_days": "٣"})
    assert response.status_code == 422


def test_the_dashboard_and_my_page(app, client, poti, poti_world, operator, staff):
    from tests.municipal_services.test_booking import _book
    from tests.staff_fixtures import signed_in

    citizen = staff(poti, [], kind="citizen", email="citizen@example.ge", name="ნინო ბერიძე")
    signed_in(client, citizen)
    response, _ = _book(client, f"/poti/services/{poti_world.appointment_id}/book")
    assert response.status_code == 303
    mine = client.get("/poti/accounts/me")
    assert mine.status_code == 200 and "კონსულტაცია" in mine.text
    link = __import__("re").search(r'href="(/poti/services/requests/[^"]+)"', mine.text).group(1)
    assert client.get(link).status_code == 200
    dashboard = operator.get("/poti/admin/")
    assert dashboard.status_code == 200 and "New applications: 0" in dashboard.text
