from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    label = "cctv_workflow"
    verbose_name = _("Footage requests")

    def ready(self):
        from workflow import receivers

        receivers.connect()
