"""What staff do with a request after it is submitted, and what the applicant sees of it.

Each function checks what the manual and the PDPA require (a camera of the request's station, a privacy
decision before footage with other people in it is released, ...), writes its rows, logs the action in
the audit log and tells the applicant through the notification outbox where the applicant needs to know.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cctv import cache_versions

from . import notifications, public_state
from .constants import NotificationEvent, PublicStatus, RequestKind
from .handling import (
    Appointment,
    DeliveredCopy,
    FootagePreservation,
    PrivacyDecision,
    Receipt,
    ReviewFinding,
    ServiceStep,
    StepRecord,
    sha256_of,
)
from .models import FootageRequest

OPEN = (PublicStatus.PENDING, PublicStatus.RECEIVED)


# ---- Recorder retention ------------------------------------------------------------------------------


def overwrite_date(*, incident_date: date, station, cameras) -> date:
    """The first day the recorder may have overwritten the incident: the shortest retention that applies."""
    days = [camera.retention_days for camera in cameras] or [station.recorder_retention_days]
    return incident_date + timedelta(days=min(days))


def is_at_risk(footage_request, *, preserved: bool, today: date | None = None) -> bool:
    """The at_risk() test for one request already in hand (``preserved``: whether any clip was kept)."""
    left = days_left(footage_request, today=today)
    return (
        left is not None
        and left <= settings.CCTV_FOOTAGE_RISK_DAYS
        and footage_request.public_status in OPEN
        and footage_request.no_footage_reason_id is None
        and not preserved
    )


def days_left(footage_request: FootageRequest, *, today: date | None = None) -> int | None:
    if footage_request.footage_overwritten_on is None:
        return None
    return (footage_request.footage_overwritten_on - (today or timezone.localdate())).days


def at_risk(*, today: date | None = None):
    """Open requests whose footage will be overwritten within CCTV_FOOTAGE_RISK_DAYS and that nobody has
    preserved or closed as having no footage."""
    limit = (today or timezone.localdate()) + timedelta(days=settings.CCTV_FOOTAGE_RISK_DAYS)
    return FootageRequest.objects.filter(
        public_status__in=OPEN,
        footage_overwritten_on__lte=limit,
        no_footage_reason__isnull=True,
        preservations__isnull=True,
    )


def notify_footage_at_risk(*, today: date | None = None) -> int:
    """Tells the group at each at-risk request's step, once per request. Returns how many requests."""
    told = 0
    for footage_request in at_risk(today=today).filter(at_risk_notified_at__isnull=True).select_related("current_task"):
        with transaction.atomic():
            updated = FootageRequest.objects.filter(pk=footage_request.pk, at_risk_notified_at__isnull=True).update(
                at_risk_notified_at=timezone.now()
            )
            if not updated:
                continue
            notifications.queue_for_task_group(
                footage_request=footage_request,
                task=footage_request.current_task,
                event=NotificationEvent.FOOTAGE_AT_RISK,
            )
            told += 1
    return told


