"""Reads on footage requests for staff views."""

from django.db.models import Prefetch

from .models import Decision, FootageRequest


def request_for_review(pk: int) -> FootageRequest:
    """Everything the request view shows, in a fixed number of queries."""
    return (
        FootageRequest.objects.select_related("request_type", "station", "privacy_policy_revision")
        .prefetch_related(
            "attachments",
            "cameras",
            Prefetch("decisions", queryset=Decision.objects.select_related("user", "reason")),
        )
        .get(pk=pk)
    )


def user_may_see_request(user, footage_request: FootageRequest) -> bool:
    """Staff with view permission, and members of the group whose step the request is waiting on."""
    if user.has_perm("cctv_workflow.view_footagerequest"):
        return True
    task_state = footage_request.current_workflow_task_state
    return bool(task_state and task_state.task.specific.user_can_access_editor(footage_request, user))
