"""What the audit log's actions and values are called, in the page's language.

One registry: ``ACTIONS`` names every action the code records (tests/admin/test_audit_labels.py
reads each ``record(...)`` call and fails on an action missing here), ``FIELDS`` the keys that
entries' before/after values use most. The log shows these labels; the raw key stays in the row
(and in the filter, which matches by prefix) for operators.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.web.permissions import ROLE_LABELS

ACTIONS: dict[str, object] = {
    "sign_in.succeeded": _l("Signed in"),
    "sign_in.failed": _l("Sign-in failed"),
    "sign_in.locked": _l("Sign-in paused after failed attempts"),
    "sign_out": _l("Signed out"),
    "sign_out.everywhere": _l("Signed out everywhere"),
    "two_factor.enrolled": _l("Two-step verification set up"),
    "two_factor.failed": _l("Wrong two-step verification code"),
    "password.set": _l("Password set"),
    "staff.invited": _l("Staff member invited"),
    "staff.roles_changed": _l("Staff roles changed"),
    "staff.deactivated": _l("Staff member deactivated"),
    "settings.updated": _l("Settings changed"),
    "features.updated": _l("Sections switched on or off"),
    "feature_settings.updated": _l("A section's settings changed"),
    "outbox.approve": _l("Held SMS approved"),
    "outbox.retry": _l("Failed messages sent again"),
    "outbox.resend": _l("Unconfirmed messages sent again"),
    "job.retry": _l("Failed job queued again"),
    "platform.tenant_added": _l("Municipality added"),
    "platform.admin_appointed": _l("Administrator appointed"),
    "news.create": _l("News item written"),
    "news.update": _l("News item changed"),
    "news.publish": _l("News item published or scheduled"),
    "news.unpublish": _l("News item unpublished"),
    "news.pin": _l("News item pinned"),
    "news.unpin": _l("News item unpinned"),
    "news.delete": _l("News item deleted"),
    "news.category_create": _l("News category added"),
    "news.category_update": _l("News category changed"),
    "news.category_delete": _l("News category deleted"),
    "projects.create": _l("Project added"),
    "projects.update": _l("Project changed"),
    "projects.publish": _l("Project published"),
    "projects.unpublish": _l("Project unpublished"),
    "projects.update_posted": _l("Project update posted"),
    "projects.update_deleted": _l("Project update deleted"),
    "consultations.create": _l("Consultation added"),
    "consultations.update": _l("Consultation changed"),
    "consultations.publish": _l("Consultation published"),
    "consultations.unpublish": _l("Consultation unpublished"),
    "consultations.documents_added": _l("Consultation documents attached"),
    "consultations.document_deleted": _l("Consultation document removed"),
    "consultations.outcome": _l("Consultation summary published"),
    "consultations.comment_published": _l("Consultation comment published"),
    "consultations.comment_rejected": _l("Consultation comment rejected"),
    "consultations.comment_answered": _l("Consultation comment answered"),
    "consultations.comment_noted": _l("Staff note on a consultation comment"),
    "tour.sight_create": _l("Sight added"),
    "tour.sight_update": _l("Sight changed"),
    "tour.sight_photo": _l("Sight's photo replaced"),
    "tour.sight_publish": _l("Sight published"),
    "tour.sight_unpublish": _l("Sight unpublished"),
    "tour.sight_delete": _l("Sight deleted"),
    "petitions.voter_count_set": _l("Registered voters recorded"),
    "petitions.status_changed": _l("Petition status changed"),
    "petitions.burst_invalidated": _l("Burst of petition signatures invalidated"),
    "petitions.sample_drawn": _l("Verification sample drawn"),
    "petitions.signature_checked": _l("Sampled signature checked"),
    "petitions.paper_signatures_added": _l("Paper signatures entered"),
    "read.petition_signatures": _l("Petition signatures exported"),
    "read.petition_author_profile": _l("Petition author's details viewed"),
    "satisfaction.comment_approved": _l("Satisfaction comment published"),
    "satisfaction.comment_hidden": _l("Satisfaction comment hidden"),
    "surveys.created": _l("Survey created"),
    "surveys.updated": _l("Survey settings changed"),
    "surveys.status_changed": _l("Survey status changed"),
    "surveys.results_published": _l("Survey results published"),
    "surveys.results_hidden": _l("Survey results made staff-only"),
    "surveys.section_saved": _l("Survey section saved"),
    "surveys.section_deleted": _l("Survey section deleted"),
    "surveys.question_saved": _l("Survey question saved"),
    "surveys.question_deleted": _l("Survey question deleted"),
    "surveys.deleted": _l("Survey deleted"),
    "read.survey_answers": _l("Survey answers exported"),
    "letters.assigned": _l("Letter assigned"),
    "letters.note_added": _l("Internal note added to a letter"),
    "letters.status_changed": _l("Letter status changed"),
    "letters.replied": _l("Letter answered"),
    "letters.publication_allowed": _l("Letter allowed on the public list"),
    "letters.publication_withheld": _l("Letter withheld from the public list"),
    "read.letter": _l("Letter opened (personal data)"),
    "read.letter_attachment": _l("Letter attachment downloaded"),
    "municipal_services.status": _l("Service request moved to another step"),
    "municipal_services.service_created": _l("Service added to the catalogue"),
    "municipal_services.service_updated": _l("Service in the catalogue changed"),
    "municipal_services.department_created": _l("Service department added"),
    "municipal_services.department_updated": _l("Service department or its calendar changed"),
    "municipal_services.field_added": _l("Question added to a service's form"),
    "municipal_services.field_removed": _l("Question removed from a service's form"),
    "municipal_services.field_updated": _l("Question of a service's form changed"),
    "municipal_services.field_moved": _l("Question of a service's form moved"),
    "read.service_request": _l("Service request opened (personal data)"),
    "read.service_request_file": _l("Service request file downloaded"),
    "working_days.set": _l("Working day exception set"),
    "working_days.removed": _l("Working day exception removed"),
    "subscriptions.broadcast": _l("Announcement broadcast to subscribers"),
    "read.subscriptions.subscribers": _l("Subscribers exported"),
    "subscriptions.sms_stop": _l("SMS subscriptions ended by a STOP reply"),
    "grants.competition.created": _l("Grant competition created"),
    "grants.competition.changed": _l("Grant competition changed"),
    "grants.competition.published": _l("Grant competition published"),
    "grants.competition.unpublished": _l("Grant competition taken off the public pages"),
    "grants.application.scored": _l("Grant application scored"),
    "grants.application.conflict": _l("Conflict of interest declared on a grant application"),
    "grants.application.decided": _l("Grant application decided"),
    "grants.competition.announced": _l("Grant competition results announced"),
    "grants.results.exported": _l("Grant competition results exported"),
    "grants.report.submitted": _l("Funded project report published"),
    "read.grant_application": _l("Grant application opened (personal data)"),
    "read.grant_application_attachment": _l("Grant application attachment downloaded"),
    "read.consultation_comment": _l("Consultation comment opened (personal data)"),
    "session.create": _l("Session created"),
    "session.update": _l("Session changed"),
    "session.delete": _l("Session deleted"),
    "agenda.add": _l("Agenda item added"),
    "agenda.update": _l("Agenda item changed"),
    "agenda.move": _l("Agenda item moved"),
    "agenda.delete": _l("Agenda item deleted"),
    "document.upload": _l("Document uploaded"),
    "document.delete": _l("Document deleted"),
    "attendance.save": _l("Attendance saved"),
    "body.create": _l("Council body added"),
    "body.update": _l("Council body changed"),
    "member.create": _l("Council member added"),
    "member.update": _l("Council member changed"),
    "membership.add": _l("Seat added"),
    "membership.end": _l("Seat ended"),
    "membership.delete": _l("Seat deleted"),
    "member_report.save": _l("Member's activity report saved"),
    "member_report.publish": _l("Member's activity report published"),
    "member_report.unpublish": _l("Member's activity report taken off the public pages"),
    "recording.match": _l("Recording matched to a session"),
    "recording.import": _l("Video imported"),
    "transcript.upload": _l("Transcript uploaded"),
    "transcript.correct": _l("Transcript corrected"),
    "transcript.confirm": _l("Machine transcript confirmed"),
    "sync.queue": _l("Archive sync queued"),
}

FIELDS: dict[str, object] = {
    "roles": _l("Roles"),
    "email": _l("E-mail"),
    "active": _l("Active"),
    "method": _l("Method"),
    "title": _l("Title"),
    "status": _l("Status"),
    "kind": _l("Kind"),
    "place": _l("Place"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "position": _l("Position"),
    "name": _l("Name"),
    "name_ka": _l("Name (Georgian)"),
    "name_en": _l("Name (English)"),
    "slug": _l("Address name"),
    "role": _l("Role"),
    "starts_on": _l("From"),
    "ends_on": _l("To"),
    "session_id": _l("Session"),
    "recording_id": _l("Recording"),
    "confirmed": _l("Confirmed"),
    "segments": _l("Lines"),
    "language": _l("Language"),
    "url": _l("Address"),
    "source": _l("Source"),
    "approved": _l("Approved"),
    "queued": _l("Queued"),
    "task": _l("Job"),
    "task_id": _l("Job"),
    "filename": _l("File"),
    "size": _l("Size"),
    "scores": _l("Scores"),
    "amount": _l("Amount"),
    "note": _l("Note"),
    "told": _l("Applicants told"),
    "budget": _l("Budget"),
    "currency": _l("Currency"),
    "report": _l("Report"),
}


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def describe_values(values: dict | None) -> list[tuple[str, str]]:
    """An entry's before/after as (label, text) pairs: words, not JSON."""
    return [(str(FIELDS.get(key, key)), _text(key, value)) for key, value in (values or {}).items()]


def _text(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        items = [str(ROLE_LABELS.get(v, v)) if key == "roles" else _text(key, v) for v in value]
        return ", ".join(items) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{FIELDS.get(k, k)}: {_text(k, v)}" for k, v in value.items())
    return str(value)
