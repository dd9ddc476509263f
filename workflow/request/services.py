import logging
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Revision, TaskState, WorkflowState

from cctv.organisations.models import Organisation
from cctv.stations.models import Camera, Station
from workflow import lifecycle, log_actions
from workflow.constants import REFERENCE_PREFIX, NotificationEvent
from workflow.notifications.outbox import queue_for_applicant, queue_for_task_group
from workflow.request.cameras import check_cameras_at_station
from workflow.request.models import Attachment, FootageRequest, ReferenceCounter, RequestType
from workflow.request.overwrite import overwrite_date
from workflow.request.status import apply_event, set_status
from workflow.request.submission import NewAttachment, Submission

logger = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """Private storage refused a write (disk full, read-only): the request was not stored, and no file of it
    was left behind."""


# (storage, name) of every file a service wrote in its transaction, removed again unless it commits.
Written = list[tuple[Storage, str]]


def _write_file(instance, field_name: str, filename: str, content: bytes, *, written: Written) -> None:
    """Writes a file of ``instance`` under a random name and sets the field. The name is recorded before the
    write: a write that fails midway (disk full) leaves part of the file under it."""
    field = instance._meta.get_field(field_name)
    storage = field.storage
    name = storage.get_available_name(field.generate_filename(instance, filename), max_length=field.max_length)
    written.append((storage, name))
    try:
        stored = storage.save(name, ContentFile(content), max_length=field.max_length)
    except OSError as error:
        raise StorageUnavailable(f"{type(error).__name__}: {error}") from error
    if stored != name:
        written.append((storage, stored))
    setattr(instance, field.attname, stored)


@contextmanager
def _files_removed_unless_committed():
    """A transaction whose file writes are undone with it: files written to storage stay on disk when the
    transaction rolls back, so every file recorded in the yielded list is deleted unless the transaction
    commits. Inside an outer transaction only an error in this block removes them."""
    written: Written = []
    committed = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))
            yield written
    except BaseException:
        if not committed:
            for storage, name in written:
                try:
                    storage.delete(name)
                except OSError as error:
                    logger.error("Could not remove %s after a failed submission: %s", name, error)
        raise


def _new_attachment(footage_request: FootageRequest, item: NewAttachment, *, written: Written) -> Attachment:
    """An unsaved Attachment whose file is already in private storage under a random name."""
    attachment = Attachment(
        request=footage_request,
        kind=item.kind,
        label=item.label,
        content_type=item.file.content_type,
        size=item.file.size,
        sha256=item.file.sha256,
    )
    _write_file(attachment, "file", f"file{item.file.extension}", item.file.content, written=written)
    return attachment


def format_reference(year_be: int, number: int, *, prefix: str = REFERENCE_PREFIX) -> str:
    return f"{prefix}-{year_be}-{number:06d}"


def take_reference_number(*, organisation: Organisation, on: date) -> str:
    """The organisation's next reference of the Buddhist-Era year of ``on``, led by its prefix; gap-free and
    unique under concurrency because the organisation's row for the year is locked until the caller's
    transaction ends."""
    year_be = on.year + 543
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            organisation=organisation, year_be=year_be
        )
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return format_reference(year_be, counter.last_number, prefix=organisation.code)


