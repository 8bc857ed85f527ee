"""Where municipal services announce that a citizen's request is done: the one module of this
feature that others may import (``tests/test_imports.py: SHARED_FEATURE_MODULES``).

Another feature (the satisfaction survey's invitations) appends a callable to ``on_completed``
when its blueprint is registered::

    from portal.blueprints.municipal_services.events import Completion, on_completed
    on_completed.append(lambda done: invite("service", ...))

Each callable gets a ``Completion`` (plain values, no ORM object) inside the municipality's
context and the transaction that completed the request, once per request: when an appointment
is marked completed, or an application is decided (approved or rejected). A callable that
raises rolls the operator's action back, so it should not raise for its own troubles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

KINDS = ("appointment", "application")


@dataclass(frozen=True)
class Completion:
    #: "appointment" or "application".
    kind: str
    request_id: int
    tenant_id: int
    service_id: int
    service_title: dict
    department_id: int
    department_name: dict
    #: The final status: "completed", "approved" or "rejected".
    status: str
    completed_at: datetime
    #: How to reach the applicant (the channel they used): either may be "".
    email: str
    phone: str
    locale: str
    full_name: str
    #: The signed-in citizen who made the request, if any.
    user_id: int | None = None


#: Callables ``(Completion) -> None``, run in order.
on_completed: list[Callable[[Completion], None]] = []


def announce(completion: Completion) -> None:
    for callback in list(on_completed):
        callback(completion)
