"""Timing the manual's steps: staff press start and stop on the request page (server time), or type the times of
work done earlier. The step record's own ``clean`` holds the rules on times (not before the request was submitted,
not in the future, the end after the start); these functions add what needs the database."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cctv.thai.dates import format_be_datetime
from workflow import log_actions
from workflow.handling.audit import log_change, save_logged
from workflow.handling.models import ServiceStep, StepRecord
from workflow.request.cameras import check_cameras_at_station
from workflow.request.models import FootageRequest


def _check_step(footage_request, step: ServiceStep, camera) -> None:
    if step.approval:
        raise ValidationError(_("This step is timed by the approval workflow; it is not recorded by hand."))
    if step.per_camera and camera is None:
        raise ValidationError({"camera": _("Choose the camera this work was on.")})
    check_cameras_at_station(station_id=footage_request.station_id, cameras=[camera], field="camera")


def _lock(footage_request) -> FootageRequest:
    # The request row first, as every action that changes a request (services.py's lock order).
    return FootageRequest.objects.select_for_update().get(pk=footage_request.pk)


def record_step(
    *,
    footage_request,
    user,
    step: ServiceStep,
    camera,
    started_at: datetime,
    ended_at: datetime,
    outcome: str = StepRecord.Outcome.DONE,
    notes: str = "",
) -> StepRecord:
    """Work done earlier, with the times typed by hand."""
    _check_step(footage_request, step, camera)
    if ended_at is None:
        raise ValidationError({"ended_at": _("Give the end, or use the start button to time the work now.")})
    record = StepRecord(
        request=footage_request,
        step=step,
        camera=camera,
        staff=user,
        started_at=started_at,
        ended_at=ended_at,
        outcome=outcome,
        notes=notes,
    )
    return save_logged(record, footage_request, log_actions.STEP_RECORDED, user, step=step.code, minutes=record.minutes)


def running_record(footage_request, *, step: ServiceStep, camera) -> StepRecord | None:
    return footage_request.step_records.filter(step=step, camera=camera, ended_at__isnull=True).first()


def start_step(*, footage_request, user, step: ServiceStep, camera=None) -> StepRecord:
    """The work starts now: a record with the server's time as its start and no end yet."""
    _check_step(footage_request, step, camera)
    with transaction.atomic():
        locked = _lock(footage_request)
        running = running_record(locked, step=step, camera=camera)
        if running is not None:
            raise ValidationError(
                _("This work is already under way since %(started)s.")
                % {"started": format_be_datetime(running.started_at)}
            )
        record = StepRecord(request=locked, step=step, camera=camera, staff=user, started_at=timezone.now())
        record.full_clean()
        record.save()
        log_change(
            locked,
            log_actions.STEP_RECORDED,
            user,
            step=step.code,
            camera=camera.code if camera else None,
            started=True,
        )
    return record


def stop_step(
    *,
    footage_request,
    user,
    record: StepRecord,
    ended_at: datetime | None = None,
    outcome: str = StepRecord.Outcome.DONE,
    notes: str = "",
) -> StepRecord:
    """The work under way ends now, or at the time typed (for a stop that was forgotten)."""
    with transaction.atomic():
        locked = _lock(footage_request)
        record = (
            StepRecord.objects.select_for_update()
            .select_related("step", "request")
            .filter(pk=record.pk, request=locked)
            .first()
        )
        if record is None or not record.is_running:
            raise ValidationError(_("This work has already been stopped."))
        record.ended_at = ended_at or timezone.now()
        record.outcome = outcome or StepRecord.Outcome.DONE
        if notes:
            record.notes = notes
        record.full_clean()
        record.save(update_fields=["ended_at", "outcome", "notes"])
        log_change(locked, log_actions.STEP_RECORDED, user, step=record.step.code, minutes=record.minutes)
    return record
