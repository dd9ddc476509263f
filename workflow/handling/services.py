"""What staff do with a request after it is submitted. Each function checks what the manual and the PDPA require
(a camera of the request's station, a privacy decision before footage with other people in it is released, ...),
writes its rows, logs the action and tells the applicant through the outbox where the applicant needs to know."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from workflow import lifecycle, log_actions
from workflow.constants import NotificationEvent
from workflow.handling.appointments import (  # noqa: F401 - re-exported: callers name the services from here
    choose_appointment,
    offer_appointment,
    offer_appointments,
)
from workflow.handling.audit import log_change, save_logged
from workflow.handling.estimates import estimate_for_request, progress
from workflow.handling.models import (
    DeliveredCopy,
    FootagePreservation,
    PrivacyDecision,
    Receipt,
    ReviewFinding,
    sha256_of,
)
from workflow.handling.steps import record_step, start_step, stop_step  # noqa: F401 - re-exported
from workflow.lifecycle import AppointmentEvent, PublicStatus
from workflow.notifications.outbox import queue_for_applicant
from workflow.request.cameras import check_cameras_at_station
from workflow.request.models import FootageRequest
from workflow.request.services import close_request


def preserve_footage(
    *, footage_request, user, cameras, clip_from: datetime, clip_to: datetime, kept_at: str
) -> FootagePreservation:
    """Allowed at once, whatever the approval has reached: only a request that was cancelled or ended with no
    footage has nothing to keep."""
    if footage_request.public_status == PublicStatus.CANCELLED:
        raise ValidationError(_("The request is cancelled."))
    if footage_request.public_status == PublicStatus.NO_FOOTAGE:
        raise ValidationError(_("The request has ended with no footage found."))
    if not cameras:
        raise ValidationError({"cameras": _("Choose the cameras whose clip was kept.")})
    check_cameras_at_station(station_id=footage_request.station_id, cameras=cameras)
    preservation = FootagePreservation(
        request=footage_request, clip_from=clip_from, clip_to=clip_to, kept_at=kept_at, staff=user
    )
    preservation.full_clean()
    with transaction.atomic():
        preservation.save()
        preservation.cameras.set(cameras)
        log_change(footage_request, log_actions.FOOTAGE_PRESERVED, user, cameras=[camera.code for camera in cameras])
    return preservation


NO_FOOTAGE_FIELDS = ("public_status", "status_changed_at", "public_message", "no_footage_reason", "no_footage_note")


def record_no_footage(*, footage_request, user, reason, note: str = "") -> FootageRequest:
    """Staff found no footage to give: the request ends as "no footage found" (lifecycle.Event.NO_FOOTAGE) by the
    path a decline or a cancel takes (close_request: its workflow is cancelled, so it leaves every work queue,
    and the applicant is told)."""
    with transaction.atomic():
        # The request row first; close_request locks the task states next (the approval actions' lock order).
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        if not lifecycle.is_allowed(lifecycle.Event.NO_FOOTAGE, locked.public_status):
            raise ValidationError(_("This request has already ended: no footage can be recorded for it."))
        FootageRequest.objects.filter(pk=locked.pk).update(no_footage_reason=reason, no_footage_note=note)
        locked.no_footage_reason, locked.no_footage_note = reason, note
        close_request(
            footage_request=locked,
            event=lifecycle.Event.NO_FOOTAGE,
            user=user,
            message="",
            notify=NotificationEvent.NO_FOOTAGE,
        )
        log_change(locked, log_actions.NO_FOOTAGE, user, reason=reason.pk)
    for name in NO_FOOTAGE_FIELDS:
        setattr(footage_request, name, getattr(locked, name))
    return locked


def record_finding(
    *, footage_request, user, camera, found_from, found_to, description: str, third_parties_identifiable: bool
) -> ReviewFinding:
    check_cameras_at_station(station_id=footage_request.station_id, cameras=[camera], field="camera")
    finding = ReviewFinding(
        request=footage_request,
        camera=camera,
        found_from=found_from,
        found_to=found_to,
        description=description,
        third_parties_identifiable=third_parties_identifiable,
        staff=user,
    )
    return save_logged(
        finding, footage_request, log_actions.FINDING_RECORDED, user, third_parties=third_parties_identifiable
    )


def decide_privacy(*, footage_request, user, release: str, legal_basis, reasoning: str) -> PrivacyDecision:
    decision = PrivacyDecision(
        request=footage_request, release=release, legal_basis=legal_basis, reasoning=reasoning, staff=user
    )
    return save_logged(decision, footage_request, log_actions.PRIVACY_DECIDED, user, release=release)


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
        log_change(footage_request, log_actions.COPY_HANDED_OVER, user, sha256=sha256, delivery=delivery)
        if delivery == DeliveredCopy.Delivery.DOWNLOAD:
            queue_for_applicant(footage_request=footage_request, event=NotificationEvent.DOWNLOAD_READY)
    return copy


def issue_receipt(*, footage_request, kind: str, copies=(), user=None) -> Receipt:
    with transaction.atomic():
        receipt = Receipt.objects.create(request=footage_request, kind=kind)
        if copies:
            receipt.copies.set(copies)
        log(instance=footage_request, action=log_actions.RECEIPT_ISSUED, user=user, data={"kind": kind})
    return receipt


def submission_receipt(footage_request) -> Receipt:
    existing = footage_request.receipts.filter(kind=Receipt.Kind.SUBMISSION).first()
    return existing or issue_receipt(footage_request=footage_request, kind=Receipt.Kind.SUBMISSION)


def applicant_view(footage_request) -> dict:
    """What the status page shows of the handling: progress, times offered, the copies, no staff names."""
    now = timezone.now()
    status = footage_request.public_status
    approved = status == PublicStatus.APPROVED
    # Viewings and copies come only after approval: no query for them before.
    appointments = (
        list(footage_request.appointments.filter(status__in=lifecycle.APPOINTMENTS_SHOWN))
        if lifecycle.may_offer_appointment(status)
        else []
    )
    choosable = lifecycle.appointment_allowed_from(AppointmentEvent.CHOSEN)
    return {
        "progress": progress(footage_request) if lifecycle.shows_progress(status) else [],
        "offers": [a for a in appointments if a.status in choosable and a.starts_at > now],
        "chosen": next((a for a in appointments if a.status == lifecycle.AppointmentStatus.CHOSEN), None),
        "downloads": [
            copy
            for copy in (footage_request.copies.all() if approved else ())
            if copy.delivery == DeliveredCopy.Delivery.DOWNLOAD
            and copy.download_expires_at
            and copy.download_expires_at > now
        ],
        "no_footage": footage_request.no_footage_reason if status == PublicStatus.NO_FOOTAGE else None,
        "estimate": estimate_for_request(footage_request) if lifecycle.is_open(status) else None,
    }
