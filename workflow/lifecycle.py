"""What the citizen sees of a request, and the events that change it, in one module.

No queries here: services ask this module whether an event is allowed and what status follows, views ask it
what the status page shows, and the tests walk the tables with legal and illegal paths.

Public statuses (stored on the request):
- the seed's four: รออนุมัติ (pending), เจ้าหน้าที่รับเรื่องแล้ว (received), ยกเลิก (cancelled), อนุมัติแล้ว
  (approved);
- a fifth, ไม่พบภาพจากกล้อง (no footage found): staff looked and the recorder holds nothing to give (overwritten,
  camera out of order, ...). The seed does not name it, but it is an outcome of its own: the request is not
  cancelled (nothing was wrong with it) and not approved (nothing will be shown). It is final like the other
  two outcomes: the citizen cannot cancel it, it leaves every work queue and retention applies to it.

"Awaiting the applicant" is not stored: it is a display state derived from the stored status and the Wagtail
workflow waiting for changes (staff asked for more information). While it lasts, the page says that staff wait
for the applicant, not that the request is being presented to the approvers.

Viewing appointments have their own small table at the end (offered, then chosen or withdrawn).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class PublicStatus(models.TextChoices):
    """The statuses the citizen sees (the seed's four in its Thai wording, and no footage found)."""

    PENDING = "pending", _("Awaiting approval")
    RECEIVED = "received", _("Received by staff")
    CANCELLED = "cancelled", _("Cancelled")
    APPROVED = "approved", _("Approved")
    NO_FOOTAGE = "no_footage", _("No footage found")


class Event(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"  # the officer (first level) accepted the request
    MORE_INFO_REQUESTED = "more_info_requested"
    RESUBMITTED = "resubmitted"
    DECLINED = "declined"
    CANCELLED_BY_CITIZEN = "cancelled_by_citizen"
    CANCELLED_BY_STAFF = "cancelled_by_staff"
    APPROVED = "approved"
    NO_FOOTAGE = "no_footage"  # staff found no footage to give


OPEN = (PublicStatus.PENDING, PublicStatus.RECEIVED)
FINAL = (PublicStatus.CANCELLED, PublicStatus.APPROVED, PublicStatus.NO_FOOTAGE)

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
    Event.NO_FOOTAGE: (OPEN, PublicStatus.NO_FOOTAGE),
}

# The statuses in which staff may be waiting for the applicant: where MORE_INFO_REQUESTED leads. Only there is
# the workflow asked (one query), so a pending request's page costs nothing more.
MAY_AWAIT_APPLICANT = (TRANSITIONS[Event.MORE_INFO_REQUESTED][1],)

# The manual's steps are shown as a list of progress while the request is open, and once approved (copies and
# viewing come then); a request that ended without footage has no steps "to come".
SHOWS_PROGRESS = (*OPEN, PublicStatus.APPROVED)


class TransitionNotAllowed(Exception):
    def __init__(self, event: "Event | AppointmentEvent", status: str | None):
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


def is_open(status: str) -> bool:
    return status in OPEN


def is_final(status: str) -> bool:
    return status in FINAL


def may_await_applicant(status: str) -> bool:
    return status in MAY_AWAIT_APPLICANT


def shows_progress(status: str) -> bool:
    return status in SHOWS_PROGRESS


# ---- What the status page shows ----------------------------------------------------------------------------

AWAITING_APPLICANT = "awaiting_applicant"  # a display state, never stored

_MEANINGS = {
    PublicStatus.PENDING: _("Your request has been received and is waiting for staff to take it up."),
    PublicStatus.RECEIVED: _(
        "Staff have taken up your request and are presenting it to the head of the CCTV centre, the deputy chief "
        "and the chief executive for a decision."
    ),
    PublicStatus.CANCELLED: _(
        "The request was cancelled, for example because information was wrong or incomplete, or documents were missing."
    ),
    PublicStatus.APPROVED: _("Your request has been approved."),
    PublicStatus.NO_FOOTAGE: _(
        "Staff checked the recordings and found no footage they can show or copy for this request. The reason is below."
    ),
}
_AWAITING_LABEL = _("Waiting for your information")
_AWAITING_MEANING = _(
    "Staff need more information from you before your request can go on. Please send it with the form below."
)


@dataclass(frozen=True)
class Display:
    """What the citizen's status page shows; the template reads these and compares no status itself."""

    state: str  # a PublicStatus value or AWAITING_APPLICANT (names the badge's style)
    label: str | Promise
    meaning: str | Promise
    message_heading: str | Promise  # heading over the staff's message to the applicant; "" hides the message
    may_cancel: bool
    may_answer: bool  # the form to send the information asked for
    is_final: bool
    shows_approved_instructions: bool
    shows_status_change: bool  # the history lists the latest change of status


def display(status: str, *, awaiting_applicant: bool = False) -> Display:
    status = PublicStatus(status)
    awaiting = awaiting_applicant and may_await_applicant(status)
    if awaiting:
        message_heading = _("Staff ask you for more information")
    elif status == PublicStatus.CANCELLED:
        message_heading = _("Reason")
    else:
        message_heading = ""
    return Display(
        state=AWAITING_APPLICANT if awaiting else status.value,
        label=_AWAITING_LABEL if awaiting else status.label,
        meaning=_AWAITING_MEANING if awaiting else _MEANINGS[status],
        message_heading=message_heading,
        may_cancel=is_allowed(Event.CANCELLED_BY_CITIZEN, status),
        may_answer=awaiting,
        is_final=is_final(status),
        shows_approved_instructions=status == PublicStatus.APPROVED,
        shows_status_change=status != PublicStatus.PENDING,
    )


# ---- Viewing appointments ----------------------------------------------------------------------------------


class AppointmentStatus(models.TextChoices):
    """The same values as Appointment.Status (a test checks that they agree)."""

    OFFERED = "offered", _("Offered")
    CHOSEN = "chosen", _("Chosen by the applicant")
    WITHDRAWN = "withdrawn", _("No longer offered")


class AppointmentEvent(StrEnum):
    OFFERED = "offered"  # staff offer a time
    CHOSEN = "chosen"  # the applicant takes one of the offered times
    WITHDRAWN = "withdrawn"  # the applicant took another of the times offered


APPOINTMENT_TRANSITIONS: dict[AppointmentEvent, tuple[tuple[AppointmentStatus | None, ...], AppointmentStatus]] = {
    AppointmentEvent.OFFERED: ((None,), AppointmentStatus.OFFERED),
    AppointmentEvent.CHOSEN: ((AppointmentStatus.OFFERED,), AppointmentStatus.CHOSEN),
    AppointmentEvent.WITHDRAWN: ((AppointmentStatus.OFFERED,), AppointmentStatus.WITHDRAWN),
}

# Times are offered only for an approved request; the applicant sees the times still offered and the one chosen.
APPOINTMENTS_IN = (PublicStatus.APPROVED,)
APPOINTMENTS_SHOWN = (AppointmentStatus.OFFERED, AppointmentStatus.CHOSEN)


def appointment_allowed_from(event: AppointmentEvent) -> tuple[AppointmentStatus | None, ...]:
    return APPOINTMENT_TRANSITIONS[event][0]


def next_appointment_status(event: AppointmentEvent, status: str | None) -> AppointmentStatus:
    allowed_from, after = APPOINTMENT_TRANSITIONS[event]
    if status not in allowed_from:
        raise TransitionNotAllowed(event, status)
    return after


def may_offer_appointment(status: str) -> bool:
    return status in APPOINTMENTS_IN
