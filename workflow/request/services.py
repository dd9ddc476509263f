from dataclasses import asdict
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Revision, WorkflowState

from cctv.stations.models import Camera, Station
from workflow import lifecycle
from workflow.constants import REFERENCE_PREFIX, NotificationEvent
from workflow.notifications.outbox import queue_for_applicant, queue_for_task_group
from workflow.request.cameras import check_cameras_at_station
from workflow.request.models import Attachment, FootageRequest, ReferenceSequence, RequestType
from workflow.request.overwrite import overwrite_date
from workflow.request.status import apply_event, set_status
from workflow.request.submission import NewAttachment, Submission


def _new_attachment(footage_request: FootageRequest, item: NewAttachment) -> Attachment:
    """An unsaved Attachment whose file is already in private storage under a random name."""
    attachment = Attachment(
        request=footage_request,
        kind=item.kind,
        label=item.label,
        content_type=item.file.content_type,
        size=item.file.size,
        sha256=item.file.sha256,
    )
    attachment.file.save(f"file{item.file.extension}", ContentFile(item.file.content), save=False)
    return attachment


def format_reference(year_be: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year_be}-{number:06d}"


def take_reference_number(*, on: date) -> str:
    """The next reference of the Buddhist-Era year of ``on``; gap-free and unique under concurrency
    because the year's row is locked until the caller's transaction ends."""
    year_be = on.year + 543
    with transaction.atomic():
        sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(year_be=year_be)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    return format_reference(year_be, sequence.last_number)


def submit_request(*, submission: Submission) -> FootageRequest:
    """Stores a citizen's request and starts its approval workflow.

    The citizen is anonymous: the revision and the log entry have no user.
    """
    applicant, incident = submission.applicant, submission.incident
    now = timezone.now()
    with transaction.atomic():
        request_type = RequestType.objects.select_related("workflow").get(pk=incident.request_type_id)
        station = Station.objects.get(pk=incident.station_id)
        cameras = list(Camera.objects.filter(pk__in=incident.camera_ids).select_related("station"))
        check_cameras_at_station(station_id=station.pk, cameras=cameras)
        footage_request = FootageRequest(
            **asdict(applicant),
            reference=take_reference_number(on=timezone.localdate(now)),
            request_type=request_type,
            station=station,
            file_count=incident.file_count if request_type.needs_file_count else None,
            written_on=incident.written_on,
            incident_date=incident.incident_date,
            incident_time=incident.incident_time,
            incident_time_end=incident.incident_time_end,
            reason=incident.reason,
            extra_answers=submission.extra_answers,
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
        footage_request.signature.save(
            f"signature{submission.signature.extension}",
            ContentFile(submission.signature.content),
            save=False,
        )
        footage_request.cameras.set(cameras)
        footage_request.footage_overwritten_on = overwrite_date(
            incident_date=incident.incident_date, station=station, cameras=cameras
        )
        for item in submission.attachments:
            footage_request.attachments.add(_new_attachment(footage_request, item))
        # Saving the cluster writes the camera set and the attachments in one go.
        footage_request.save()
        revision = footage_request.save_revision(user=None, clean=False)
        log(instance=footage_request, action="cctv.request.submit", revision=revision, user=None)
        workflow = footage_request.get_workflow()
        if workflow is not None:
            state = workflow.start(footage_request, user=None)
            queue_for_task_group(footage_request=footage_request, task=state.current_task_state.task if state else None)
        queue_for_applicant(footage_request=footage_request, event=NotificationEvent.SUBMITTED)
    return footage_request


def cancel_request_by_applicant(*, footage_request: FootageRequest) -> FootageRequest:
    """The applicant withdraws a request that staff have not taken up yet."""
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        new_status = lifecycle.next_status(lifecycle.Event.CANCELLED_BY_CITIZEN, locked.public_status)
        state = locked.current_workflow_state
        if state is not None:
            state.cancel(user=None)
        set_status(locked, new_status, message="")
        log(instance=locked, action="cctv.request.cancel_by_applicant", user=None)
        queue_for_applicant(footage_request=locked, event=NotificationEvent.CANCELLED)
    return locked


def resubmit_request(*, footage_request: FootageRequest, note: str, attachments: list[NewAttachment]) -> FootageRequest:
    """The applicant answers a request for more information; the workflow resumes at the same step."""
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        state = locked.current_workflow_state
        if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            raise lifecycle.TransitionNotAllowed(lifecycle.Event.RESUBMITTED, locked.public_status)
        for item in attachments:
            _new_attachment(locked, item).save()
        answers = dict(locked.extra_answers)
        answers.setdefault("_resubmissions", []).append({"at": timezone.now().isoformat(), "note": note})
        locked.extra_answers = answers
        locked.save(update_fields=["extra_answers"])
        revision = locked.save_revision(user=None, clean=False)
        state.resume(user=None)
        apply_event(locked, lifecycle.Event.RESUBMITTED, message="")
        state.refresh_from_db()
        queue_for_task_group(footage_request=locked, task=state.current_task_state.task)
        log(instance=locked, action="cctv.request.resubmit", revision=revision, user=None)
    return locked
