"""Reads on footage requests for staff views."""

import re

from django.core.cache import cache
from django.db.models import Prefetch, Q

from cctv.thai.ids import normalise_digits
from cctv.thai.localised import localised
from workflow.approval.models import Decision
from workflow.models import FootagePreservation, PrivacyDecision, ReviewFinding, StepRecord
from workflow.request.models import FootageRequest


def request_for_review(pk: int) -> FootageRequest:
    """Everything the request view shows, in a fixed number of queries."""
    return (
        FootageRequest.objects.select_related("request_type", "station", "privacy_policy_revision")
        .prefetch_related(
            "attachments",
            "cameras",
            Prefetch("decisions", queryset=Decision.objects.select_related("user", "reason")),
            Prefetch("preservations", queryset=FootagePreservation.objects.select_related("staff")),
            "preservations__cameras",
            Prefetch("findings", queryset=ReviewFinding.objects.select_related("camera")),
            Prefetch("privacy_decisions", queryset=PrivacyDecision.objects.select_related("legal_basis")),
            "appointments",
            "copies__downloads",
            "receipts",
            Prefetch("step_records", queryset=StepRecord.objects.select_related("camera", "staff")),
        )
        .select_related("no_footage_reason")
        .get(pk=pk)
    )


def user_may_see_request(user, footage_request: FootageRequest) -> bool:
    """Staff with view permission, and members of the group whose step the request is waiting on."""
    if user.has_perm("cctv_workflow.view_footagerequest"):
        return True
    task_state = footage_request.current_workflow_task_state
    return bool(task_state and task_state.task.specific.user_can_access_editor(footage_request, user))


# Shorter text would match most rows and cannot use the trigram index: it must match whole.
PARTIAL_MATCH_MIN = 3
WHOLE_REFERENCE = re.compile(r"CCTV-\d{4}-\d+")


def request_search(text: str) -> Q:
    """Staff search of requests: a reference or a phone number, whole or in part (Thai digits, dashes and
    spaces as people type them). Indexed lookups, not full-text search: on PostgreSQL the partial matches
    use the trigram indexes of migration 0010, so a search costs the same at ten thousand or a million rows.
    """
    text = normalise_digits(text).strip().upper()
    if WHOLE_REFERENCE.fullmatch(text):
        return Q(reference=text)
    digits = re.sub(r"[\s\-]", "", text)
    query = Q(reference=text)
    if len(text) >= PARTIAL_MATCH_MIN:
        query |= Q(reference__contains=text)
    if digits.isdigit():
        query |= Q(phone=digits)
        if len(digits) >= PARTIAL_MATCH_MIN:
            query |= Q(phone__contains=digits)
    return query


def _admin_choices() -> dict:
    from cctv.caching import versions
    from cctv.stations.models import Station
    from workflow.request.models import RequestType

    key = f"cctv:admin-choices:{versions.current('form-options')}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            "station": list(Station.objects.order_by("sort_order", "name_th").values_list("pk", "name_th", "name_en")),
            "request_type": list(RequestType.objects.order_by("pk").values_list("pk", "name_th", "name_en")),
        }
        cache.set(key, choices, 60 * 60)
    return choices


def station_choices() -> list[tuple[int, str]]:
    """Stations for the staff filters, from the cache editors' changes refresh (no query per page)."""
    return [(pk, localised(thai, english)) for pk, thai, english in _admin_choices()["station"]]


def request_type_choices() -> list[tuple[int, str]]:
    return [(pk, localised(thai, english)) for pk, thai, english in _admin_choices()["request_type"]]
