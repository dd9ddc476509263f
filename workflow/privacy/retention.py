"""Retention and erasure: a request leaves no personal data behind.

Deleting a request also deletes its files (ID-card copies, signature), its revisions (their JSON holds the
applicant's data), its workflow and task states (comments), decisions, outbox rows and access log, and the cached
public state and status pages (first name, staff message, download link); what remains of it is one count in
RequestStatistic and the audit-log entries, which name only the reference and lose every comment staff typed
(``scrub_log_data``). Retention and the PDPA right to erasure go through the same function.
"""

import json
from collections import Counter
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from cctv.caching.pages import forget_pages
from cctv.home.selectors import retention_days_by_site
from cctv.organisations.models import Organisation
from workflow.approval.models import Decision
from workflow.handling.models import (
    Appointment,
    CopyDownload,
    DeliveredCopy,
    FootagePreservation,
    PrivacyDecision,
    Receipt,
    ReviewFinding,
    StepRecord,
)
from workflow.lifecycle import FINAL
from workflow.line.models import LineLink, LineLinkCode
from workflow.notifications.models import Notification
from workflow.privacy.models import AccessLog, RequestStatistic
from workflow.request import public_state
from workflow.request.models import Attachment, FootageRequest
from workflow.satisfaction.models import SatisfactionRating

# Every model with a foreign key to a request (a test checks the list is complete).
CHILD_MODELS = (
    Attachment,
    Decision,
    AccessLog,
    Notification,
    StepRecord,
    FootagePreservation,
    ReviewFinding,
    PrivacyDecision,
    Appointment,
    Receipt,
    DeliveredCopy,
    LineLink,
    LineLinkCode,
)

# Rows that outlive their request, anonymous: erasure cuts their link to it and what the applicant wrote.
DETACHED_MODELS = (SatisfactionRating,)

CHUNK = 2000

# Keys in an audit entry's data whose strings name things (workflows, steps, cameras, changed fields, hashes),
# not people. Any other string there is text a person typed: a comment at a workflow step (Wagtail's
# "wagtail.workflow.*" entries hold it as "comment"), a correction's reason. It goes with the request; numbers,
# booleans and these keys stay, so the entry still says who did what, when, at which step.
STRUCTURAL_KEYS = frozenset(
    {"workflow", "task", "next", "title", "status", "step", "cameras", "fields", "sha256", "delivery", "kind"}
)


def scrub_log_data(value, key: str | None = None):
    """``value`` (an entry's data) without the strings under keys that are not STRUCTURAL_KEYS."""
    if isinstance(value, dict):
        return {
            name: scrub_log_data(item, name)
            for name, item in value.items()
            if not (isinstance(item, str) and name not in STRUCTURAL_KEYS)
        }
    if isinstance(value, list):
        return [scrub_log_data(item, key) for item in value if not isinstance(item, str) or key in STRUCTURAL_KEYS]
    return value


DEFAULT_RETENTION_DAYS = 3 * 365


def retention_by_organisation() -> dict[str, int]:
    """Each organisation's retention period in days (its service settings; three years where it set none), by
    reference prefix. Each municipality is the data controller of its requests and decides its own period."""
    days = retention_days_by_site()
    return {
        code: days.get(site_id) or DEFAULT_RETENTION_DAYS
        for code, site_id in Organisation.objects.order_by("code").values_list("code", "site_id")
    }


def expired_requests(*, now=None):
    """Requests that ended (lifecycle.FINAL: cancelled, approved, no footage) more than their organisation's
    retention period ago; open requests never expire. One query whatever the number of organisations: one
    condition per distinct period."""
    now = now or timezone.now()
    by_days: dict[int, list[str]] = {}
    for code, days in retention_by_organisation().items():
        by_days.setdefault(days, []).append(code)
    if not by_days:
        return FootageRequest.objects.none()
    expired = Q()
    for days, codes in by_days.items():
        expired |= Q(organisation__code__in=codes, status_changed_at__lt=now - timedelta(days=days))
    return FootageRequest.objects.filter(expired, public_status__in=FINAL)


def summarise(queryset) -> Counter:
    """What erasing these requests would add to the statistics: (month, station, kind, status) -> count."""
    return _buckets(queryset.values_list(*SUMMARY_FIELDS))


SUMMARY_FIELDS = ("submitted_at", "station__code", "request_type__kind", "public_status")


def _buckets(rows) -> Counter:
    return Counter(
        (submitted.date().replace(day=1), station, kind, status) for submitted, station, kind, status in rows
    )


