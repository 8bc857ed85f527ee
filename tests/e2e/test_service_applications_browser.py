"""Online applications for municipal services in headless Chromium, on one live portal whose
real job worker delivers the outbox to a local SMTP server and SMS provider
(tests/e2e/flow_site.py), with the demo departments of both municipalities.

A catalogue editor signs in and writes a new service in both languages (who can apply, the
documents, the fee, the time, the department, the legal basis), builds its application form (a
text question, a choice, an upload) while it is hidden, then publishes it: the public catalogue
and its search show it. A citizen applies: the empty form shows the messages in place, a file
that is not what its name says is refused by its content, a good application with a PDF gets its
confirmation code, the link to the status page, and the message (e-mail or SMS) with that link.
An operator opens it from the queue and asks for a missing document; the citizen is told by
their channel and sends it from the status page; the operator approves it or refuses it with a
reason; the citizen's page and message say so, and the satisfaction invitation follows.
Both municipalities, Georgian and English, JavaScript on and off; every page checked by axe in
both languages (tests/e2e/flow_people.py)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.flow_people import Citizen, Staff
from tests.e2e.flow_site import PATIENCE, flow_site
from tests.helpers import shared_host_path

pytestmark = [pytest.mark.browser, pytest.mark.no_db_rollback]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A Windows program named like a PDF: refused by what it is, not by its name.
FAKE_PDF = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

#: One new service per case: (title ka, title en, a word of it to search for).
SERVICES = {
    "poti-ka": ("ღობის მოწყობის თანხმობა", "Consent to build a garden fence", "ღობის"),
    "abasha-en": ("ჯიხურის განთავსების ნებართვა", "Permit to place a kiosk", "kiosk"),
    "poti-en": ("საკანალიზაციო ქსელთან მიერთების თანხმობა", "Consent to connect to the sewer", "sewer"),
    "abasha-ka": ("ეზოში ხის მოჭრის ნებართვა", "Permit to fell a tree in a yard", "მოჭრის"),
}
#: (slug, language, JavaScript, how the citizen is reached, the decision)
#: Every municipality in both languages and with JavaScript on and off; each language and each
#: channel with JavaScript on and off.
CASES = [("poti", "ka", True, "email", "approved"),
         ("abasha", "en", True, "sms", "rejected"),
         ("poti", "en", False, "email", "rejected"),
         ("abasha", "ka", False, "sms", "approved")]
PHONES = {"poti-ka": "555 21 31 41", "abasha-en": "555 51 61 71", "poti-en": "555 22 32 42",
          "abasha-ka": "555 52 62 72"}
#: The demo department each new service is given.
DEPARTMENT = ("არქიტექტურისა და ურბანული განვითარების სამსახური",
              "Architecture and Urban Development Service")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with flow_site(tmp_path_factory.mktemp("service-applications")) as running:
        from portal.blueprints.municipal_services.demo import load_demo_services
        from portal.extensions import db

        with running.app.app_context():
            load_demo_services()
            db.session.commit()
            db.session.remove()
        yield running


def _search(citizen: Citizen, word: str, count: int) -> None:
    """The catalogue searched for ``word``: ``count`` results."""
    page = citizen.page
    citizen.go(f"/{citizen.slug}/services/")
    page.fill("#q", word)
    if citizen.js:
        page.locator("#service-search button[type=submit]").click()
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
    else:
        with page.expect_navigation():
            page.locator("#service-search button[type=submit]").click()
    expect(page.locator("#service-results li.card")).to_have_count(count)
    citizen.check()


def _create_service(editor: Staff, key: str) -> str:
    """The catalogue editor's new service, hidden, with its form; returns its editor's path."""
    page, lang = editor.page, editor.lang
    title_ka, title_en, _word = SERVICES[key]
    editor.go(f"/{editor.slug}/admin/services/catalogue")
    editor.follow(page.get_by_role("link", name=editor.t("New service")), "**/catalogue/new")
    # nothing typed: the messages, in place
    editor.submit(page.locator("#service-form button[type=submit]"), selector="#service-form .error")
    expect(page.locator("#title_ka-error")).to_be_visible()
    page.fill("#title_ka", title_ka)
    page.fill("#title_en", title_en)
    page.select_option("#department_id", label=DEPARTMENT[0 if lang == "ka" else 1])
    page.check(f"label:text-is('{editor.t('Online application')}')")
    page.uncheck("#is_published")
    page.fill("#summary_ka", f"{title_ka}: განცხადება ონლაინ, გადაწყვეტილება ელფოსტით ან SMS-ით.")
    page.fill("#summary_en", f"{title_en}: apply online, hear the decision by e-mail or SMS.")
    page.fill("#eligibility_ka", "ნაკვეთის ან შენობის მესაკუთრე, ან მისი წარმომადგენელი.")
    page.fill("#eligibility_en", "The owner of the plot or building, or their representative.")
    page.fill("#documents_ka", "პირადობის მოწმობის ასლი\nნაკვეთის გეგმა")
    page.fill("#documents_en", "A copy of the identity card\nThe plan of the plot")
    page.fill("#fee_tetri", "2550")
    page.fill("#delivery_days", "10")
    page.fill("#legal_basis_ka", "საქართველოს ზოგადი ადმინისტრაციული კოდექსი, მუხლი 78")
    page.fill("#legal_basis_en", "General Administrative Code of Georgia, article 78")
    editor.submit(page.locator("#service-form button[type=submit]"), re.compile(r"/catalogue/\d+$"),
                  selector=".flash")
    expect(page.locator(".flash")).to_contain_text(editor.t("The service is saved."))
    path = re.sub(r"^https?://[^/]+", "", page.url)

    questions = [("text", "საკადასტრო კოდ", "Cadastral cod", "", False),  # mended below
                 ("choice", "ნაკვეთის დანიშნულება", "Use of the plot",
                  "საცხოვრებელი | Residential\nკომერციული | Commercial", True),
                 ("file", "ნაკვეთის გეგმა", "Plan of the plot", "", True)]
    # a question without words is refused in place
    editor.submit(page.locator("#field-form button[type=submit]"), selector="#field-form .error")
    expect(page.locator("#label_ka-error")).to_be_visible()
    for kind, label_ka, label_en, choices, required in questions:
        page.fill("#label_ka", label_ka)
        page.fill("#label_en", label_en)
        page.select_option("#kind", kind)
        page.fill("#choices", choices)
        page.set_checked("#is_required", required)
        editor.submit(page.locator("#field-form button[type=submit]"), re.compile(r"/catalogue/\d+$"),
                      selector=".flash")
        expect(page.locator(".flash")).to_contain_text(editor.t("The question is added."))
    rows = page.locator("section[aria-labelledby=fields-title] tbody tr")
    expect(rows).to_have_count(3)
    # the first question mended (its words, now required), the upload put before the choice
    editor.follow(rows.nth(0).get_by_role("link", name=re.compile(editor.t("Edit"))),
                  re.compile(r"/fields/\d+$"))
    page.fill("#label_ka", "საკადასტრო კოდი")
    page.fill("#label_en", "Cadastral code")
    page.check("#is_required")
    editor.submit(page.locator("#field-form button[type=submit]"), re.compile(r"/catalogue/\d+$"),
                  selector=".flash")
    expect(page.locator(".flash")).to_contain_text(editor.t("The question is saved."))
    editor.submit(rows.nth(2).get_by_role("button", name=editor.t("Move up")),
                  re.compile(r"/catalogue/\d+$"), selector=".flash")
    expect(page.locator(".flash")).to_contain_text(editor.t("The question is moved."))
    expect(rows.nth(0)).to_contain_text("საკადასტრო კოდი" if lang == "ka" else "Cadastral code")
    expect(rows.nth(1)).to_contain_text("ნაკვეთის გეგმა" if lang == "ka" else "Plan of the plot")
    expect(rows.nth(0)).to_contain_text(editor.t("Yes"))
    if editor.slug == "poti" and lang == "ka":
        editor.shot("service-editor")
    return path


def _publish(editor: Staff, path: str) -> None:
    page = editor.page
    editor.go(path)
    page.check("#is_published")
    editor.submit(page.locator("#service-form button[type=submit]"), re.compile(r"/catalogue/\d+$"),
                  selector=".flash")
    expect(page.locator("#is_published")).to_be_checked()


def _field(page, label: str):
    return page.get_by_label(label, exact=True)


def _error_of(page, label: str):
    return page.locator(f"#{_field(page, label).get_attribute('id')}-error")


def _apply(citizen: Citizen, key: str, channel: str, phone: str, name: str) -> str:
    """From the catalogue to the page after sending; returns the status page's path."""
    page, t = citizen.page, citizen.t
    title_ka, title_en, word = SERVICES[key]
    title = title_ka if citizen.lang == "ka" else title_en
    _search(citizen, word, 1)
    citizen.follow(page.locator("#service-results li.card h2 a", has_text=title),
                   re.compile(r"/services/\d+$"))
    main = page.locator("main")
    expect(main).to_contain_text(t("Who can apply"))
    expect(main).to_contain_text("The plan of the plot" if citizen.lang == "en" else "ნაკვეთის გეგმა")
    expect(main).to_contain_text("25.5" if citizen.lang == "en" else "25,5")
    expect(main).to_contain_text("article 78" if citizen.lang == "en" else "მუხლი 78")
    citizen.follow(page.get_by_role("link", name=t("Apply online")), re.compile(r"/services/\d+/apply$"))
    form = page.locator("#apply-form")
    cadastral, use, plan = (("Cadastral code", "Use of the plot", "Plan of the plot") if citizen.lang == "en"
                            else ("საკადასტრო კოდი", "ნაკვეთის დანიშნულება", "ნაკვეთის გეგმა"))
    asked = form.locator("fieldset").nth(1).locator("label")
    expect(asked).to_have_text([cadastral, plan, use])  # in the editor's order

    # empty: the messages, each under its field, in the page's language
    citizen.submit(form.locator("button[type=submit]"), selector="#apply-form .error")
    form = page.locator("#apply-form")
    expect(page.locator("#full_name-error")).to_have_text(t("This field is required."))
    expect(page.locator("#email-error")).to_have_text(
        t("Give an e-mail address or a mobile phone number, or both."))
    expect(_error_of(page, cadastral)).to_have_text(t("This field is required."))
    expect(_error_of(page, use)).to_be_visible()
    expect(_error_of(page, plan)).to_have_text(t("Choose a file."))

    # a program named like a PDF: refused by its content, the answers kept
    page.fill("#full_name", name)
    if channel == "email":
        page.fill("#email", citizen.email)
    else:
        page.fill("#phone", phone)
    _field(page, cadastral).fill("04.01.12.345")
    _field(page, use).select_option(label="Commercial" if citizen.lang == "en" else "კომერციული")
    _field(page, plan).set_input_files(files=[{"name": "გეგმა.pdf", "mimeType": "application/pdf",
                                               "buffer": FAKE_PDF}])
    citizen.submit(page.locator("#apply-form button[type=submit]"), selector="#apply-form .error")
    expect(_error_of(page, plan)).to_have_text(t(
        "This kind of file cannot be attached. Attach a PDF, a picture (PNG or JPEG) or a text "
        "document (ODT or DOCX)."))
    expect(_field(page, cadastral)).to_have_value("04.01.12.345")
    expect(page.locator("#full_name")).to_have_value(name)

    _field(page, plan).set_input_files(files=[{"name": "გეგმა.pdf", "mimeType": "application/pdf",
                                               "buffer": PDF}])
    if citizen.slug == "poti" and citizen.lang == "ka":
        citizen.shot("service-apply")
    citizen.submit(page.locator("#apply-form button[type=submit]"), "**/services/sent")
    expect(page.locator("strong.code")).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    link = page.get_by_role("link", name=t("Open your request"))
    return re.sub(r"^https?://[^/]+", "", link.get_attribute("href"))


