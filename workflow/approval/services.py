"""The approver's actions, one function per state change (as Wagtail's ``wagtail/actions/``): approve a step, ask
the applicant for more information, decline, cancel by staff, and the finish action that approves the request.
``ApprovalTask.on_action`` dispatches to them; admin views, commands and tests call them the same way.

Lock order, the same wherever a request's workflow changes (here; ``close_request``, the applicant's cancel and
the resubmission in ``workflow/request/services.py``; the admin edit view in ``workflow/approval/views.py``):

1. the ``FootageRequest`` row (``select_for_update``);
2. the ``TaskState`` row the action is on (``select_for_update``), or, to cancel, every task state in progress;
3. then Wagtail writes the ``WorkflowState`` row and starts the next ``TaskState``.

Taking the request row first serialises every decision on one request, so two people acting at once never
deadlock: the second waits, then finds the step no longer in progress and is told who decided it. An action acts
only on the task state it names (the one the approver saw), only while that state is in progress and is its
workflow's current one, and only for a member of the step's group: a stale page or an old task state id in a
URL decides nothing, and never the next level for someone who also belongs to it.

Refusals are ``ActionRefused``, a ``PermissionDenied``: the edit view saves the edit before the action runs, and
would turn a ``ValidationError`` into a server error; the project's views show the message (views.py).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from workflow import lifecycle, log_actions
from workflow.approval.models import ApprovalTask, Decision, RefusalReason
from workflow.constants import DecisionAction, NotificationEvent
from workflow.notifications.outbox import queue_for_applicant, queue_for_task_group
from workflow.request.models import FootageRequest
from workflow.request.services import close_request
from workflow.request.status import apply_event


class ActionRefused(PermissionDenied):
    """An approver's action that cannot be taken; nothing changes and the message says why."""


@dataclass(frozen=True)
class Step:
    """A step being decided: the request and the task state, both locked."""

    footage_request: FootageRequest
    task_state: TaskState

    @property
    def task_name(self) -> str:
        return self.task_state.task.name


def already_decided(task_state: TaskState) -> str:
    """Who ended the step first, for whoever arrives second."""
    who = task_state.finished_by
    if who is not None:
        name = who.get_full_name() or who.get_username()
    elif task_state.status == TaskState.STATUS_CANCELLED:
        name = _("the applicant")  # the citizen's cancel is the one that has no user
    else:
        name = _("someone else")
    return _("Already decided by %(name)s.") % {"name": name}


def check_step(task_state: TaskState, user) -> None:
    """Raises ActionRefused unless ``user`` may decide ``task_state`` now. Views call it to refuse a stale page
    early; the actions call it again with the rows locked, which is the check that counts."""
    workflow_state = task_state.workflow_state
    if (
        task_state.status != TaskState.STATUS_IN_PROGRESS
        or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS
        or workflow_state.current_task_state_id != task_state.pk
    ):
        raise ActionRefused(already_decided(task_state))
    task = task_state.task.specific
    if not isinstance(task, ApprovalTask):
        raise ActionRefused(_("This is not a step of a footage request."))
    if user is None or not (user.is_superuser or task._user_in_groups(user)):
        raise ActionRefused(_("This step is decided by another group."))


def _lock_step(task_state: TaskState, user) -> Step:
    """Locks the request, then the task state (the lock order above), and checks the step may be decided."""
    content_type_id, object_id = TaskState.objects.values_list(
        "workflow_state__base_content_type_id", "workflow_state__object_id"
    ).get(pk=task_state.pk)
    if content_type_id != ContentType.objects.get_for_model(FootageRequest).pk:
        raise ActionRefused(_("This is not a step of a footage request."))
    footage_request = FootageRequest.objects.select_for_update().get(pk=int(object_id))
    # Read after the request's lock is held, so every column here is as the previous decision left it.
    locked = (
        TaskState.objects.select_for_update(of=("self",))
        .select_related("task", "workflow_state", "finished_by")
        .get(pk=task_state.pk)
    )
    check_step(locked, user)
    return Step(footage_request=footage_request, task_state=locked)


def _record(step: Step, action: DecisionAction, user, comment: str, reason: RefusalReason | None = None) -> Decision:
    return Decision.objects.create(
        request=step.footage_request,
        task_state=step.task_state,
        task_name=step.task_name,
        action=action,
        user=user,
        comment=comment,
        reason=reason,
    )


def _clean(comment) -> str:
    return comment.strip() if isinstance(comment, str) else ""


def _active_reason(reason_id) -> RefusalReason | None:
    try:
        pk = int(reason_id)
    except (TypeError, ValueError):
        return None
    return RefusalReason.objects.filter(active=True, pk=pk).first()


