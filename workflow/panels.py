from wagtail.admin.panels import Panel


class RequestSummaryPanel(Panel):
    """Everything a decision needs on one screen, read-only: applicant, incident, files, earlier decisions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflow/panels/request_summary.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            from .selectors import request_for_review

            context["footage_request"] = request_for_review(self.instance.pk)
            return context
