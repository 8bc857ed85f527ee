"""Platform jobs of accounts: forget ended sessions and old sign-in failure counts."""

from __future__ import annotations

import logging

from portal.blueprints.accounts import throttle, user_sessions
from portal.jobs import job

log = logging.getLogger("portal.accounts")


@job(per_tenant=False, retries=1)
def purge_sign_in_records() -> None:
    sessions = user_sessions.purge()
    failures = throttle.purge_old()
    log.info("purged user_sessions=%d sign_in_failures=%d", sessions, failures)
