from django.utils import timezone

from workflow import lifecycle
from workflow.constants import NotificationEvent
from workflow.notifications.outbox import queue_once_for_applicant
from workflow.request import public_state
from workflow.request.models import FootageRequest

# Status changes that are news to the applicant by themselves, whichever service makes them: staff taking a pending
# request up (the first level's approval). Told once per request. A resubmission also leads to RECEIVED but tells
# nothing: the applicant made it; and where the request was taken up with a question (MORE_INFO_REQUESTED), the
# "more information" message was the news. Other events' messages carry reasons: their services queue them.
APPLICANT_NOTICES = {lifecycle.Event.RECEIVED: NotificationEvent.RECEIVED}


def set_status(footage_request: FootageRequest, status: str, *, message: str | None = None) -> None:
    """Writes the status columns only. A plain UPDATE: the status is no search or reference data, and
    every change of it is in the audit log, so the save() signal handlers would only add queries."""
    changes = {"public_status": status, "status_changed_at": timezone.now()}
    if message is not None:
        changes["public_message"] = message
    FootageRequest.objects.filter(pk=footage_request.pk).update(**changes)
    for name, value in changes.items():
        setattr(footage_request, name, value)
    public_state.forget(footage_request.token)


def apply_event(footage_request: FootageRequest, event: lifecycle.Event, *, message: str | None = None) -> None:
    """The status after ``event``, and the applicant's notice of it (APPLICANT_NOTICES). The caller holds the
    request row's lock (the outbox's "once" relies on it)."""
    set_status(footage_request, lifecycle.next_status(event, footage_request.public_status), message=message)
    notice = APPLICANT_NOTICES.get(event)
    if notice is not None:
        queue_once_for_applicant(footage_request=footage_request, event=notice)
