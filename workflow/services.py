"""Writes on footage requests. Each is one transaction; views and tasks call these and nothing else."""

from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Revision, TaskState, WorkflowState

from cctv.stations.models import Camera, Station

from . import handling_services, notifications, public_state, statuses
from .constants import REFERENCE_PREFIX, AttachmentKind, DecisionAction, NotificationEvent
from .models import AccessLog, Attachment, Decision, FootageRequest, ReferenceSequence, RefusalReason, RequestType

if TYPE_CHECKING:
    from forms.uploads import SanitisedFile


@dataclass(frozen=True, kw_only=True)
class Applicant:
    title: str
    title_other: str
    first_name: str
    last_name: str
    national_id: str
    age: int
    race: str
    nationality: str
    address_house_no: str
    address_village: str
    address_road: str
    address_subdistrict: str
    address_district: str
    address_province: str
    address_postcode: str
    phone: str
    email: str


@dataclass(frozen=True, kw_only=True)
class Incident:
    request_type_id: int
    file_count: int | None
    station_id: int
    camera_ids: list[int]
    written_on: date
    incident_date: date
    incident_time: time
    incident_time_end: time | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class NewAttachment:
    kind: AttachmentKind
    file: "SanitisedFile"
    label: str = ""


@dataclass(frozen=True, kw_only=True)
class Submission:
    applicant: Applicant
    incident: Incident
    signature: "SanitisedFile"
    attachments: list[NewAttachment] = field(default_factory=list)
    extra_answers: dict = field(default_factory=dict)
    privacy_policy_revision_id: int | None = None


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
        footage_request = FootageRequest(
            reference=take_reference_number(on=timezone.localdate(now)),
            request_type=request_type,
            station=station,
            file_count=incident.file_count if request_type.needs_file_count else None,
            written_on=incident.written_on,
            incident_date=incident.incident_date,
            incident_time=incident.incident_time,
            incident_time_end=incident.incident_time_end,
            reason=incident.reason,
            title=applicant.title,
            title_other=applicant.title_other,
            first_name=applicant.first_name,
            last_name=applicant.last_name,
            age=applicant.age,
            race=applicant.race,
            nationality=applicant.nationality,
            address_house_no=applicant.address_house_no,
            address_village=applicant.address_village,
            address_road=applicant.address_road,
            address_subdistrict=applicant.address_subdistrict,
            address_district=applicant.address_district,
            address_province=applicant.address_province,
            address_postcode=applicant.address_postcode,
            phone=applicant.phone,
            email=applicant.email,
            extra_answers=submission.extra_answers,
            privacy_policy_revision=(
                Revision.objects.get(pk=submission.privacy_policy_revision_id)
                if submission.privacy_policy_revision_id
                else None
            ),
            consented_at=now,
            submitted_at=now,
            status_changed_at=now,
            public_status=statuses.next_status(statuses.Event.SUBMITTED, None),
            live=False,
        )
        footage_request.national_id = applicant.national_id
        footage_request.signature.save(
            f"signature{submission.signature.extension}",
            ContentFile(submission.signature.content),
            save=False,
        )
        cameras = list(Camera.objects.filter(pk__in=incident.camera_ids, station=station).select_related("station"))
        footage_request.cameras.set(cameras)
        footage_request.footage_overwritten_on = handling_services.overwrite_date(
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
            notifications.queue_for_task_group(
                footage_request=footage_request, task=state.current_task_state.task if state else None
            )
        notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.SUBMITTED)
    return footage_request


def cancel_request_by_applicant(*, footage_request: FootageRequest) -> FootageRequest:
    """The applicant withdraws a request that staff have not taken up yet."""
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        new_status = statuses.next_status(statuses.Event.CANCELLED_BY_CITIZEN, locked.public_status)
        state = locked.current_workflow_state
        if state is not None:
            state.cancel(user=None)
        _set_status(locked, new_status, message="")
        log(instance=locked, action="cctv.request.cancel_by_applicant", user=None)
        notifications.queue_for_applicant(footage_request=locked, event=NotificationEvent.CANCELLED)
    return locked


def _set_status(footage_request: FootageRequest, status: str, *, message: str | None = None) -> None:
    """Writes the status columns only. A plain UPDATE: the status is no search or reference data, and
    every change of it is in the audit log, so the save() signal handlers would only add queries."""
    changes = {"public_status": status, "status_changed_at": timezone.now()}
    if message is not None:
        changes["public_message"] = message
    FootageRequest.objects.filter(pk=footage_request.pk).update(**changes)
    for name, value in changes.items():
        setattr(footage_request, name, value)
    public_state.forget(footage_request.token)


def _apply(footage_request: FootageRequest, event: statuses.Event, *, message: str | None = None) -> None:
    _set_status(footage_request, statuses.next_status(event, footage_request.public_status), message=message)


class ActionRefused(PermissionDenied):
    """An approver's action that cannot be taken; Wagtail's views show the message and change nothing."""


def _request_for(task_state: TaskState) -> FootageRequest:
    return FootageRequest.objects.select_for_update().get(pk=task_state.workflow_state.object_id)