def _sms_since(site, phone: str, seen: int) -> tuple[str, int]:
    """The first text to ``phone`` after the ``seen`` ones, and how many there are now."""
    destination = "995" + re.sub(r"\D", "", phone)
    deadline = time.monotonic() + PATIENCE
    while True:
        with site.sms.lock:
            texts = [m["content"] for m in site.sms.by_reference.values()
                     if m["destination"] == destination]
        if len(texts) > seen:
            return texts[seen], seen + 1
        assert time.monotonic() < deadline, f"no new SMS to {destination}\n{site.worker_tail()}"
        time.sleep(0.1)


def _status_link(text: str) -> str:
    return shared_host_path(re.search(r"https?://\S+/services/requests/\S+", text).group(0))


def _operator_step(operator: Staff, step: str, message: str = "") -> None:
    """Take ``step``; without ``message`` where one is needed, the refusal in place."""
    page = operator.page
    page.select_option("#status", step)
    page.fill("#message", message)
    if message or step not in ("documents_requested", "rejected"):
        # no wait for the address: under htmx it may already be the request's page
        operator.submit(page.locator("#step-form button[type=submit]"), selector=".flash")
        expect(page).to_have_url(re.compile(r"/admin/services/requests/\d+$"))
    else:
        operator.submit(page.locator("#step-form button[type=submit]"), selector="#message-error")


