from wagtail.admin.panels import Panel


class RequestSummaryPanel(Panel):
    """Everything a decision needs on one screen, read-only: applicant, incident, files, earlier decisions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflow/panels/request_summary.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            from workflow.handling.risk import days_left, is_at_risk
            from workflow.handling.services import release_refusal
            from workflow.handling.views import ACTIONS, may_handle, steps_for
            from workflow.request.selectors import request_for_review

            footage_request = request_for_review(self.instance.pk)
            context.update(
                footage_request=footage_request,
                days_left=days_left(footage_request),
                at_risk=is_at_risk(footage_request, preserved=bool(footage_request.preservations.all())),
                steps=steps_for(footage_request),
                can_handle=may_handle(self.request.user, footage_request),
                actions=[(key, action.title) for key, action in ACTIONS.items()],
                release_refusal=release_refusal(footage_request, copies=True),
            )
            return context
