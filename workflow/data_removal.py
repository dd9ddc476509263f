"""Retention and erasure: a request leaves no personal data behind.

Deleting a request also deletes its files (ID-card copies, signature), its revisions (their JSON holds the
applicant's data), its workflow and task states (comments), decisions, outbox rows and access log; what remains
of it is one count in RequestStatistic and the audit-log entries, which name only the reference.
Retention and the PDPA right to erasure go through the same function.
"""

from collections import Counter
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from cctv.home.models import ServiceSettings

from .constants import PublicStatus
from .models import Attachment, FootageRequest, RequestStatistic

FINAL = (PublicStatus.CANCELLED, PublicStatus.APPROVED)
CHUNK = 500


def retention_days() -> int:
    service = ServiceSettings.objects.order_by("pk").first()
    return service.retention_days if service else 3 * 365


def expired_requests(*, now=None):
    """Requests that ended more than the retention period ago (open requests never expire)."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    return FootageRequest.objects.filter(public_status__in=FINAL, status_changed_at__lt=cutoff)


def summarise(queryset) -> Counter:
    """What erasing these requests would add to the statistics: (month, station, kind, status) -> count."""
    rows = queryset.values_list("submitted_at", "station__code", "request_type__kind", "public_status")
    return Counter(
        (submitted.date().replace(day=1), station, kind, status) for submitted, station, kind, status in rows
    )


def erase_requests(*, queryset) -> int:
    """Deletes the requests and everything personal attached to them; returns how many."""
    ids = list(queryset.values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), CHUNK):
        total += _erase_chunk(ids[start : start + CHUNK])
    return total


def _erase_chunk(ids: list[int]) -> int:
    content_type = ContentType.objects.get_for_model(FootageRequest)
    object_ids = [str(pk) for pk in ids]
    # The storage the file fields saved to (Django resolves a field's storage once, when models load).
    storage = FootageRequest._meta.get_field("signature").storage
    with transaction.atomic():
        requests = FootageRequest.objects.filter(pk__in=ids)
        files = list(requests.exclude(signature="").values_list("signature", flat=True))
        files += list(Attachment.objects.filter(request_id__in=ids).values_list("file", flat=True))
        for (month, station, kind, status), count in summarise(requests).items():
            bucket, _created = RequestStatistic.objects.get_or_create(
                month=month, station_code=station, kind=kind, final_status=status
            )
            RequestStatistic.objects.filter(pk=bucket.pk).update(count=F("count") + count)
        # Task states cascade from their revisions and workflow states; both hold the applicant's data.
        WorkflowState.objects.filter(base_content_type=content_type, object_id__in=object_ids).delete()
        Revision.objects.filter(base_content_type=content_type, object_id__in=object_ids).delete()
        deleted = requests.count()
        requests.delete()
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return deleted