@pytest.mark.parametrize(("slug", "lang", "js", "channel", "decision"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{'js' if c[2] else 'nojs'}-{c[3]}" for c in CASES])
def test_edit_apply_ask_for_documents_and_decide(site, chromium, slug, lang, js, channel, decision):
    key = f"{slug}-{lang}"
    email, phone = f"applicant-{key}@example.ge", PHONES[key]
    name = f"ნინო ბერიძე {key}{'-js' if js else ''}"
    by_sms = channel == "sms"
    texts = 0

    editor = Staff(site, chromium, slug, lang, js, ["services_editor"])
    editor.sign_in()
    service_path = _create_service(editor, key)
    citizen = Citizen(site, chromium, slug, lang, js, email)
    _search(citizen, SERVICES[key][2], 0)  # hidden while the form is being built
    _publish(editor, service_path)

    status_path = _apply(citizen, key, channel, phone, name)
    page, t = citizen.page, citizen.t
    if by_sms:
        text, texts = _sms_since(site, phone, texts)
        link = _status_link(text)
    else:
        [mail] = citizen.mail("Your application is received")
        link = mail.link(r"/services/requests/")
    assert link == status_path
    citizen.go(link)
    expect(page.locator("#request-status")).to_have_text(t("Received"))
    answers = page.locator("section[aria-labelledby=answers-title]")
    expect(answers).to_contain_text("04.01.12.345")
    expect(answers).to_contain_text("Commercial" if lang == "en" else "კომერციული")
    expect(page.locator("section[aria-labelledby=files-title]")).to_contain_text("გეგმა.pdf")

    # the operator asks for a missing document
    operator = Staff(site, chromium, slug, lang, js, ["operator"])
    operator.sign_in()
    operator.go(f"/{slug}/admin/services/")
    operator.follow(operator.page.locator("table a", has_text=name),
                    re.compile(r"/admin/services/requests/\d+$"))
    answers = operator.page.locator("section[aria-labelledby=answers-title]")
    expect(answers).to_contain_text("04.01.12.345")
    expect(answers).to_contain_text("Commercial" if lang == "en" else "კომერციული")
    asked = ("ატვირთეთ ამონაწერი საჯარო რეესტრიდან." if lang == "ka"
             else "Please send the extract from the Public Registry.")
    _operator_step(operator, "documents_requested")  # words are needed for this step
    expect(operator.page.locator("#message-error")).to_be_visible()
    _operator_step(operator, "documents_requested", asked)
    expect(operator.page.locator("#request-status")).to_have_text(operator.t("Documents missing"))

    if by_sms:
        text, texts = _sms_since(site, phone, texts)
        assert _status_link(text).startswith(f"/{slug}/services/requests/")
        if lang == "en":  # Georgian texts go out in Latin letters
            assert asked in text
    else:
        [mail] = citizen.mail("News of your request")
        assert asked in mail.text
        mail.link(r"/services/requests/")
    citizen.go(link)
    expect(page.locator("#request-status")).to_have_text(t("Documents missing"))
    expect(page.locator("section[aria-labelledby=message-title]")).to_contain_text(asked)
    documents = page.locator("#documents")
    documents.set_input_files(files=[{"name": "extract.pdf", "mimeType": "application/pdf",
                                      "buffer": FAKE_PDF}])
    citizen.submit(page.locator("#documents-form button[type=submit]"), selector="#documents-form .error")
    expect(page.locator("#documents-error")).to_have_text(t(
        "This kind of file cannot be attached. Attach a PDF, a picture (PNG or JPEG) or a text "
        "document (ODT or DOCX)."))
    page.locator("#documents").set_input_files(files=[{"name": "ამონაწერი.pdf",
                                                       "mimeType": "application/pdf", "buffer": PDF}])
    citizen.submit(page.locator("#documents-form button[type=submit]"), selector=".flash")
    expect(page.locator(".flash")).to_contain_text(t("Your documents are sent."))
    expect(page.locator("#request-status")).to_have_text(t("Received"))
    expect(page.locator("section[aria-labelledby=files-title] li")).to_have_count(2)
    # the request for documents is answered: in the history now, no longer a standing message
    expect(page.locator("section[aria-labelledby=message-title]")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=history-title]")).to_contain_text(asked)
    if slug == "poti" and lang == "ka":
        citizen.shot("service-status")

    # the decision
    operator.go(re.sub(r"^https?://[^/]+", "", operator.page.url))
    expect(operator.page.locator("section[aria-labelledby=files-title] li")).to_have_count(2)
    reason = "" if decision == "approved" else (
        "ნაკვეთი დაცულ ზონაშია." if lang == "ka" else "The plot lies in a protected zone.")
    if decision == "rejected":
        _operator_step(operator, "rejected")
        expect(operator.page.locator("#message-error")).to_be_visible()
    _operator_step(operator, decision, reason)
    label = "Approved" if decision == "approved" else "Refused"
    expect(operator.page.locator("#request-status")).to_have_text(operator.t(label))
    expect(operator.page.locator("#step-form")).to_have_count(0)

    news = "Your application is approved." if decision == "approved" else "Your application is refused."
    if by_sms:
        text, texts = _sms_since(site, phone, texts)
        assert _status_link(text).startswith(f"/{slug}/services/requests/")
        if lang == "en":
            assert citizen.t(news) in text and reason in text
    else:
        mails = citizen.mail("News of your request", count=2)
        assert citizen.t(news) in mails[-1].text
        if reason:
            assert reason in mails[-1].text
    citizen.go(link)
    expect(page.locator("#request-status")).to_have_text(t(label))
    if reason:
        expect(page.locator("section[aria-labelledby=message-title]")).to_contain_text(reason)
    expect(page.locator("#documents-form")).to_have_count(0)
    expect(page.locator("#cancel-form")).to_have_count(0)

    # the satisfaction invitation follows the decision, by the same channel
    site.run_job("send_satisfaction_invitations", slug)
    if by_sms:
        text, texts = _sms_since(site, phone, texts)
        assert "/satisfaction/answer/" in text
    else:
        [invitation] = citizen.mail("How did we do?")
        citizen.go(invitation.link(r"/satisfaction/answer/"))
    for person in (citizen, operator, editor):
        person.close()
