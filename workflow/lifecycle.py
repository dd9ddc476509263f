"""The public status of a request and the events that change it, in one table.

No queries here: services ask this module whether an event is allowed and what status follows, and the
tests walk the table with legal and illegal paths.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicStatus(models.TextChoices):
    """The four statuses the citizen sees (the seed's wording in Thai)."""

    PENDING = "pending", _("Awaiting approval")
    RECEIVED = "received", _("Received by staff")
    CANCELLED = "cancelled", _("Cancelled")
    APPROVED = "approved", _("Approved")


class Event(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"  # the officer (first level) accepted the request
    MORE_INFO_REQUESTED = "more_info_requested"
    RESUBMITTED = "resubmitted"
    DECLINED = "declined"
    CANCELLED_BY_CITIZEN = "cancelled_by_citizen"
    CANCELLED_BY_STAFF = "cancelled_by_staff"
    APPROVED = "approved"


OPEN = (PublicStatus.PENDING, PublicStatus.RECEIVED)
FINAL = (PublicStatus.CANCELLED, PublicStatus.APPROVED)

# event -> (statuses it may happen in, status after it)
TRANSITIONS: dict[Event, tuple[tuple[PublicStatus | None, ...], PublicStatus]] = {
    Event.SUBMITTED: ((None,), PublicStatus.PENDING),
    Event.RECEIVED: ((PublicStatus.PENDING,), PublicStatus.RECEIVED),
    Event.MORE_INFO_REQUESTED: (OPEN, PublicStatus.RECEIVED),
    Event.RESUBMITTED: (OPEN, PublicStatus.RECEIVED),
    Event.DECLINED: (OPEN, PublicStatus.CANCELLED),
    Event.CANCELLED_BY_CITIZEN: ((PublicStatus.PENDING,), PublicStatus.CANCELLED),
    Event.CANCELLED_BY_STAFF: (OPEN, PublicStatus.CANCELLED),
    Event.APPROVED: (OPEN, PublicStatus.APPROVED),
}


class TransitionNotAllowed(Exception):
    def __init__(self, event: Event, status: PublicStatus | None):
        super().__init__(f"{event} is not allowed in status {status}")
        self.event = event
        self.status = status


def is_allowed(event: Event, status: PublicStatus | None) -> bool:
    return status in TRANSITIONS[event][0]


def next_status(event: Event, status: PublicStatus | None) -> PublicStatus:
    allowed_from, after = TRANSITIONS[event]
    if status not in allowed_from:
        raise TransitionNotAllowed(event, status)
    return after


def is_final(status: PublicStatus) -> bool:
    return status not in OPEN
