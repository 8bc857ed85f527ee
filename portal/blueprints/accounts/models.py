"""People who sign in: staff (password + TOTP) and citizens (e-mail link), their roles per
municipality, single-use tokens and recovery codes."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Model, TenantOwned, Timestamped, relationship, utcnow
from portal.services.crypto import EncryptedString

STAFF = "staff"
CITIZEN = "citizen"


class User(UserMixin, Timestamped, Model):
    """One person, across municipalities; what they may do lives in ``RoleAssignment`` rows."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Personal data: the sign-in identifier, stored lower-cased.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10), default=CITIZEN)
    #: argon2id hash; NULL for citizens and for invited staff who have not chosen one yet.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: Base32 TOTP secret, set once enrolment is confirmed with a valid code; stored encrypted
    #: with PORTAL_ENCRYPTION_KEY (a database copy alone does not give anyone the codes).
    totp_secret: Mapped[str | None] = mapped_column("totp_secret_sealed", EncryptedString(255))
    #: Last accepted TOTP time step, so a code cannot be replayed within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped by "sign out everywhere" and password changes: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The language the person last used the portal in when signed in (sign-in, the language
    #: switch): e-mails sent later on their behalf speak it. None: the municipality's own.
    locale: Mapped[str | None] = mapped_column(String(5))

    #: Not a column: the key of the signed-in session this object was loaded for (or started).
    session_key = ""

    def get_id(self) -> str:
        # "<id>:<version>:<session key>": the key names a user_sessions row, ended on sign-out;
        # bumping the version signs out every browser (see accounts.__init__).
        return f"{self.id}:{self.session_version}:{self.session_key}"

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF

    def __repr__(self) -> str:
        return f"<User {self.id} {self.kind}>"


class RoleAssignment(TenantOwned, Timestamped, Model):
    """A role one person holds in one municipality (several rows for several roles or places)."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class RecoveryCode(Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of a random 10-character code (high entropy, so a fast hash is enough).
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountToken(Timestamped, Model):
    """A single-use, expiring link: password reset, staff invitation or citizen sign-in."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(10))
    #: SHA-256 of the token in the link; the link itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The municipality whose page sent the link (NULL on the shared host).
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailure(Model):
    """Failed staff sign-ins of one account from one address (``accounts/throttle.py``)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (UniqueConstraint("user_id", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: Personal data: the client's IPv4 address or IPv6 /64; purged a day after the last failure.
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserSession(Model):
    """One signed-in browser: the cookie carries a random key, this row says whether the
    session is still alive (``accounts/user_sessions.py``)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random key in the (signed) session cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Updated at most once a minute; idle time is measured from it.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Sign-out, sign-out everywhere or a password change; purged soon after.
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