def act_on_task(*, task_state: TaskState, user, action: str, comment: str = "", reason=None, **_ignored) -> Decision:
    """Approve, ask for more information, or decline, at the task the request is waiting on.

    The task state row is locked and re-read, so of two approvers acting at once exactly one decides; the
    other is told who already did. Required comments and reasons are checked here, not only in the modal.
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        # Only the task state's own columns are re-read after waiting for the lock (PostgreSQL re-checks the
        # locked row, not joined ones), so whoever decided first is loaded afterwards from finished_by_id.
        locked = TaskState.objects.select_for_update(of=("self",)).select_related("task").get(pk=task_state.pk)
        if locked.status != TaskState.STATUS_IN_PROGRESS:
            who = locked.finished_by.get_full_name() or locked.finished_by.get_username() if locked.finished_by else ""
            raise ActionRefused(_("Already decided by %(name)s.") % {"name": who or _("someone else")})
        footage_request = _request_for(locked)
        locked = locked.specific
        if user is None or not (user.is_superuser or locked.task.specific._user_in_groups(user)):
            raise ActionRefused(_("This step is decided by another group."))
        if action == DecisionAction.REQUEST_INFO and not comment:
            raise ActionRefused(_("Say what the applicant must add or correct."))
        if action == DecisionAction.DECLINE:
            if not comment or not isinstance(reason, RefusalReason):
                raise ActionRefused(_("Choose a reason and write a comment to decline a request."))
        if action not in (DecisionAction.APPROVE, DecisionAction.REQUEST_INFO, DecisionAction.DECLINE):
            raise ActionRefused(_("Unknown action."))

        decision = Decision.objects.create(
            request=footage_request,
            task_state=locked,
            task_name=locked.task.name,
            action=action,
            user=user,
            comment=comment,
            reason=reason if action == DecisionAction.DECLINE else None,
        )
        if action == DecisionAction.APPROVE:
            locked.approve(user=user, comment=comment)
            footage_request.public_status = (
                FootageRequest.objects.filter(pk=footage_request.pk).values_list("public_status", flat=True).get()
            )
            if footage_request.public_status == statuses.PublicStatus.PENDING:
                _apply(footage_request, statuses.Event.RECEIVED)
            next_state = (
                TaskState.objects.filter(workflow_state=locked.workflow_state, status=TaskState.STATUS_IN_PROGRESS)
                .select_related("task")
                .first()
            )
            if next_state is not None:
                notifications.queue_for_task_group(footage_request=footage_request, task=next_state.task)
        elif action == DecisionAction.REQUEST_INFO:
            locked.reject(user=user, comment=comment)
            _apply(footage_request, statuses.Event.MORE_INFO_REQUESTED, message=comment)
            notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.MORE_INFO)
        else:
            locked.reject(user=user, comment=comment, update=False)
            locked.workflow_state.cancel(user=user)
            _apply(footage_request, statuses.Event.DECLINED, message=f"{reason}: {comment}")
            notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.DECLINED)
        log(
            instance=footage_request,
            action=f"cctv.request.{action}",
            user=user,
            data={"task": locked.task.name, "decision_id": decision.pk},
        )
    return decision


def mark_approved(*, workflow_state: WorkflowState, user=None) -> None:
    """The last approval makes the request approved (WAGTAIL_FINISH_WORKFLOW_ACTION, see finish.py).

    Nothing is published, so no group needs publish rights on requests and nobody can go around the chain.
    """
    footage_request = FootageRequest.objects.select_for_update().get(pk=workflow_state.object_id)
    _apply(footage_request, statuses.Event.APPROVED, message="")
    log(instance=footage_request, action="cctv.request.approved", user=user)
    notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.APPROVED)


def resubmit_request(*, footage_request: FootageRequest, note: str, attachments: list[NewAttachment]) -> FootageRequest:
    """The applicant answers a request for more information; the workflow resumes at the same step."""
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        state = locked.current_workflow_state
        if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            raise statuses.TransitionNotAllowed(statuses.Event.RESUBMITTED, locked.public_status)
        for item in attachments:
            _new_attachment(locked, item).save()
        answers = dict(locked.extra_answers)
        answers.setdefault("_resubmissions", []).append({"at": timezone.now().isoformat(), "note": note})
        locked.extra_answers = answers
        locked.save(update_fields=["extra_answers"])
        revision = locked.save_revision(user=None, clean=False)
        state.resume(user=None)
        _apply(locked, statuses.Event.RESUBMITTED, message="")
        state.refresh_from_db()
        notifications.queue_for_task_group(footage_request=locked, task=state.current_task_state.task)
        log(instance=locked, action="cctv.request.resubmit", revision=revision, user=None)
    return locked


def cancel_request_by_staff(*, footage_request: FootageRequest, user, comment: str) -> Decision:
    comment = (comment or "").strip()
    if not comment:
        raise ActionRefused(_("Say why the request is cancelled."))
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        new_status = statuses.next_status(statuses.Event.CANCELLED_BY_STAFF, locked.public_status)
        state = locked.current_workflow_state
        if state is not None:
            state.cancel(user=user)
        decision = Decision.objects.create(
            request=locked,
            task_name=state.current_task_state.task.name if state and state.current_task_state else "",
            action=DecisionAction.CANCEL,
            user=user,
            comment=comment,
        )
        _set_status(locked, new_status, message=comment)
        log(instance=locked, action="cctv.request.cancel_by_staff", user=user, data={"decision_id": decision.pk})
        notifications.queue_for_applicant(footage_request=locked, event=NotificationEvent.CANCELLED)
    return decision


def record_access(*, footage_request: FootageRequest, user, what: str, object_id: int | None = None, ip: str | None):
    """Appends to the access log; called by every view that shows personal data or a file."""
    return AccessLog.objects.create(
        request=footage_request, user=user, what=what, object_id=object_id, ip_address=ip or None
    )
