"""Members' yearly activity reports: the clerk writes a text and/or attaches a file for a
member and a year, then publishes it (or takes it back). Like ``services``: flush, never
commit; refusals are ``ArchiveError`` (or ``uploads.UploadRefused``) naming the form field.

The text is cleaned once here (``services/sanitize.text_or_html``: plain text becomes
paragraphs) and again as it is shown; the file is checked by its content and stored under a
server-made name (``services/uploads``), and a replaced or removed file goes once the
transaction commits.
"""

from __future__ import annotations

import html
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.sessions.council.services import ArchiveError
from portal.blueprints.sessions.council.year_figures import year_is_valid
from portal.blueprints.sessions.models import Member, MemberReport
from portal.db import utcnow
from portal.extensions import db
from portal.services import storage, uploads
from portal.services.sanitize import text_or_html
from portal.tenancy import current_tenant

#: The longest report text, as typed (the cleaned HTML may be a little longer).
TEXT_LIMIT = 50_000
#: The largest attached file.
FILE_LIMIT = uploads.LIMIT


def check_year(year: int) -> None:
    if not year_is_valid(year):
        raise ArchiveError(_l("There is no such year for a report."), "year")


def save_report(member: Member, year: int, *, text: str = "", upload=None,
                remove_file: bool = False) -> MemberReport:
    """Write (or rewrite) ``member``'s report for ``year``: the text, a new file (replacing
    the old one) or the old file removed. A published report stays published.

    Raises ``ArchiveError`` for a year out of range, a text over ``TEXT_LIMIT`` or a report
    left with neither text nor file; ``UploadRefused`` (field ``file``) for a file refused
    by ``uploads.check``.
    """
    check_year(year)
    if len(text or "") > TEXT_LIMIT:
        raise ArchiveError(_l("The report is longer than %(limit)s characters.",
                              limit=TEXT_LIMIT), "text")
    report = db.session.scalar(select(MemberReport).where(
        MemberReport.member_id == member.id, MemberReport.year == year))
    if report is None:
        report = MemberReport(member_id=member.id, year=year)
        db.session.add(report)
    report.body = text_or_html(text)
    if upload is not None and getattr(upload, "filename", ""):
        checked = uploads.check(upload, limit=FILE_LIMIT, field="file")
        _drop_file(report)
        report.file_path = uploads.store(checked, folder=f"{current_tenant.slug}/member-reports")
        report.file_name, report.file_type = checked.name, checked.mimetype
        report.file_size = len(checked.data)
    elif remove_file:
        _drop_file(report)
    if not report.body and not report.file_path:
        raise ArchiveError(_l("Write the report or attach a file."), "text")
    db.session.flush()
    return report


#: Stored text that is only paragraphs and line breaks: what ``text_or_html`` makes of plain text.
_PLAIN = re.compile(r"^(?:<p>(?:(?!</?p>)[^<])*(?:<br>(?:(?!</?p>)[^<])*)*</p>)+$")


def editable_text(body: str) -> str:
    """The stored report as the clerk edits it: plain text again when it was typed as plain
    text (paragraphs and line breaks only), else the HTML."""
    if not body or not _PLAIN.match(body):
        return body or ""
    paragraphs = body[len("<p>"):-len("</p>")].split("</p><p>")
    return "\n\n".join(html.unescape(p.replace("<br>", "\n")) for p in paragraphs)


def _drop_file(report: MemberReport) -> None:
    if report.file_path:
        storage.unlink_on_commit(report.file_path)
    report.file_path, report.file_name, report.file_type, report.file_size = None, "", "", 0


def publish(report: MemberReport) -> bool:
    """Make the report public, dated now; False if it already was (its date stays)."""
    if report.published_at is not None:
        return False
    report.published_at = utcnow()
    db.session.flush()
    return True


def unpublish(report: MemberReport) -> bool:
    """Take the report off the public pages; False if it was not public."""
    if report.published_at is None:
        return False
    report.published_at = None
    db.session.flush()
    return True


def report_values(report: MemberReport) -> dict:
    """What the audit log keeps of a report (the text's length, not the text)."""
    return {"member_id": report.member_id, "year": report.year,
            "text_length": len(report.body or ""), "file": report.file_name or None,
            "published_at": report.published_at.isoformat() if report.published_at else None}
