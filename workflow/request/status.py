from django.utils import timezone

from workflow import lifecycle
from workflow.request import public_state
from workflow.request.models import FootageRequest


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
    set_status(footage_request, lifecycle.next_status(event, footage_request.public_status), message=message)
