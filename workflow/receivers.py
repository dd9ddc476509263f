"""Every signal receiver of the app, in one place; ``apps.WorkflowConfig.ready`` calls ``connect()``.

Receivers only integrate with Wagtail and the cache; business rules stay in the services.
- Wagtail e-mails group members synchronously inside the approver's request; the project notifies through its
  outbox after commit instead, so Wagtail's handlers are disconnected.
- The current step is copied onto the request row (ADR 0007): finding "the requests waiting for my group" in
  Wagtail's tables means joining a cast over every workflow ever run (4.7 s at a million requests).
- The status page's cached state is forgotten whenever the request row is saved or deleted.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from wagtail import signals
from wagtail.models import TaskState, WorkflowState

from workflow.request import public_state
from workflow.request.models import FootageRequest

WAGTAIL_EMAIL_HANDLERS = (
    ("task_submitted", "group_approval_task_submitted_email_notification"),
    ("workflow_submitted", "workflow_state_submitted_email_notification"),
    ("workflow_rejected", "workflow_state_rejected_email_notification"),
    ("workflow_approved", "workflow_state_approved_email_notification"),
)


def _request_pk(workflow_state) -> int | None:
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(FootageRequest).pk:
        return None
    return int(workflow_state.object_id)


def copy_current_step(sender, instance, **kwargs):
    pk = _request_pk(instance.workflow_state)
    if pk is not None:
        FootageRequest.objects.filter(pk=pk).update(
            current_task_id=instance.task_id, step_started_at=instance.started_at
        )


def clear_current_step(sender, instance, **kwargs):
    pk = _request_pk(instance)
    if pk is not None:
        FootageRequest.objects.filter(pk=pk).update(current_task=None, step_started_at=None)


def forget_public_state(sender, instance, **kwargs):
    public_state.forget(instance.token)


def connect() -> None:
    for signal_name, dispatch_uid in WAGTAIL_EMAIL_HANDLERS:
        sender = TaskState if signal_name == "task_submitted" else WorkflowState
        getattr(signals, signal_name).disconnect(sender=sender, dispatch_uid=dispatch_uid)

    signals.task_submitted.connect(copy_current_step, dispatch_uid="cctv-current-step-task-submitted")
    for name in ("workflow_approved", "workflow_rejected", "workflow_cancelled"):
        getattr(signals, name).connect(clear_current_step, dispatch_uid=f"cctv-current-step-{name}")

    post_save.connect(forget_public_state, sender=FootageRequest, dispatch_uid="cctv-public-state-save")
    post_delete.connect(forget_public_state, sender=FootageRequest, dispatch_uid="cctv-public-state-delete")
