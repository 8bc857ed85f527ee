"""Record what happened to each claimed message, in as few durable commits as is safe.

Every write is the first statement of its transaction (on SQLite a transaction that read first
cannot take the write lock once another connection has written: SQLITE_BUSY_SNAPSHOT) and is
guarded by the batch's claim token, so a worker whose lease ran out cannot overwrite the worker
that took the message over.

The hand-off mark must be durable before the provider can accept a message: it is what stops a
second send after a crash. A "sent" (or "in_doubt") mark need not be: if it is lost, the
message is found in doubt again and recorded ``in_doubt`` without being resent. So these marks
ride along with the next commit (the next message's hand-off, or the end of the batch): one
commit per message.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from portal.db import utcnow
from portal.delivery.claim import Claimed
from portal.delivery.models import OutboxMessage as M
from portal.extensions import db

#: A finished message no longer needs its link token (``sealing.py``).
FORGET_SECRET = {"secret_sealed": None}


class Ledger:
    def __init__(self) -> None:
        self._deferred: list[tuple[Claimed, dict]] = []

    def _update(self, message: Claimed, values: dict) -> bool:
        result = db.session.execute(
            update(M).where(M.id == message.id, M.claim_token == message.token).values(**values),
            execution_options={"synchronize_session": False},
        )
        return result.rowcount == 1

    def _commit(self, message: Claimed | None = None, **values) -> bool:
        db.session.commit()  # end any read transaction: the write must come first
        for deferred, deferred_values in self._deferred:
            self._update(deferred, deferred_values)
        self._deferred.clear()
        ok = self._update(message, values) if message is not None else True
        db.session.commit()
        return ok

    def flush(self) -> None:
        if self._deferred:
            self._commit()

    def handoff(self, message: Claimed) -> bool:
        """The provider may now receive the message; False if our claim was lost."""
        return self._commit(message, handed_off_at=utcnow())

    def handoff_all(self, batch: list[Claimed]) -> set[int]:
        """Hand-off marks for a whole batch in one commit; the ids still ours."""
        if not batch:
            return set()
        db.session.commit()
        self.flush()
        ids = [m.id for m in batch]
        token = batch[0].token
        db.session.execute(
            update(M).where(M.id.in_(ids), M.claim_token == token)
            .values(handed_off_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
        ours = set(db.session.execute(
            select(M.id).where(M.id.in_(ids), M.claim_token == token)).scalars())
        db.session.commit()
        return ours

    def sent(self, message: Claimed, provider_message_id: str | None = None,
             note: str | None = None) -> None:
        self._deferred.append((message, {
            "status": "sent", "sent_at": utcnow(), "lease_until": None,
            "provider_message_id": provider_message_id, "last_error": note, **FORGET_SECRET}))

    def in_doubt(self, message: Claimed, note: str) -> None:
        """Handed over, outcome unknown: not sent again unless staff ask (operations.resend)."""
        self._deferred.append((message, {
            "status": "in_doubt", "sent_at": utcnow(), "lease_until": None,
            "last_error": note[:2000]}))

    def final(self, message: Claimed, status: str, error: str) -> bool:
        """failed or bounced: no more attempts."""
        return self._commit(message, status=status, lease_until=None, last_error=error[:2000],
                            **FORGET_SECRET)

    def held(self, message: Claimed, reason: str) -> bool:
        return self._commit(message, status="held", lease_until=None, claim_token=None,
                            attempts=message.attempts - 1, last_error=reason)

    def retry(self, message: Claimed, error: str, *, delay: float, max_attempts: int,
              keep_handoff: bool = False) -> bool:
        """Back to pending after ``delay`` seconds, or failed once attempts are used up.

        ``keep_handoff`` keeps the in-doubt mark, so the next attempt asks the provider first.
        """
        if message.attempts >= max_attempts:
            return self.final(message, "failed",
                              f"gave up after {message.attempts} attempts: {error}")
        values = {"status": "pending", "lease_until": None, "claim_token": None,
                  "next_attempt_at": utcnow() + timedelta(seconds=delay),
                  "last_error": error[:2000]}
        if not keep_handoff:
            values["handed_off_at"] = None
        return self._commit(message, **values)

    def release(self, batch: list[Claimed]) -> None:
        """Give back the messages of a batch that were never handed over (the worker hit an
        unexpected error), so they do not wait for their lease to run out."""
        db.session.rollback()
        self.flush()
        if batch:
            db.session.execute(
                update(M).where(M.claim_token == batch[0].token, M.status == "sending",
                                M.handed_off_at.is_(None))
                .values(status="pending", claim_token=None, lease_until=None),
                execution_options={"synchronize_session": False},
            )
            db.session.commit()
