"""Who an author is, as the law asks before a petition goes to the moderators: first and last
name, date of birth (an adult), personal number, e-mail and phone, the e-mail confirmed by the
citizen sign-in link and the phone by an SMS code (``services/phone_codes``). Flushes, never
commits.

The personal number is stored as on signatures (``personal_numbers``: a keyed hash and a
sealed copy) and never shown whole; staff see its last digits (``masked``). Profiles are
blanked with the rest of a petition's personal data (``anonymise.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.petitions import personal_numbers
from portal.blueprints.petitions.models import AuthorProfile
from portal.db import utcnow
from portal.extensions import db
from portal.services import phone_codes
from portal.services.errors import DomainError
from portal.services.recipients import InvalidRecipient, georgian_mobile

#: The age from which a person may author a petition.
ADULT_AGE = 18
#: Digits of the personal number staff may see.
SHOWN_DIGITS = 3


def purpose(user) -> str:
    """What an author's phone code confirms (``phone_codes``): this person's author phone."""
    return f"petitions.author:{user.id}"


def profile_of(user) -> AuthorProfile | None:
    """The person's author details in the current municipality, if they gave them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalars(select(AuthorProfile).where(AuthorProfile.user_id == user.id)).first()


def author_of(petition) -> tuple[object, AuthorProfile | None]:
    """(the author's account, their author details) for staff, or (None, None)."""
    from portal.blueprints.accounts.models import User

    if petition.author_id is None:
        return None, None
    user = db.session.get(User, petition.author_id)
    profile = db.session.scalars(select(AuthorProfile).where(
        AuthorProfile.user_id == petition.author_id)).first()
    return user, profile


def is_complete(profile: AuthorProfile | None) -> bool:
    """Every detail given and both contacts confirmed: the author may send petitions."""
    return bool(profile is not None and profile.anonymised_at is None and profile.first_name
                and profile.last_name and profile.birth_date and profile.personal_number_hash
                and profile.email_confirmed_at and profile.phone and profile.phone_confirmed_at)


def require_complete(user) -> None:
    """Raises DomainError unless the person's author details are complete and confirmed."""
    if not is_complete(profile_of(user)):
        raise DomainError(_l("Before a petition can be sent for moderation, fill in your author "
                             "details and confirm your phone (see “Author details”)."))


def adult_on(birth_date: date, today: date) -> bool:
    """Whether someone born on ``birth_date`` is ADULT_AGE or older on ``today``."""
    years = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return years >= ADULT_AGE


def save_profile(user, *, first_name: str, last_name: str, birth_date: date | None,
                 personal_number: str | None, phone: str, today: date | None = None,
                 now: datetime | None = None) -> AuthorProfile:
    """Create or change the person's author details.

    ``personal_number`` may be left empty to keep the stored one. A new phone number needs
    confirming again. The e-mail is the account's, confirmed by the sign-in link the person
    used. Raises DomainError naming the field for a missing name, a birth date of a minor or
    in the future, a personal number that is not 11 digits, or a phone that is not a Georgian
    mobile number.
    """
    now = now or utcnow()
    today = today or now.date()
    profile = profile_of(user) or AuthorProfile(user_id=user.id)
    first_name, last_name = " ".join((first_name or "").split()), " ".join((last_name or "").split())
    if not first_name:
        raise DomainError(_l("Enter your first name."), field="first_name")
    if not last_name:
        raise DomainError(_l("Enter your last name."), field="last_name")
    if birth_date is None or birth_date > today or birth_date.year < 1900:
        raise DomainError(_l("Enter your date of birth."), field="birth_date")
    if not adult_on(birth_date, today):
        raise DomainError(_l("Only an adult (18 or older) can author a petition."),
                          field="birth_date")
    if personal_number:
        number = personal_numbers.clean(personal_number)
        profile.personal_number_hash = personal_numbers.fingerprint(number)
        profile.personal_number = number
    elif not profile.personal_number_hash:
        raise DomainError(_l("A personal number has exactly 11 digits."), field="personal_number")
    try:
        phone = georgian_mobile(phone or "")
    except InvalidRecipient:
        raise DomainError(_l("Enter a Georgian mobile number: 9 digits starting with 5, such as "
                             "555 12 34 56."), field="phone") from None
    if phone != profile.phone:
        profile.phone_confirmed_at = None
    profile.first_name, profile.last_name, profile.birth_date, profile.phone = (
        first_name, last_name, birth_date, phone)
    profile.email_confirmed_at = profile.email_confirmed_at or now
    profile.anonymised_at = None
    db.session.add(profile)
    db.session.flush()
    return profile


def send_phone_code(user, profile: AuthorProfile, *, language: str) -> None:
    """Text a code to the profile's phone; raises DomainError when none may be sent now."""
    if not profile.phone:
        raise DomainError(_l("Enter your phone number first."), field="phone")
    phone_codes.send_code(profile.phone, purpose(user), language=language)


def confirm_phone(user, profile: AuthorProfile, code: str) -> None:
    """Mark the phone confirmed with the code typed back.

    Raises ``phone_codes.CodeRefused`` (a wrong try is counted: the caller commits)."""
    phone_codes.confirm(profile.phone, purpose(user), code)
    profile.phone_confirmed_at = utcnow()
    db.session.flush()


def masked(profile: AuthorProfile) -> str:
    """The personal number as staff may see it: only its last SHOWN_DIGITS digits."""
    number = profile.personal_number or ""
    if len(number) <= SHOWN_DIGITS:
        return ""
    return "•" * (len(number) - SHOWN_DIGITS) + number[-SHOWN_DIGITS:]
