"""The council's composition: bodies (the Sakrebulo and its committees), members with their
photos, and members' seats in bodies. Like ``services``: flush, never commit; ``ArchiveError``
for a broken rule, naming the form field it belongs to.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.sessions.council.services import ArchiveError, check_choice
from portal.blueprints.sessions.models import BODY_KINDS, Body, CouncilSession, Member, Membership
from portal.extensions import db
from portal.services import storage, uploads
from portal.tenancy import current_tenant

#: Largest member photo; PNG or JPEG only, recognised by their content (``uploads.kind_of``).
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = {uploads.PNG: ".png", uploads.JPEG: ".jpg"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_slug(model, slug: str, current_id: int | None) -> str:
    slug = (slug or "").strip().lower()
    if not SLUG.match(slug):
        raise ArchiveError(_l("Use lower-case Latin letters, digits and hyphens (e.g. finance)."),
                           "slug")
    taken = select(model.id).where(model.slug == slug)
    if current_id:
        taken = taken.where(model.id != current_id)
    if db.session.scalar(taken) is not None:
        raise ArchiveError(_l("This address is already in use."), "slug")
    return slug


def _flush_unique(field: str) -> None:
    # The check above can lose a race with another clerk; the constraint decides, in words.
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise ArchiveError(_l("This address is already in use."), field) from exc


BODY_FIELDS = ("slug", "name_ka", "name_en", "kind", "position")


def save_body(body: Body | None, *, slug: str, name_ka: str, name_en: str = "",
              kind: str = "committee", position: int = 0) -> Body:
    """Create (``body`` None) or change the Sakrebulo or a committee. The slug (its public
    address) is unique in the municipality. Raises ``ArchiveError``."""
    slug = _check_slug(Body, slug, body.id if body else None)
    if not (name_ka or "").strip():
        raise ArchiveError(_l("Enter the Georgian name."), "name_ka")
    check_choice(kind, BODY_KINDS, _l("Unknown kind of body."), "kind")
    if body is None:
        body = Body(slug=slug, name_ka="")
        db.session.add(body)
    body.slug, body.name_ka, body.name_en = slug, name_ka.strip(), (name_en or "").strip()
    body.kind, body.position = kind, int(position or 0)
    _flush_unique("slug")
    return body


def body_values(body: Body) -> dict:
    return {name: getattr(body, name) for name in BODY_FIELDS}


MEMBER_FIELDS = ("slug", "name_ka", "name_en", "party", "faction", "email", "phone",
                 "speaker_label", "term_start", "term_end", "activity_report")


def save_member(member: Member | None, **fields) -> Member:
    """Create (``member`` None) or change a member of the Sakrebulo. The slug is unique in the
    municipality, the term may not end before it starts, the activity report is plain text.
    Raises ``ArchiveError``."""
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ArchiveError(f"unknown fields {sorted(unknown)}")
    fields["slug"] = _check_slug(Member, fields.get("slug", ""), member.id if member else None)
    if not (fields.get("name_ka") or "").strip():
        raise ArchiveError(_l("Enter the Georgian name."), "name_ka")
    start, end = fields.get("term_start"), fields.get("term_end")
    if start and end and end < start:
        raise ArchiveError(_l("The term cannot end before it starts."), "term_end")
    report = (fields.get("activity_report") or "").replace("\r\n", "\n").strip()
    fields["activity_report"] = report
    if member is None:
        member = Member(slug=fields["slug"], name_ka="")
        db.session.add(member)
    for name in MEMBER_FIELDS:
        value = fields.get(name)
        if name not in ("term_start", "term_end"):
            value = (value or "").strip() if name != "activity_report" else value
        setattr(member, name, value)
    _flush_unique("slug")
    return member


def member_values(member: Member) -> dict:
    values = {name: getattr(member, name) for name in MEMBER_FIELDS}
    values["photo_path"] = member.photo_path
    return values


def set_member_photo(member: Member, filename: str, data: bytes | None) -> None:
    """Store a PNG or JPEG photo (checked by its content, at most ``PHOTO_MAX_BYTES``, its
    metadata such as EXIF's GPS position dropped: ``uploads.strip_metadata``) as the member's
    photo, or remove the photo (``data`` None). The old file goes on commit."""
    relative = None
    if data is not None:
        kind = uploads.kind_of(data)
        suffix = PHOTO_TYPES.get(kind)
        try:
            if suffix is None or len(data) > PHOTO_MAX_BYTES:
                raise ValueError("not a photo")
            data = uploads.strip_metadata(data, kind)
        except ValueError:
            raise ArchiveError(_l("The photo must be a PNG or JPEG image of at most %(size)s MB.",
                                  size=PHOTO_MAX_BYTES // (1024 * 1024)), "photo") from None
        relative, _safe = storage.save(current_tenant.slug, f"{member.slug}-photo{suffix}", data)
        storage.unlink_on_rollback(relative)
    if member.photo_path:
        storage.unlink_on_commit(member.photo_path)
    member.photo_path = relative
    db.session.flush()


def photo_type(path: str) -> str:
    return "image/png" if path.endswith(".png") else "image/jpeg"


def _check_seat(member_id: int, body_id: int, starts_on: date, ends_on: date | None,
                current_id: int | None = None) -> None:
    if ends_on and ends_on < starts_on:
        raise ArchiveError(_l("A seat cannot end before it starts."), "ends_on")
    overlapping = select(Membership.id).where(
        Membership.member_id == member_id, Membership.body_id == body_id,
        or_(Membership.ends_on.is_(None), Membership.ends_on >= starts_on))
    if ends_on:
        overlapping = overlapping.where(Membership.starts_on <= ends_on)
    if current_id:
        overlapping = overlapping.where(Membership.id != current_id)
    if db.session.scalar(overlapping.limit(1)) is not None:
        raise ArchiveError(_l("The member already has a seat in this body at that time."),
                           "starts_on")


def add_membership(member: Member, body: Body, *, starts_on: date, ends_on: date | None = None,
                   role: str = "") -> Membership:
    """Give a member a seat in a body from ``starts_on`` (to ``ends_on``, if known). Seats of
    one member in one body may not overlap. Raises ``ArchiveError``."""
    if starts_on is None:
        raise ArchiveError(_l("Enter the date the seat starts."), "starts_on")
    _check_seat(member.id, body.id, starts_on, ends_on)
    seat = Membership(member_id=member.id, body_id=body.id, role=(role or "").strip(),
                      starts_on=starts_on, ends_on=ends_on)
    db.session.add(seat)
    _flush_unique("starts_on")
    return seat


def end_membership(seat: Membership, ends_on: date) -> Membership:
    """Close a seat on ``ends_on`` (its last day)."""
    if ends_on is None:
        raise ArchiveError(_l("Enter the last day of the seat."), "ends_on")
    _check_seat(seat.member_id, seat.body_id, seat.starts_on, ends_on, current_id=seat.id)
    seat.ends_on = ends_on
    db.session.flush()
    return seat


def delete_membership(seat: Membership) -> None:
    """Remove a seat entered by mistake (an ended seat is history: end it instead)."""
    db.session.delete(seat)
    db.session.flush()


def membership_values(seat: Membership) -> dict:
    return {"member_id": seat.member_id, "body_id": seat.body_id, "role": seat.role,
            "starts_on": seat.starts_on, "ends_on": seat.ends_on}


def speaker_labels(session: CouncilSession) -> dict[str, str]:
    """How a transcript may name the members seated in ``session``'s body on its day: each
    member's speaker label and names, case-folded → the name to store as the speaker (the
    label, which the member's page looks for, else the Georgian name)."""
    day = session.starts_at.date()
    members = db.session.scalars(
        select(Member).join(Membership, Membership.member_id == Member.id)
        .where(Membership.body_id == session.body_id, Membership.starts_on <= day,
               or_(Membership.ends_on.is_(None), Membership.ends_on >= day)))
    labels = {}
    for member in members:
        for form in (member.speaker_label, member.name_ka, member.name_en):
            if form.strip():
                labels[" ".join(form.split()).casefold()] = member.speaker_label or member.name_ka
    return labels
