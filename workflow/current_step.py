"""The step each request waits at, kept on the request row.

Wagtail keeps it in WorkflowState/TaskState, keyed by a text object id: finding "the requests waiting for
my group" there means joining a cast over every workflow ever run (4.7 s at a million requests). The
signals below copy the current task and when it started onto the request (one UPDATE per step), and
clear them when the workflow leaves progress (approved, sent back for information, cancelled).
"""

from django.contrib.contenttypes.models import ContentType
from wagtail import signals

from .models import FootageRequest


def _request_pk(workflow_state) -> int | None:
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(FootageRequest).pk:
        return None
    return int(workflow_state.object_id)


def _task_started(sender, instance, **kwargs):
    pk = _request_pk(instance.workflow_state)
    if pk is not None:
        FootageRequest.objects.filter(pk=pk).update(
            current_task_id=instance.task_id, step_started_at=instance.started_at
        )


def _workflow_left_progress(sender, instance, **kwargs):
    pk = _request_pk(instance)
    if pk is not None:
        FootageRequest.objects.filter(pk=pk).update(current_task=None, step_started_at=None)


def connect() -> None:
    signals.task_submitted.connect(_task_started, dispatch_uid="cctv-current-step-task-submitted")
    for name in ("workflow_approved", "workflow_rejected", "workflow_cancelled"):
        getattr(signals, name).connect(_workflow_left_progress, dispatch_uid=f"cctv-current-step-{name}")
