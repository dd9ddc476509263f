"""The PDPA rights of the notice (access, erasure) for one person, found by national ID number."""

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.functional import Promise
from wagtail.log_actions import log

from workflow import lifecycle, log_actions
from workflow.privacy import retention
from workflow.privacy.models import AccessLog
from workflow.request.models import FootageRequest
from workflow.request.submission import APPLICANT_FIELDS

# What the request row holds about the person: the applicant's own answers (national_id decrypted) and the
# request's, in the order of the form.
PERSONAL_FIELDS = (
    "reference", "submitted_at", "public_status", *APPLICANT_FIELDS, "written_on", "incident_date", "incident_time",
    "incident_time_end", "reason", "file_count", "extra_answers", "consented_at", "public_message",
)  # fmt: skip


def requests_of(national_id: str):
    return FootageRequest.objects.of_person(national_id).select_related("station", "request_type")


def export_person(*, national_id: str, user, ip: str | None) -> str:
    """Everything stored about the person, as JSON; the export itself is logged."""
    records = []
    for footage_request in requests_of(national_id).prefetch_related("attachments", "decisions", "cameras"):
        record = {name: getattr(footage_request, name) for name in PERSONAL_FIELDS}
        record["station"] = footage_request.station.name_th
        record["purpose"] = footage_request.request_type.name_th
        record["cameras"] = [str(camera) for camera in footage_request.cameras.all()]
        record["attachments"] = [
            {"kind": a.kind, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in footage_request.attachments.all()
        ]
        record["decisions"] = [
            {"at": d.created_at, "step": d.task_name, "decision": d.action, "comment": d.comment}
            for d in footage_request.decisions.all()
        ]
        records.append(record)
        AccessLog.objects.create(
            request=footage_request, user=user, what=AccessLog.What.PERSONAL_DATA, ip_address=ip or None
        )
        log(instance=footage_request, action=log_actions.EXPORTED, user=user)
    return json.dumps({"requests": records}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class ErasureItem:
    """One request as the erasure's confirmation page lists it."""

    pk: int
    reference: str
    submitted_at: datetime
    status: str | Promise
    in_progress: bool  # not ended yet (lifecycle.OPEN): staff may still be deciding or waiting for the applicant
    step: str  # the approval step it waits at, if any
    files: int  # ID-card copy, signature, other attachments and copies of footage


def erasure_preview(*, national_id: str) -> list[ErasureItem]:
    """What erasing the person's data would remove, request by request, for staff to confirm first."""
    items = []
    queryset = requests_of(national_id).select_related("current_task").prefetch_related("attachments", "copies")
    for footage_request in queryset.order_by("submitted_at", "pk"):
        items.append(
            ErasureItem(
                pk=footage_request.pk,
                reference=footage_request.reference,
                submitted_at=footage_request.submitted_at,
                status=footage_request.get_public_status_display(),
                in_progress=lifecycle.is_open(footage_request.public_status),
                step=footage_request.current_task.name if footage_request.current_task else "",
                files=len(footage_request.attachments.all())
                + len([c for c in footage_request.copies.all() if c.file])
                + (1 if footage_request.signature else 0),
            )
        )
    return items


class ErasureChanged(Exception):
    """The person's requests are not the ones staff confirmed (one was added or erased meanwhile)."""


def erase_person(*, national_id: str, user, reason: str, confirmed_ids: Collection[int] | None = None) -> int:
    """Erasure on the person's request: the same removal as retention, logged with the staff reason. The entry is
    written after the removal (which scrubs what staff typed in the request's entries), with the person's own
    details taken out of the reason, so that the record of the erasure is not where the data survives.

    ``confirmed_ids``: the requests staff saw on the confirmation page; ErasureChanged, and nothing erased,
    unless they are exactly the person's requests now (checked with the rows locked)."""
    with transaction.atomic():
        erased = list(requests_of(national_id).select_for_update(of=("self",)).order_by("pk"))
        if confirmed_ids is not None and {r.pk for r in erased} != set(confirmed_ids):
            raise ErasureChanged
        reason = without_details(reason[:500], erased)
        count = retention.erase_requests(queryset=requests_of(national_id))
        for footage_request in erased:  # deleted rows; log() needs only their key and reference
            log(instance=footage_request, action=log_actions.ERASED, user=user, data={"reason": reason})
    return count


# ID numbers (13 digits, with or without separators), Thai phone numbers and e-mail addresses; ``\d`` also
# matches Thai digits.
_CONTACTS = (
    re.compile(r"\d[\s-]?\d{4}[\s-]?\d{5}[\s-]?\d{2}[\s-]?\d"),
    re.compile(r"(?:\+66|0)\d{1,2}[\s-]?\d{3}[\s-]?\d{3,4}"),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
)


def mask_contacts(text: str) -> str:
    for pattern in _CONTACTS:
        text = pattern.sub("…", text)
    return text


# Values too short or too common to remove from free text without mangling it (ages, titles, "ไทย").
_NOT_REMOVED = {"title", "age", "race", "nationality"}


def without_details(text: str, requests) -> str:
    """``text`` with every detail of these requests' applicants, and any ID number, phone number or e-mail
    address, replaced by "…"."""
    details = {
        str(getattr(footage_request, name) or "").strip()
        for footage_request in requests
        for name in APPLICANT_FIELDS
        if name not in _NOT_REMOVED
    }
    for detail in sorted((d for d in details if len(d) >= 3), key=len, reverse=True):
        text = text.replace(detail, "…")
    return mask_contacts(text)
