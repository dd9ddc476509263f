"""Reads on footage requests for staff views."""

import re

from django.db.models import Q

from cctv.caching import cache_key, cached
from cctv.organisations.context import current_scope
from cctv.organisations.naming import REFERENCE
from cctv.roles import is_supervisor
from cctv.thai.ids import normalise_digits
from cctv.thai.localised import localised
from workflow.request.models import FootageRequest


def user_may_change_request(user, footage_request: FootageRequest) -> bool:
    """Whether the user may change the request (correct its contact details, decide its step): the rule of
    Wagtail's snippet editor (``EditView.user_has_permission("change")``), the model's change permission
    (officers) or membership of the group whose step the request is waiting on."""
    if not (user.is_authenticated and user.is_active):
        return False
    if FootageRequest.snippet_viewset.permission_policy.user_has_permission(user, "change"):
        return True
    task = footage_request.current_workflow_task
    return bool(task and task.user_can_access_editor(footage_request, user))


def user_may_read_any_request(user) -> bool:
    """Whether the user may read every request whatever its step: officers (the change permission) and the
    supervising levels (head of the centre, deputy chief, chief executive: ``cctv.roles.SUPERVISOR_LEVELS``)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return FootageRequest.snippet_viewset.permission_policy.user_has_permission(user, "change") or is_supervisor(user)


def user_may_see_request(user, footage_request: FootageRequest) -> bool:
    """Whether the user may open the request and its files (ID-card copy, other documents, signature): the one
    rule of the request view, the listing's links and the file views.

    Whoever may change it (officers; the group at its current step), and the supervisors, who read any request
    at any step (each read is access-logged by the views). View permission alone (auditors: the listing and the
    reports) is not enough. Reading is not acting: the step's actions stay with its group
    (``workflow.approval.services.check_step``), and saving an edit with ``user_may_change_request``.
    """
    return user_may_read_any_request(user) or user_may_change_request(user, footage_request)


# Shorter text would match most rows and cannot use the trigram index: it must match whole.
PARTIAL_MATCH_MIN = 3
# Any organisation's prefix (cctv.organisations.models.Organisation.code).
WHOLE_REFERENCE = REFERENCE


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


def _load_admin_choices() -> dict:
    from cctv.stations.models import Station
    from workflow.request.models import RequestType

    return {
        "station": list(Station.objects.order_by("sort_order", "name_th").values_list("pk", "name_th", "name_en")),
        "request_type": list(RequestType.objects.order_by("pk").values_list("pk", "name_th", "name_en")),
    }


def _admin_choices() -> dict:
    # Loaded through the scoped managers, so kept per scope: one organisation's stations are no other's choices.
    scope = current_scope()
    scope_key = "all" if scope is None else ".".join(map(str, sorted(scope))) or "none"
    return cached(cache_key("admin-choices", scope_key, families=("form-options",)), 60 * 60, _load_admin_choices)


def station_choices() -> list[tuple[int, str]]:
    """Stations for the staff filters, from the cache editors' changes refresh (no query per page)."""
    return [(pk, localised(thai, english)) for pk, thai, english in _admin_choices()["station"]]


def request_type_choices() -> list[tuple[int, str]]:
    return [(pk, localised(thai, english)) for pk, thai, english in _admin_choices()["request_type"]]
