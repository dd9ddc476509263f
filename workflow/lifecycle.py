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
# A cancelled request says who ended it (the closing event, read from the request's history): an applicant who
# withdrew is not told it may have been their mistake. The seed's wording stays for a declined request.
_CANCELLED_MEANINGS = {
    Event.CANCELLED_BY_CITIZEN: _("You cancelled this request. Nothing more will be done with it."),
    Event.CANCELLED_BY_STAFF: _("Staff cancelled this request. Their reason is below."),
    Event.DECLINED: _MEANINGS[PublicStatus.CANCELLED],
}
_CANCELLED_UNKNOWN = _("The request was cancelled.")
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


def _meaning(status: PublicStatus, ended_by: Event | None) -> str | Promise:
    if status != PublicStatus.CANCELLED:
        return _MEANINGS[status]
    return _CANCELLED_MEANINGS.get(ended_by, _CANCELLED_UNKNOWN)


def display(status: str, *, awaiting_applicant: bool = False, ended_by: Event | None = None) -> Display:
    """``ended_by``: the event that closed the request (workflow.request.timeline finds it), which words a
    cancelled request's meaning; None where it is not known."""
    status = PublicStatus(status)
    awaiting = awaiting_applicant and may_await_applicant(status)
    if awaiting:
        message_heading = _("Staff ask you for more information")
    elif status == PublicStatus.CANCELLED and ended_by != Event.CANCELLED_BY_CITIZEN:
        message_heading = _("Reason")
    else:
        message_heading = ""
    return Display(
        state=AWAITING_APPLICANT if awaiting else status.value,
        label=_AWAITING_LABEL if awaiting else status.label,
        meaning=_AWAITING_MEANING if awaiting else _meaning(status, ended_by),
        message_heading=message_heading,
        may_cancel=is_allowed(Event.CANCELLED_BY_CITIZEN, status),
        may_answer=awaiting,
        is_final=is_final(status),
        shows_approved_instructions=status == PublicStatus.APPROVED,
        shows_status_change=status != PublicStatus.PENDING,
    )


# A step of the manual on the status page: done, in hand, to come, or (once the request has ended) not
# recorded. After a final status nothing is "to come" except the work that follows approval of an approved
# request (making the copy): a step staff never logged was done without a record, or was not needed.
STEP_NOT_RECORDED = "not_recorded"


def progress_state(status: str, state: str, *, follows_approval: bool = False) -> str:
    """What the citizen is told of one step (``state`` as workflow.handling.estimates.progress gives it)."""
    if state != "waiting" or not is_final(status):
        return state
    if status == PublicStatus.APPROVED and follows_approval:
        return state
    return STEP_NOT_RECORDED


# ---- The request's history (ประวัติ) ------------------------------------------------------------------------


class History(StrEnum):
    """What the public history lists; workflow.request.timeline builds it. The values of the events that are
    also lifecycle events are the same, so the closing one tells ``display`` who ended the request."""

    SUBMITTED = Event.SUBMITTED.value
    RECEIVED = Event.RECEIVED.value
    STEP_PASSED = "step_passed"  # one level of the approval chain approved (by the step's name, never a person)
    MORE_INFO_REQUESTED = Event.MORE_INFO_REQUESTED.value
    RESUBMITTED = Event.RESUBMITTED.value
    APPROVED = Event.APPROVED.value
    DECLINED = Event.DECLINED.value
    CANCELLED_BY_CITIZEN = Event.CANCELLED_BY_CITIZEN.value
    CANCELLED_BY_STAFF = Event.CANCELLED_BY_STAFF.value
    NO_FOOTAGE = Event.NO_FOOTAGE.value
    APPOINTMENT_OFFERED = "appointment_offered"
    APPOINTMENT_CHOSEN = "appointment_chosen"
    COPY_READY = "copy_ready"  # a copy to download
    COPY_HANDED_OVER = "copy_handed_over"  # a copy on the applicant's own device


HISTORY_LABELS = {
    History.SUBMITTED: _("Request submitted"),
    History.RECEIVED: PublicStatus.RECEIVED.label,
    History.MORE_INFO_REQUESTED: _("Staff asked for more information"),
    History.RESUBMITTED: _("You sent the information asked for"),
    History.APPROVED: _("Request approved"),
    History.DECLINED: _("Request declined"),
    History.CANCELLED_BY_CITIZEN: _("You cancelled the request"),
    History.CANCELLED_BY_STAFF: _("Staff cancelled the request"),
    History.NO_FOOTAGE: PublicStatus.NO_FOOTAGE.label,
    History.APPOINTMENT_OFFERED: _("Staff offered a time to view the footage"),
    History.APPOINTMENT_CHOSEN: _("You chose a time to view the footage"),
    History.COPY_READY: _("A copy is ready to download"),
    History.COPY_HANDED_OVER: _("A copy was handed over on your storage device"),
}
# The events that close a request (one at most in a history).
CLOSING = (
    History.APPROVED,
    History.DECLINED,
    History.CANCELLED_BY_CITIZEN,
    History.CANCELLED_BY_STAFF,
    History.NO_FOOTAGE,
)


def history_label(kind: History, *, step: str = "") -> str | Promise:
    if kind == History.STEP_PASSED:
        return _("Approved at the step: %(step)s") % {"step": step}
    return HISTORY_LABELS[kind]


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
