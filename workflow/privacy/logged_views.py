"""Wagtail's views of a request's past — the change history, the comparison of two revisions (every field, the
applicant's contact details among them) and the workflow history with the approvers' comments — show personal data
as the edit view does, so each opening is access-logged like it (threat: unlogged reads, docs/security.md). Who
may read them is who may read the request itself (``user_may_see_request``: the supervising levels at any step),
not Wagtail's "change" right alone."""

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
from workflow.request.selectors import user_may_see_request

READING = ("GET", "HEAD")


class LogsAccessToPersonalData:
    """Opens for whoever may see the request; a GET answered with the page (not a refusal or a redirect) appends
    one access-log row."""

    def user_has_permission(self, permission):
        if permission == "change" and self.request.method in READING:
            return user_may_see_request(self.request.user, self.object)
        return super().user_has_permission(permission)

    def user_has_any_permission(self, permissions):
        if "change" in permissions and self.request.method in READING:
            return user_may_see_request(self.request.user, self.object) or super().user_has_any_permission(permissions)
        return super().user_has_any_permission(permissions)

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