# ---- Estimate ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    working_minutes: int
    approval_hours: float | None  # the usual time approvals took lately; None without history

    @property
    def total_days(self) -> int | None:
        if self.approval_hours is None:
            return None
        return max(1, -(-int(self.approval_hours * 60 + self.working_minutes) // (24 * 60)))


def working_minutes(steps, *, is_copy: bool, cameras: int, files: int) -> int:
    return sum(step.standard_for(cameras=cameras, files=files) for step in steps if step.applies_to(is_copy=is_copy))


APPROVAL_SAMPLE = 200


def usual_approval_hours() -> float | None:
    """Median time from submission to approval over the latest approved requests (cached for an hour)."""
    key = f"cctv:usual-approval:{cache_versions.current('form-options')}"
    cached = cache.get(key)
    if cached is None:
        rows = (
            FootageRequest.objects.filter(public_status=PublicStatus.APPROVED)
            .order_by("-status_changed_at")
            .values_list("submitted_at", "status_changed_at")[:APPROVAL_SAMPLE]
        )
        durations = [(changed - submitted).total_seconds() / 3600 for submitted, changed in rows]
        cached = {"hours": round(statistics.median(durations), 1) if durations else None}
        cache.set(key, cached, 60 * 60)
    return cached["hours"]


def active_steps() -> list[ServiceStep]:
    """The manual's steps in order, from the cache (editors' changes bump the form-options version)."""
    key = f"cctv:service-steps:{cache_versions.current('form-options')}"
    steps = cache.get(key)
    if steps is None:
        steps = list(ServiceStep.objects.filter(active=True))
        cache.set(key, steps, 60 * 60)
    return steps


def estimate_for(*, kind: str, cameras: int, files: int) -> Estimate:
    steps = active_steps()
    return Estimate(
        working_minutes=working_minutes(steps, is_copy=kind == RequestKind.COPY, cameras=cameras, files=files),
        approval_hours=usual_approval_hours(),
    )


def estimate_for_request(footage_request: FootageRequest) -> Estimate:
    return estimate_for(
        kind=footage_request.request_type.kind,
        cameras=len(footage_request.cameras.all()),
        files=footage_request.file_count or 0,
    )


# ---- Progress for the applicant ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressStep:
    name: str
    state: str  # "done", "current", "waiting"


def steps_of(footage_request: FootageRequest) -> list[ServiceStep]:
    """The manual's steps that apply to this request (the copy steps only to copies)."""
    is_copy = footage_request.request_type.kind == RequestKind.COPY
    return [step for step in active_steps() if step.applies_to(is_copy=is_copy)]


def progress(footage_request: FootageRequest) -> list[ProgressStep]:
    """The manual's steps as the applicant sees them: done, in hand or still to come. No staff names."""
    steps = steps_of(footage_request)
    done = {record.step_id for record in footage_request.step_records.all()}
    approved = footage_request.public_status == PublicStatus.APPROVED
    result, current_given = [], False
    for step in steps:
        finished = (step.approval and approved) or (not step.approval and step.pk in done)
        if finished:
            result.append(ProgressStep(step.public_name, "done"))
        elif not current_given and footage_request.public_status in OPEN:
            result.append(ProgressStep(step.public_name, "current"))
            current_given = True
        else:
            result.append(ProgressStep(step.public_name, "waiting"))
    return result


# ---- Staff actions -----------------------------------------------------------------------------------


def _log(footage_request, action: str, user, **data) -> None:
    log(instance=footage_request, action=f"cctv.request.{action}", user=user, data=data or None)
    public_state.forget(footage_request.token)


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
    if step.approval:
        raise ValidationError(_("This step is timed by the approval workflow; it is not recorded by hand."))
    if step.per_camera and camera is None:
        raise ValidationError({"camera": _("Choose the camera this work was on.")})
    if camera is not None and camera.station_id != footage_request.station_id:
        raise ValidationError({"camera": _("This camera is not at the request's station.")})
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
    record.full_clean()
    with transaction.atomic():
        record.save()
        _log(footage_request, "step", user, step=step.code, minutes=record.minutes)
    return record


def preserve_footage(
    *, footage_request, user, cameras, clip_from: datetime, clip_to: datetime, kept_at: str
) -> FootagePreservation:
    """Allowed at once, whatever the approval has reached: only a cancelled request has nothing to keep."""
    if footage_request.public_status == PublicStatus.CANCELLED:
        raise ValidationError(_("The request is cancelled."))
    if not cameras:
        raise ValidationError({"cameras": _("Choose the cameras whose clip was kept.")})
    if any(camera.station_id != footage_request.station_id for camera in cameras):
        raise ValidationError({"cameras": _("A camera is not at the request's station.")})
    preservation = FootagePreservation(
        request=footage_request, clip_from=clip_from, clip_to=clip_to, kept_at=kept_at, staff=user
    )
    preservation.full_clean()
    with transaction.atomic():
        preservation.save()
        preservation.cameras.set(cameras)
        _log(footage_request, "preserve", user, cameras=[camera.code for camera in cameras])
    return preservation


def record_no_footage(*, footage_request, user, reason, note: str = "") -> None:
    with transaction.atomic():
        FootageRequest.objects.filter(pk=footage_request.pk).update(no_footage_reason=reason, no_footage_note=note)
        footage_request.no_footage_reason, footage_request.no_footage_note = reason, note
        _log(footage_request, "no_footage", user, reason=reason.pk)
        notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.NO_FOOTAGE)


def record_finding(
    *, footage_request, user, camera, found_from, found_to, description: str, third_parties_identifiable: bool
) -> ReviewFinding:
    if camera is not None and camera.station_id != footage_request.station_id:
        raise ValidationError({"camera": _("This camera is not at the request's station.")})
    finding = ReviewFinding(
        request=footage_request,
        camera=camera,
        found_from=found_from,
        found_to=found_to,
        description=description,
        third_parties_identifiable=third_parties_identifiable,
        staff=user,
    )
    finding.full_clean()
    with transaction.atomic():
        finding.save()
        _log(footage_request, "finding", user, third_parties=third_parties_identifiable)
    return finding


def decide_privacy(*, footage_request, user, release: str, legal_basis, reasoning: str) -> PrivacyDecision:
    decision = PrivacyDecision(
        request=footage_request, release=release, legal_basis=legal_basis, reasoning=reasoning, staff=user
    )
    decision.full_clean()
    with transaction.atomic():
        decision.save()
        _log(footage_request, "privacy", user, release=release)
    return decision


def latest_privacy_decision(footage_request) -> PrivacyDecision | None:
    decisions = list(footage_request.privacy_decisions.all())  # prefetched on the request view
    return max(decisions, key=lambda decision: (decision.created_at, decision.pk)) if decisions else None


def release_refusal(footage_request, *, copies: bool) -> str | None:
    """Why footage may not be released now, or None."""
    if footage_request.public_status != PublicStatus.APPROVED:
        return _("Footage is released only after the request is approved.")
    decision = latest_privacy_decision(footage_request)
    if decision is None and any(finding.third_parties_identifiable for finding in footage_request.findings.all()):
        return _("Other people can be identified in the footage: record a privacy decision first.")
    if copies and decision is not None and not decision.allows_copies:
        return _("The privacy decision does not allow giving copies (%(release)s).") % {
            "release": decision.get_release_display()
        }
    return None


def offer_appointment(*, footage_request, user, starts_at: datetime, place: str) -> Appointment:
    if footage_request.public_status != PublicStatus.APPROVED:
        raise ValidationError(_("Footage is released only after the request is approved."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("The time must be in the future.")})
    with transaction.atomic():
        appointment = Appointment.objects.create(request=footage_request, starts_at=starts_at, place=place, staff=user)
        _log(footage_request, "appointment", user)
        notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.APPOINTMENT)
    return appointment


