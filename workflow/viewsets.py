from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from workflow.approval.models import RefusalReason
from workflow.handling.models import LegalBasis, NoFootageReason, ServiceStep
from workflow.notifications.models import MessageTemplate
from workflow.panels import REQUEST_PANELS
from workflow.request.forms import RequestCorrectionForm
from workflow.request.listing import RequestFilterSet, RequestIndexView
from workflow.request.models import FootageRequest, RequestType


class RequestTypeViewSet(SnippetViewSet):
    model = RequestType
    icon = "tasks"
    menu_label = _("Request types")
    list_display = ["name_th", "kind", "workflow", "active"]


class FootageRequestViewSet(SnippetViewSet):
    model = FootageRequest
    edit_handler = ObjectList(REQUEST_PANELS, base_form_class=RequestCorrectionForm)
    icon = "doc-full-inverse"
    menu_label = _("Footage requests")
    add_to_admin_menu = True
    menu_order = 200
    list_display = ["reference", "request_type", "station", "public_status", "submitted_at"]
    filterset_class = RequestFilterSet
    search_fields = ["reference", "phone"]
    ordering = ["-submitted_at"]
    index_view_class = RequestIndexView

    def get_queryset(self, request):
        # The listing shows each row's purpose and station: one join instead of two queries per row.
        return FootageRequest.objects.select_related("request_type", "station")


class RefusalReasonViewSet(SnippetViewSet):
    model = RefusalReason
    icon = "warning"
    menu_label = _("Refusal reasons")
    list_display = ["text_th", "active", "sort_order"]


class MessageTemplateViewSet(SnippetViewSet):
    model = MessageTemplate
    icon = "mail"
    menu_label = _("Message templates")
    list_display = ["event", "channel", "subject"]


class ServiceStepViewSet(SnippetViewSet):
    model = ServiceStep
    icon = "time"
    menu_label = _("Service steps")
    list_display = ["name_th", "standard_minutes", "unit", "copies_only", "active"]


class NoFootageReasonViewSet(SnippetViewSet):
    model = NoFootageReason
    icon = "warning"
    menu_label = _("No-footage reasons")
    list_display = ["text_th", "active", "sort_order"]


class LegalBasisViewSet(SnippetViewSet):
    model = LegalBasis
    icon = "doc-full"
    menu_label = _("Legal bases")
    list_display = ["text_th", "active", "sort_order"]