def approve_step(*, task_state: TaskState, user, comment: str = "") -> Decision:
    """Approves one level. The first level's approval is the applicant's "received by staff"; the last level's
    runs the finish action (``mark_approved``) inside Wagtail's ``approve``."""
    comment = _clean(comment)
    with transaction.atomic():
        step = _lock_step(task_state, user)
        decision = _record(step, DecisionAction.APPROVE, user, comment)
        log(
            instance=step.footage_request,
            action=log_actions.STEP_APPROVED,
            user=user,
            data={"task": step.task_name, "decision_id": decision.pk},
        )
        if step.footage_request.public_status == lifecycle.PublicStatus.PENDING:
            apply_event(step.footage_request, lifecycle.Event.RECEIVED)
        step.task_state.approve(user=user, comment=comment)
        # Wagtail moved this workflow state object on: to the next level, or to approved.
        workflow_state = step.task_state.workflow_state
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            queue_for_task_group(footage_request=step.footage_request, task=workflow_state.current_task_state.task)
    return decision


def ask_for_information(*, task_state: TaskState, user, comment: str) -> Decision:
    """Sends the request back to the applicant; their answer resumes the workflow at the same level."""
    comment = _clean(comment)
    if not comment:
        raise ActionRefused(_("Say what the applicant must add or correct."))
    with transaction.atomic():
        step = _lock_step(task_state, user)
        decision = _record(step, DecisionAction.REQUEST_INFO, user, comment)
        step.task_state.reject(user=user, comment=comment)
        apply_event(step.footage_request, lifecycle.Event.MORE_INFO_REQUESTED, message=comment)
        queue_for_applicant(footage_request=step.footage_request, event=NotificationEvent.MORE_INFO)
        log(
            instance=step.footage_request,
            action=log_actions.INFORMATION_REQUESTED,
            user=user,
            data={"task": step.task_name, "decision_id": decision.pk},
        )
    return decision


def decline_request(*, task_state: TaskState, user, reason_id: int | str | None, comment: str) -> Decision:
    """Declines the request at this level, with one of the editors' reasons and a comment for the applicant."""
    comment = _clean(comment)
    reason = _active_reason(reason_id)
    if not comment or reason is None:
        raise ActionRefused(_("Choose a reason and write a comment to decline a request."))
    with transaction.atomic():
        step = _lock_step(task_state, user)
        decision = _record(step, DecisionAction.DECLINE, user, comment, reason=reason)
        step.task_state.reject(user=user, comment=comment, update=False)
        close_request(
            footage_request=step.footage_request,
            event=lifecycle.Event.DECLINED,
            user=user,
            message=f"{reason}: {comment}",
            notify=NotificationEvent.DECLINED,
        )
        log(
            instance=step.footage_request,
            action=log_actions.DECLINED,
            user=user,
            data={"task": step.task_name, "decision_id": decision.pk, "reason_id": reason.pk},
        )
    return decision


def cancel_by_staff(*, task_state: TaskState, user, comment: str) -> Decision:
    """Staff cancel at the level the request waits on, with a reason (e.g. the applicant withdrew by phone)."""
    comment = _clean(comment)
    if not comment:
        raise ActionRefused(_("Say why the request is cancelled."))
    with transaction.atomic():
        step = _lock_step(task_state, user)
        decision = _record(step, DecisionAction.CANCEL, user, comment)
        close_request(
            footage_request=step.footage_request,
            event=lifecycle.Event.CANCELLED_BY_STAFF,
            user=user,
            message=comment,
            notify=NotificationEvent.CANCELLED,
        )
        log(
            instance=step.footage_request,
            action=log_actions.CANCELLED_BY_STAFF,
            user=user,
            data={"task": step.task_name, "decision_id": decision.pk},
        )
    return decision


def mark_approved(*, workflow_state: WorkflowState, user=None) -> None:
    """The last approval makes the request approved (WAGTAIL_FINISH_WORKFLOW_ACTION, see finish.py).

    Wagtail calls it from ``WorkflowState.finish`` inside ``approve_step``, whose lock on the request is held
    already. Nothing is published, so no group needs publish rights on requests and nobody can go around the
    chain.
    """
    if workflow_state.status != WorkflowState.STATUS_APPROVED:
        raise ActionRefused(_("This request is not approved at every level."))
    footage_request = FootageRequest.objects.select_for_update().get(pk=int(workflow_state.object_id))
    if not lifecycle.is_allowed(lifecycle.Event.APPROVED, footage_request.public_status):
        raise ActionRefused(_("This request is closed already."))
    apply_event(footage_request, lifecycle.Event.APPROVED, message="")
    log(instance=footage_request, action=log_actions.REQUEST_APPROVED, user=user)
    queue_for_applicant(footage_request=footage_request, event=NotificationEvent.APPROVED)


def take_action(*, task_state: TaskState, user, action: str, data: dict) -> Decision:
    """Runs the named action with the action form's data (JSON from Wagtail's modal); an unknown name is
    refused. ``ApprovalTask.on_action`` calls this."""
    comment = data.get("comment", "")
    if action == DecisionAction.APPROVE:
        return approve_step(task_state=task_state, user=user, comment=comment)
    if action == DecisionAction.REQUEST_INFO:
        return ask_for_information(task_state=task_state, user=user, comment=comment)
    if action == DecisionAction.DECLINE:
        return decline_request(task_state=task_state, user=user, reason_id=data.get("reason"), comment=comment)
    if action == DecisionAction.CANCEL:
        return cancel_by_staff(task_state=task_state, user=user, comment=comment)
    raise ActionRefused(_("Unknown action."))
