from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from workflow import lifecycle
from workflow.approval.models import Decision, RefusalReason
from workflow.constants import DecisionAction, NotificationEvent
from workflow.notifications.outbox import queue_for_applicant, queue_for_task_group
from workflow.request.models import FootageRequest
from workflow.request.status import apply_event, set_status


class ActionRefused(PermissionDenied):
    """An approver's action that cannot be taken; Wagtail's views show the message and change nothing."""


def _request_for(task_state: TaskState) -> FootageRequest:
    return FootageRequest.objects.select_for_update().get(pk=task_state.workflow_state.object_id)


def act_on_task(*, task_state: TaskState, user, action: str, comment: str = "", reason=None, **_ignored) -> Decision:
    """Approve, ask for more information, or decline, at the task the request is waiting on.

    The task state row is locked and re-read, so of two approvers acting at once exactly one decides; the
    other is told who already did. Required comments and reasons are checked here, not only in the modal.
    """
    comment = (comment or "").strip()
    with transaction.atomic():
        # Only the task state's own columns are re-read after waiting for the lock (PostgreSQL re-checks the
        # locked row, not joined ones), so whoever decided first is loaded afterwards from finished_by_id.
        locked = TaskState.objects.select_for_update(of=("self",)).select_related("task").get(pk=task_state.pk)
        if locked.status != TaskState.STATUS_IN_PROGRESS:
            who = locked.finished_by.get_full_name() or locked.finished_by.get_username() if locked.finished_by else ""
            raise ActionRefused(_("Already decided by %(name)s.") % {"name": who or _("someone else")})
        footage_request = _request_for(locked)
        locked = locked.specific
        if user is None or not (user.is_superuser or locked.task.specific._user_in_groups(user)):
            raise ActionRefused(_("This step is decided by another group."))
        if action == DecisionAction.REQUEST_INFO and not comment:
            raise ActionRefused(_("Say what the applicant must add or correct."))
        if action == DecisionAction.DECLINE:
            if not comment or not isinstance(reason, RefusalReason):
                raise ActionRefused(_("Choose a reason and write a comment to decline a request."))
        if action not in (DecisionAction.APPROVE, DecisionAction.REQUEST_INFO, DecisionAction.DECLINE):
            raise ActionRefused(_("Unknown action."))

        decision = Decision.objects.create(
            request=footage_request,
            task_state=locked,
            task_name=locked.task.name,
            action=action,
            user=user,
            comment=comment,
            reason=reason if action == DecisionAction.DECLINE else None,
        )
        if action == DecisionAction.APPROVE:
            locked.approve(user=user, comment=comment)
            footage_request.public_status = (
                FootageRequest.objects.filter(pk=footage_request.pk).values_list("public_status", flat=True).get()
            )
            if footage_request.public_status == lifecycle.PublicStatus.PENDING:
                apply_event(footage_request, lifecycle.Event.RECEIVED)
            next_state = (
                TaskState.objects.filter(workflow_state=locked.workflow_state, status=TaskState.STATUS_IN_PROGRESS)
                .select_related("task")
                .first()
            )
            if next_state is not None:
                queue_for_task_group(footage_request=footage_request, task=next_state.task)
        elif action == DecisionAction.REQUEST_INFO:
            locked.reject(user=user, comment=comment)
            apply_event(footage_request, lifecycle.Event.MORE_INFO_REQUESTED, message=comment)
            queue_for_applicant(footage_request=footage_request, event=NotificationEvent.MORE_INFO)
        else:
            locked.reject(user=user, comment=comment, update=False)
            locked.workflow_state.cancel(user=user)
            apply_event(footage_request, lifecycle.Event.DECLINED, message=f"{reason}: {comment}")
            queue_for_applicant(footage_request=footage_request, event=NotificationEvent.DECLINED)
        log(
            instance=footage_request,
            action=f"cctv.request.{action}",
            user=user,
            data={"task": locked.task.name, "decision_id": decision.pk},
        )
    return decision


def mark_approved(*, workflow_state: WorkflowState, user=None) -> None:
    """The last approval makes the request approved (WAGTAIL_FINISH_WORKFLOW_ACTION, see finish.py).

    Nothing is published, so no group needs publish rights on requests and nobody can go around the chain.
    """
    footage_request = FootageRequest.objects.select_for_update().get(pk=workflow_state.object_id)
    apply_event(footage_request, lifecycle.Event.APPROVED, message="")
    log(instance=footage_request, action="cctv.request.approved", user=user)
    queue_for_applicant(footage_request=footage_request, event=NotificationEvent.APPROVED)


def cancel_request_by_staff(*, footage_request: FootageRequest, user, comment: str) -> Decision:
    comment = (comment or "").strip()
    if not comment:
        raise ActionRefused(_("Say why the request is cancelled."))
    with transaction.atomic():
        locked = FootageRequest.objects.select_for_update().get(pk=footage_request.pk)
        new_status = lifecycle.next_status(lifecycle.Event.CANCELLED_BY_STAFF, locked.public_status)
        state = locked.current_workflow_state
        if state is not None:
            state.cancel(user=user)
        decision = Decision.objects.create(
            request=locked,
            task_name=state.current_task_state.task.name if state and state.current_task_state else "",
            action=DecisionAction.CANCEL,
            user=user,
            comment=comment,
        )
        set_status(locked, new_status, message=comment)
        log(instance=locked, action="cctv.request.cancel_by_staff", user=user, data={"decision_id": decision.pk})
        queue_for_applicant(footage_request=locked, event=NotificationEvent.CANCELLED)
    return decision
