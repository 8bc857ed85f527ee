"""The register: found by words only inside its PDF (the archive's one search index, scoped by
municipality, kept out of the archive's own search), filters, versions, the job that reads a
file's text, downloads, the Atom feed, bad uploads refused in words, and each municipality's
staff kept to its own documents."""

from __future__ import annotations

import io
from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from portal.blueprints.documents import services
from portal.blueprints.documents.models import DocumentVersion, PublicDocument
from portal.blueprints.documents.pdf import make_pdf
from portal.blueprints.sessions.search import SearchQuery, search
from portal.extensions import db
from portal.tenancy import tenant_context
from tests.documents.conftest import BASE, post
from tests.documents.factories import document_form, make_document, pdf_upload
from tests.helpers import count_queries

LIST = "/poti/documents/"


@pytest.fixture
def documents(app, poti, abasha):
    return {
        "budget": make_document(app, poti, words="ზღვისპირა ბულვარის განათება"),
        "order": make_document(app, poti, title="მერის ბრძანება ტრანსპორტზე", category="order",
                               issuer="cityhall", adopted_on=date(2026, 2, 10),
                               words="მალთაყვის სანაპირო მარშრუტი"),
        "draft": make_document(app, poti, title="მონახაზი", words="საიდუმლო ბულვარის", published=False),
        "abasha": make_document(app, abasha, title="აბაშის ბიუჯეტი", words="მარანის სკოლის ბულვარის"),
    }


def test_a_word_only_inside_the_pdf_finds_the_document(client, documents):
    page = client.get(LIST, query_string={"q": "ბულვარის"})
    assert page.status_code == 200
    assert "ბიუჯეტის დამტკიცების შესახებ" in page.text
    assert "<mark>ბულვარის</mark>" in page.text
    assert "მონახაზი" not in page.text and "აბაშის ბიუჯეტი" not in page.text
    assert "მერის ბრძანება" not in page.text


def test_filters_by_category_issuer_and_year_also_in_a_search(client, documents):
    assert "მერის ბრძანება" in client.get(LIST, query_string={"category": "order"}).text
    assert "ბიუჯეტის დამტკიცების" not in client.get(LIST, query_string={"category": "order"}).text
    found = client.get(LIST, query_string={"q": "მარშრუტი", "issuer": "sakrebulo"}).text
    assert "მერის ბრძანება" not in found
    assert "მერის ბრძანება" in client.get(LIST, query_string={"q": "მარშრუტი", "year": 2026}).text
    assert "მერის ბრძანება" not in client.get(LIST, query_string={"q": "მარშრუტი", "year": 2025}).text
    for bad in ({"year": "x"}, {"category": "nope"}, {"before": "-4"}, {"page": "99999999999"}):
        assert client.get(LIST, query_string=bad).status_code == 200


def test_the_archive_search_does_not_show_register_documents(app, documents, poti):
    with app.app_context():
        page = search(db.session.connection(), SearchQuery(text="ბულვარის", tenant_ids=(poti.id,)))
        assert page.groups == []
        page = search(db.session.connection(), SearchQuery(tenant_ids=(poti.id,), year=2025))
        assert all(not g.key.startswith("d") for g in page.groups)


def test_the_list_runs_the_same_number_of_queries_for_more_documents(app, client, poti):
    make_document(app, poti)
    client.get(LIST)
    with app.app_context(), count_queries(db.engine) as few:
        client.get(LIST)
    for n in range(4):
        make_document(app, poti, title=f"დოკუმენტი {n}")
    with app.app_context(), count_queries(db.engine) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_the_page_lists_versions_and_downloads_the_file(app, client, documents, poti):
    with app.app_context(), tenant_context(poti):
        document = db.session.get(PublicDocument, documents["budget"])
        services.add_version(document, pdf_upload("შესწორებული ტექსტი კოლხეთის"), note="შესწორება",
                             read_now=True)
        db.session.commit()
        versions = db.session.scalars(select(DocumentVersion).where(
            DocumentVersion.document_id == document.id).order_by(DocumentVersion.number)).all()
    page = client.get(f"{LIST}{documents['budget']}")
    assert page.status_code == 200
    assert "შესწორება" in page.text and page.text.count("/files/") >= 3
    download = client.get(f"{LIST}{documents['budget']}/files/{versions[0].id}")
    data = download.data
    download.close()
    assert download.status_code == 200 and data.startswith(b"%PDF-")
    assert "attachment" in download.headers["Content-Disposition"]
    # The index follows the current version only.
    assert "ბიუჯეტის დამტკიცების" in client.get(LIST, query_string={"q": "კოლხეთის"}).text
    assert "ბიუჯეტის დამტკიცების" not in client.get(LIST, query_string={"q": "ბულვარის განათება"}).text
    assert client.get(f"{LIST}{documents['draft']}").status_code == 404
    assert client.get(f"/abasha/documents/{documents['budget']}").status_code == 404


