"""Wagtail's views of a request's past — the change history, the comparison of two revisions (every field, the
applicant's contact details among them) and the workflow history with the approvers' comments — show personal data
as the edit view does, so each opening is access-logged like it (threat: unlogged reads, docs/security.md)."""

from wagtail.snippets.views.snippets import (
    HistoryView,
    PreviewRevisionView,
    RevisionsCompareView,
    WorkflowHistoryDetailView,
    WorkflowHistoryView,
)

from cctv.http import client_ip
from workflow.privacy.access import record_access
from workflow.privacy.models import AccessLog


class LogsAccessToPersonalData:
    """A GET answered with the page (not a refusal or a redirect) appends one access-log row."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            record_access(
                footage_request=self.object,
                user=request.user,
                what=AccessLog.What.PERSONAL_DATA,
                ip=client_ip(request),
            )
        return response


def access_logged(view_class: type) -> type:
    return type(f"AccessLogged{view_class.__name__}", (LogsAccessToPersonalData, view_class), {})


# The request's viewset uses these in place of Wagtail's own.
LoggedHistoryView = access_logged(HistoryView)
LoggedPreviewRevisionView = access_logged(PreviewRevisionView)
LoggedRevisionsCompareView = access_logged(RevisionsCompareView)
LoggedWorkflowHistoryView = access_logged(WorkflowHistoryView)
LoggedWorkflowHistoryDetailView = access_logged(WorkflowHistoryDetailView)
