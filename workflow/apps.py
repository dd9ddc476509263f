from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Wagtail e-mails group members inside the approver's request, synchronously; the project notifies
# through Celery after commit instead (notifications are their own module).
WAGTAIL_EMAIL_HANDLERS = (
    ("task_submitted", "group_approval_task_submitted_email_notification"),
    ("workflow_submitted", "workflow_state_submitted_email_notification"),
    ("workflow_rejected", "workflow_state_rejected_email_notification"),
    ("workflow_approved", "workflow_state_approved_email_notification"),
)


class WorkflowConfig(AppConfig):
    name = "workflow"
    label = "cctv_workflow"
    verbose_name = _("Footage requests")

    def ready(self):
        from wagtail import signals
        from wagtail.models import TaskState, WorkflowState

        for signal_name, dispatch_uid in WAGTAIL_EMAIL_HANDLERS:
            sender = TaskState if signal_name == "task_submitted" else WorkflowState
            getattr(signals, signal_name).disconnect(sender=sender, dispatch_uid=dispatch_uid)

        from . import current_step, public_state

        current_step.connect()
        public_state.connect()
