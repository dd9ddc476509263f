"""Writes on footage requests. Each is one transaction; views and tasks call these and nothing else."""

from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Revision

from cctv.stations.models import Camera, Station

from . import statuses
from .constants import REFERENCE_PREFIX, AttachmentKind
from .models import Attachment, FootageRequest, ReferenceSequence, RequestType

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
        footage_request.cameras.set(list(Camera.objects.filter(pk__in=incident.camera_ids, station=station)))
        for item in submission.attachments:
            attachment = Attachment(
                request=footage_request,
                kind=item.kind,
                label=item.label,
                content_type=item.file.content_type,
                size=item.file.size,
                sha256=item.file.sha256,
            )
            attachment.file.save(f"file{item.file.extension}", ContentFile(item.file.content), save=False)
            footage_request.attachments.add(attachment)
        # Saving the cluster writes the camera set and the attachments in one go.
        footage_request.save()
        revision = footage_request.save_revision(user=None, clean=False)
        log(instance=footage_request, action="cctv.request.submit", revision=revision, user=None)
        workflow = footage_request.get_workflow()
        if workflow is not None:
            workflow.start(footage_request, user=None)
    return footage_request


def cancel_request_by_applicant(*, footage_request: FootageRequest) -> FootageRequest:
    """The applicant withdraws a request that staff have not taken up yet."""
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        new_status = statuses.next_status(statuses.Event.CANCELLED_BY_CITIZEN, locked.public_status)
        state = locked.current_workflow_state
        if state is not None:
            state.cancel(user=None)
        _set_status(locked, new_status)
        log(instance=locked, action="cctv.request.cancel_by_applicant", user=None)
    return locked


def _set_status(footage_request: FootageRequest, status: str) -> None:
    footage_request.public_status = status
    footage_request.status_changed_at = timezone.now()
    footage_request.save(update_fields=["public_status", "status_changed_at"])
