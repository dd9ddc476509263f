from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FootageRequest, RequestType


@hooks.register("register_log_actions")
def register_request_log_actions(actions):
    actions.register_action("cctv.request.submit", _("Submit request"), _("Request submitted by the applicant"))
    actions.register_action(
        "cctv.request.cancel_by_applicant", _("Cancel request"), _("Request cancelled by the applicant")
    )


class RequestTypeViewSet(SnippetViewSet):
    model = RequestType
    icon = "tasks"
    menu_label = _("Request types")
    list_display = ["name_th", "kind", "workflow", "active"]


class FootageRequestViewSet(SnippetViewSet):
    model = FootageRequest
    icon = "doc-full-inverse"
    menu_label = _("Footage requests")
    add_to_admin_menu = True
    menu_order = 200
    list_display = ["reference", "request_type", "station", "public_status", "submitted_at"]
    list_filter = ["public_status", "station", "request_type"]
    search_fields = ["reference"]
    ordering = ["-submitted_at"]


register_snippet(RequestTypeViewSet)
register_snippet(FootageRequestViewSet)