def erase_requests(*, queryset) -> int:
    """Deletes the requests and everything personal attached to them; returns how many."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # A chunk is named by the query and a range of keys, not a list of them: the database driver spent
        # more time writing lists of 2,000 numbers into fourteen statements than the database took to run them.
        total += _erase_chunk(queryset.filter(pk__gte=chunk[0], pk__lte=chunk[-1]))
    return total


def child_querysets(requests) -> list:
    """Every row that belongs to these requests, children before parents. The data removal tests check that
    this names every model that points at a request, so a new one cannot be forgotten."""
    content_type = ContentType.objects.get_for_model(FootageRequest)
    keys = requests.order_by().values("pk")
    object_ids = requests.order_by().annotate(object_id=Cast("pk", CharField())).values("object_id")
    states = WorkflowState.objects.filter(base_content_type=content_type, object_id__in=object_ids)
    return [
        # Task states cascade from their revisions and workflow states; both hold the applicant's data.
        TaskState.objects.filter(workflow_state__in=states.values("pk")),
        states,
        Revision.objects.filter(base_content_type=content_type, object_id__in=object_ids),
        # Rows that belong to the children (downloads of copies, the many-to-many tables) go first.
        CopyDownload.objects.filter(copy__request_id__in=keys),
        Receipt.copies.through.objects.filter(receipt__request_id__in=keys),
        FootagePreservation.cameras.through.objects.filter(footagepreservation__request_id__in=keys),
        *(model.objects.filter(request_id__in=keys) for model in CHILD_MODELS),
        FootageRequest.cameras.through.objects.filter(footagerequest_id__in=keys),
    ]


def _erase_chunk(requests) -> int:
    # The storage the file fields saved to (Django resolves a field's storage once, when models load).
    storage = FootageRequest._meta.get_field("signature").storage
    with transaction.atomic():
        rows = list(requests.values_list("token", "signature", *SUMMARY_FIELDS))
        public_state.forget(*(row[0] for row in rows))
        # Now and at commit, as public_state.forget: a status page rendered in between is not kept either.
        owners = [f"status:{row[0]}" for row in rows if row[0]]  # forms/status_views.py names them so
        forget_pages(*owners)
        transaction.on_commit(lambda: forget_pages(*owners))
        _scrub_log_entries(requests)
        files = [row[1] for row in rows if row[1]]
        keys = requests.order_by().values("pk")
        files += list(Attachment.objects.filter(request__in=keys).values_list("file", flat=True))
        files += list(DeliveredCopy.objects.filter(request__in=keys).exclude(file="").values_list("file", flat=True))
        _count_in_statistics(_buckets(row[2:] for row in rows))
        # Plain DELETEs, children first: Django's cascading delete loads every row to look for signal
        # handlers and ran at 900 requests a second; the database's (deferred) foreign keys still check
        # that nothing is left pointing at a deleted row.
        SatisfactionRating._base_manager.filter(request_id__in=keys).update(request=None, comment="")
        for children in child_querysets(requests):
            children._raw_delete(children.db)
        deleted = requests._raw_delete(requests.db)
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return deleted


def _scrub_log_entries(requests) -> None:
    content_type = ContentType.objects.get_for_model(FootageRequest)
    object_ids = requests.order_by().annotate(object_id=Cast("pk", CharField())).values("object_id")
    entries = (
        ModelLogEntry.objects.filter(content_type=content_type, object_id__in=object_ids)
        .exclude(data={})
        .values_list("pk", "data")
    )
    # One UPDATE per distinct scrubbed value (a handful: the steps' names), not one per entry.
    changed: dict[str, tuple[object, list[int]]] = {}
    for pk, data in entries.iterator(chunk_size=CHUNK):
        scrubbed = scrub_log_data(data)
        if scrubbed != data:
            changed.setdefault(json.dumps(scrubbed, sort_keys=True), (scrubbed, []))[1].append(pk)
    for scrubbed, pks in changed.values():
        ModelLogEntry.objects.filter(pk__in=pks).update(data=scrubbed)


def _count_in_statistics(counts: Counter) -> None:
    if not counts:
        return
    buckets = {
        (bucket.month, bucket.station_code, bucket.kind, bucket.final_status): bucket
        for bucket in RequestStatistic.objects.select_for_update().filter(month__in={key[0] for key in counts})
    }
    RequestStatistic.objects.bulk_create(
        [
            RequestStatistic(month=month, station_code=station, kind=kind, final_status=status, count=count)
            for (month, station, kind, status), count in counts.items()
            if (month, station, kind, status) not in buckets
        ]
    )
    changed = []
    for key, bucket in buckets.items():
        if key in counts:
            bucket.count += counts[key]
            changed.append(bucket)
    RequestStatistic.objects.bulk_update(changed, ["count"])