def submit_request(*, submission: Submission) -> FootageRequest:
    """Stores a citizen's request and starts its approval workflow.

    The citizen is anonymous: the revision and the log entry have no user. Raises StorageUnavailable when a
    file cannot be written; then nothing is stored, neither rows nor files.
    """
    applicant, incident = submission.applicant, submission.incident
    now = timezone.now()
    with _files_removed_unless_committed() as written:
        request_type = RequestType.objects.select_related("workflow", "organisation").get(pk=incident.request_type_id)
        organisation = request_type.organisation
        # The station must be the same organisation's: a form posted to one municipality never files a request
        # under another's station.
        station = Station.objects.get(pk=incident.station_id, organisation=organisation)
        cameras = list(Camera.objects.filter(pk__in=incident.camera_ids).select_related("station"))
        check_cameras_at_station(station_id=station.pk, cameras=cameras)
        footage_request = FootageRequest(
            **asdict(applicant),
            organisation=organisation,
            reference=take_reference_number(organisation=organisation, on=timezone.localdate(now)),
            request_type=request_type,
            station=station,
            file_count=incident.file_count if request_type.needs_file_count else None,
            written_on=incident.written_on,
            incident_date=incident.incident_date,
            incident_time=incident.incident_time,
            incident_time_end=incident.incident_time_end,
            reason=incident.reason,
            extra_answers=submission.extra_answers,
            notify_by=submission.notify_by,
            privacy_policy_revision=(
                Revision.objects.get(pk=submission.privacy_policy_revision_id)
                if submission.privacy_policy_revision_id
                else None
            ),
            consented_at=now,
            submitted_at=now,
            status_changed_at=now,
            public_status=lifecycle.next_status(lifecycle.Event.SUBMITTED, None),
            live=False,
        )
        _write_file(
            footage_request,
            "signature",
            f"signature{submission.signature.extension}",
            submission.signature.content,
            written=written,
        )
        footage_request.cameras.set(cameras)
        footage_request.footage_overwritten_on = overwrite_date(
            incident_date=incident.incident_date, station=station, cameras=cameras
        )
        for item in submission.attachments:
            footage_request.attachments.add(_new_attachment(footage_request, item, written=written))
        # Saving the cluster writes the camera set and the attachments in one go.
        footage_request.save()
        revision = footage_request.save_revision(user=None, clean=False)
        log(instance=footage_request, action=log_actions.SUBMITTED, revision=revision, user=None)
        workflow = footage_request.get_workflow()
        if workflow is not None:
            state = workflow.start(footage_request, user=None)
            queue_for_task_group(footage_request=footage_request, task=state.current_task_state.task if state else None)
        queue_for_applicant(footage_request=footage_request, event=NotificationEvent.SUBMITTED)
    return footage_request


def close_request(
    *, footage_request: FootageRequest, event: lifecycle.Event, user, message: str, notify: NotificationEvent
) -> None:
    """Ends the request's workflow and gives it the status after ``event``: the one path of a decline, a staff
    cancel and the applicant's cancel. The caller holds the request row's lock; the task states in progress are
    locked next, before Wagtail writes them (the lock order is in workflow/approval/services.py)."""
    new_status = lifecycle.next_status(event, footage_request.public_status)
    state = footage_request.current_workflow_state
    if state is not None:
        list(TaskState.objects.select_for_update().filter(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS))
        state.cancel(user=user)
    set_status(footage_request, new_status, message=message)
    queue_for_applicant(footage_request=footage_request, event=notify)


def cancel_request_by_applicant(*, footage_request: FootageRequest) -> FootageRequest:
    """The applicant withdraws a request that staff have not taken up yet."""
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        close_request(
            footage_request=locked,
            event=lifecycle.Event.CANCELLED_BY_CITIZEN,
            user=None,
            message="",
            notify=NotificationEvent.CANCELLED,
        )
        log(instance=locked, action=log_actions.CANCELLED_BY_APPLICANT, user=None)
    return locked


def resubmit_request(*, footage_request: FootageRequest, note: str, attachments: list[NewAttachment]) -> FootageRequest:
    """The applicant answers a request for more information; the workflow resumes at the same step."""
    with _files_removed_unless_committed() as written:
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        state = locked.current_workflow_state
        if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            raise lifecycle.TransitionNotAllowed(lifecycle.Event.RESUBMITTED, locked.public_status)
        for item in attachments:
            _new_attachment(locked, item, written=written).save()
        answers = dict(locked.extra_answers)
        answers.setdefault("_resubmissions", []).append({"at": timezone.now().isoformat(), "note": note})
        locked.extra_answers = answers
        locked.save(update_fields=["extra_answers"])
        revision = locked.save_revision(user=None, clean=False)
        state.resume(user=None)
        apply_event(locked, lifecycle.Event.RESUBMITTED, message="")
        state.refresh_from_db()
        queue_for_task_group(footage_request=locked, task=state.current_task_state.task)
        log(instance=locked, action=log_actions.RESUBMITTED, revision=revision, user=None)
    return locked