def choose_appointment(*, footage_request, appointment_id: int) -> Appointment:
    """The applicant takes one of the offered times; the others are withdrawn."""
    with transaction.atomic():
        offers = footage_request.appointments.select_for_update().filter(
            status=Appointment.Status.OFFERED, starts_at__gt=timezone.now()
        )
        chosen = offers.filter(pk=appointment_id).first()
        if chosen is None:
            raise ValidationError(_("This time is no longer offered. Please choose another."))
        offers.exclude(pk=chosen.pk).update(status=Appointment.Status.WITHDRAWN)
        chosen.status = Appointment.Status.CHOSEN
        chosen.save(update_fields=["status"])
        log(instance=footage_request, action="cctv.request.appointment_chosen", user=None)
        public_state.forget(footage_request.token)
    return chosen


def record_copy(
    *,
    footage_request,
    user,
    file_name: str,
    duration_seconds: int,
    delivery: str,
    sha256: str = "",
    size_bytes: int | None = None,
    upload=None,
    device_note: str = "",
) -> DeliveredCopy:
    """A copy handed over. The hash comes from the uploaded file when there is one, else from the export
    software (pasted by staff); a download link needs the file itself."""
    refusal = release_refusal(footage_request, copies=True)
    if refusal:
        raise ValidationError(refusal)
    if upload is not None:
        sha256, size_bytes = sha256_of(upload), upload.size
    elif delivery == DeliveredCopy.Delivery.DOWNLOAD:
        raise ValidationError({"upload": _("A download link needs the file.")})
    sha256 = (sha256 or "").strip().lower()
    if delivery == DeliveredCopy.Delivery.DEVICE and not device_note:
        raise ValidationError({"device_note": _("Describe the applicant's storage device.")})
    copy = DeliveredCopy(
        request=footage_request,
        file_name=file_name,
        size_bytes=size_bytes or 0,
        duration_seconds=duration_seconds,
        sha256=sha256,
        delivery=delivery,
        device_note=device_note,
        staff=user,
    )
    if delivery == DeliveredCopy.Delivery.DOWNLOAD:
        copy.download_expires_at = timezone.now() + timedelta(days=settings.CCTV_DOWNLOAD_DAYS)
    copy.full_clean(exclude=["file"])
    with transaction.atomic():
        if upload is not None and delivery == DeliveredCopy.Delivery.DOWNLOAD:
            copy.file.save(upload.name, upload, save=False)
        copy.save()
        _log(footage_request, "copy", user, sha256=sha256, delivery=delivery)
        if delivery == DeliveredCopy.Delivery.DOWNLOAD:
            notifications.queue_for_applicant(footage_request=footage_request, event=NotificationEvent.DOWNLOAD_READY)
    return copy


def issue_receipt(*, footage_request, kind: str, copies=(), user=None) -> Receipt:
    with transaction.atomic():
        receipt = Receipt.objects.create(request=footage_request, kind=kind)
        if copies:
            receipt.copies.set(copies)
        log(instance=footage_request, action="cctv.request.receipt", user=user, data={"kind": kind})
    return receipt


def submission_receipt(footage_request) -> Receipt:
    existing = footage_request.receipts.filter(kind=Receipt.Kind.SUBMISSION).first()
    return existing or issue_receipt(footage_request=footage_request, kind=Receipt.Kind.SUBMISSION)


def applicant_view(footage_request) -> dict:
    """What the status page shows of the handling: progress, times offered, the copies, no staff names."""
    now = timezone.now()
    approved = footage_request.public_status == PublicStatus.APPROVED
    # Viewings and copies come only after approval: no query for them before.
    appointments = list(footage_request.appointments.exclude(status=Appointment.Status.WITHDRAWN)) if approved else []
    return {
        "progress": progress(footage_request),
        "offers": [a for a in appointments if a.status == Appointment.Status.OFFERED and a.starts_at > now],
        "chosen": next((a for a in appointments if a.status == Appointment.Status.CHOSEN), None),
        "downloads": [
            copy
            for copy in (footage_request.copies.all() if approved else ())
            if copy.delivery == DeliveredCopy.Delivery.DOWNLOAD
            and copy.download_expires_at
            and copy.download_expires_at > now
        ],
        "no_footage": footage_request.no_footage_reason,
        "estimate": estimate_for_request(footage_request) if footage_request.public_status in OPEN else None,
    }
