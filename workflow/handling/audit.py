"""The audit entry every handling action writes (Wagtail's ``log()``), and the status page's cached state
forgotten with it, since most of what staff record shows there."""

from django.db import transaction
from wagtail.log_actions import log

from workflow.request import public_state


def log_change(footage_request, action: str, user, **data) -> None:
    log(instance=footage_request, action=action, user=user, data=data or None)
    public_state.forget(footage_request.token)


def save_logged(row, footage_request, action: str, user, **data):
    """A new handling row checked (``full_clean``), then saved with its audit entry in one transaction."""
    row.full_clean()
    with transaction.atomic():
        row.save()
        log_change(footage_request, action, user, **data)
    return row