def test_the_job_reads_a_pending_file_then_it_is_found(app, client, poti):
    document_id = make_document(app, poti, words="პირველი")
    with app.app_context(), tenant_context(poti):
        document = db.session.get(PublicDocument, document_id)
        version = services.add_version(document, pdf_upload("პალიასტომის ტბა"))
        assert version.text_status == "pending"
        db.session.commit()
        assert services.extract_pending(version.id) == "ready"
        db.session.commit()
        assert services.extract_pending(version.id) == "nothing to do"
    assert "ბიუჯეტის დამტკიცების" in client.get(LIST, query_string={"q": "პალიასტომის"}).text


def test_the_atom_feeds_are_xml(client, documents):
    for query in ({}, {"category": "order"}):
        feed = client.get(f"{LIST}documents.atom", query_string=query)
        assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
        root = ElementTree.fromstring(feed.data)
        titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert ("მერის ბრძანება ტრანსპორტზე" in titles) and (
            ("ბიუჯეტის დამტკიცების შესახებ" in titles) == (not query))
    assert client.get(f"{LIST}documents.atom", query_string={"category": "x"}).status_code == 404


def test_an_editor_writes_uploads_and_publishes(app, editor, poti):
    made = post(editor, f"{BASE}/new", document_form())
    assert made.status_code == 303
    url = made.headers["Location"]
    assert post(editor, f"{url}/publish").status_code == 422  # no file yet
    assert "Upload the document" in post(editor, f"{url}/publish").text
    pdf = make_pdf("ბრძანება", ["ტრანსპორტის ბრძანება"])
    assert post(editor, f"{url}/versions", {"file": (io.BytesIO(pdf), "order.pdf")},
                content_type="multipart/form-data").status_code == 303
    assert post(editor, f"{url}/publish").status_code == 303
    assert "მერის ბრძანება" in app.test_client().get(LIST).text


def test_a_document_is_announced_to_subscribers_once(app, editor, poti):
    from portal.blueprints.subscriptions.models import Notice

    made = post(editor, f"{BASE}/new", document_form())
    url = made.headers["Location"]
    pdf = make_pdf("ბრძანება", ["ტრანსპორტის ბრძანება"])
    post(editor, f"{url}/versions", {"file": (io.BytesIO(pdf), "order.pdf")},
         content_type="multipart/form-data")
    for step in ("publish", "unpublish", "publish"):
        assert post(editor, f"{url}/{step}").status_code == 303
    document_id = int(url.rsplit("/", 1)[1])
    with app.app_context(), tenant_context(poti):
        notices = list(db.session.scalars(select(Notice)))
    assert [(n.topic, n.item_key) for n in notices] == [
        ("documents.new", f"documents.new:public_document:{document_id}")]
    assert "მერის ბრძანება" in notices[0].subject["ka"]
    assert notices[0].subject["en"].startswith("New public document:")
    assert notices[0].url.endswith(f"/documents/{document_id}")
    assert notices[0].lines["en"][0].startswith("Mayor's orders, No. 01-12 of ")
    assert 'topic=documents.new' in app.test_client().get(LIST).text


@pytest.mark.parametrize("name, data", [
    ("fake.pdf", b"hello, not a pdf"),
    ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
    ("empty.pdf", b""),
])
def test_a_bad_upload_is_refused_in_words(app, editor, poti, name, data):
    document_id = make_document(app, poti)
    page = post(editor, f"{BASE}/{document_id}/versions", {"file": (io.BytesIO(data), name)},
                content_type="multipart/form-data")
    assert page.status_code == 422
    assert ("cannot be added to the register" in page.text) or ("The file is empty" in page.text)
    with app.app_context(), tenant_context(poti):
        assert db.session.scalar(select(DocumentVersion.id).where(
            DocumentVersion.document_id == document_id, DocumentVersion.number == 2)) is None


def test_office_files_are_taken_and_read(app, poti):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "შესრულება კვარტალი"
    out = io.BytesIO()
    book.save(out)
    document_id = make_document(app, poti)
    with app.app_context(), tenant_context(poti):
        document = db.session.get(PublicDocument, document_id)
        version = services.add_version(document, io_upload(out.getvalue(), "table.xlsx"), read_now=True)
        assert version.mimetype.endswith("spreadsheetml.sheet") and "კვარტალი" in version.text
        db.session.rollback()


def io_upload(data: bytes, name: str):
    from werkzeug.datastructures import FileStorage

    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_another_municipalitys_staff_can_neither_read_nor_change(app, staff, abasha, poti, documents):
    from tests.staff_fixtures import signed_in

    client = app.test_client()
    signed_in(client, staff(abasha, ["editor"]))
    poti_document = documents["budget"]
    assert client.get(f"/abasha/admin/documents/{poti_document}").status_code == 404
    assert client.get(f"/poti/admin/documents/{poti_document}").status_code == 403
    listing = client.get("/abasha/admin/documents/").text
    assert "ბიუჯეტის დამტკიცების შესახებ" not in listing and "აბაშის ბიუჯეტი" in listing
