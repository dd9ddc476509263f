from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from workflow.approval.models import RefusalReason
from workflow.approval.views import RequestCollectActionDataView, RequestEditView, RequestWorkflowActionView
from workflow.handling.models import LegalBasis, NoFootageReason, ServiceStep
from workflow.notifications.models import MessageTemplate
from workflow.panels import REQUEST_PANELS
from workflow.privacy import logged_views
from workflow.request.forms import RequestCorrectionForm
from workflow.request.listing import RequestFilterSet, RequestIndexView
from workflow.request.models import FootageRequest, RequestType
from workflow.request.selectors import user_may_read_any_request


class RequestListingView(RequestIndexView):
    """Each row opens the request for whoever may read any request (``user_may_read_any_request``: officers and
    the supervisors), not only for those with Wagtail's change permission."""

    @cached_property
    def may_read_any(self) -> bool:
        return user_may_read_any_request(self.request.user)

    def get_edit_url(self, instance):
        if self.may_read_any:
            return reverse(self.edit_url_name, args=(quote(instance.pk),))
        return super().get_edit_url(instance)


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
    index_view_class = RequestListingView
    # Where approvers decide: narrowed to the step they saw, and Wagtail's own workflow moves refused.
    edit_view_class = RequestEditView
    edit_template_name = "workflow/approval/edit.html"
    workflow_action_view_class = RequestWorkflowActionView
    collect_workflow_action_data_view_class = RequestCollectActionDataView
    # The request's past shows its personal data too: each opening is access-logged like the edit view.
    history_view_class = logged_views.LoggedHistoryView
    revisions_view_class = logged_views.LoggedPreviewRevisionView
    revisions_compare_view_class = logged_views.LoggedRevisionsCompareView
    workflow_history_view_class = logged_views.LoggedWorkflowHistoryView
    workflow_history_detail_view_class = logged_views.LoggedWorkflowHistoryDetailView

    def get_queryset(self, request):
        # The listing shows each row's purpose and station: one join instead of two queries per row.
        return FootageRequest.objects.select_related("request_type", "station")


class EditableListViewSet(SnippetViewSet):
    """A short list editors keep (``workflow.editable_lists.EditableListItem``): each lists the same columns."""

    list_display = ["text_th", "active", "sort_order"]


class RefusalReasonViewSet(EditableListViewSet):
    model = RefusalReason
    icon = "warning"
    menu_label = _("Refusal reasons")


class MessageTemplateViewSet(SnippetViewSet):
    model = MessageTemplate
    icon = "mail"
    menu_label = _("Message templates")
    list_display = ["event", "channel", "subject"]
    # MessageTemplate.clean refuses any other placeholder, with the allowed ones in the error.
    panels = [
        FieldPanel("event"),
        FieldPanel("channel"),
        FieldPanel("subject", help_text=_("E-mail only; placeholders as in the text.")),
        FieldPanel(
            "body",
            help_text=_(
                "Placeholders: {reference} {status} {status_url} {message} {organisation} {contact_phone} "
                "{overwritten_on}; in messages to staff also {step} {admin_url}; in the message offering viewing times "
                "also {times}. Write {{ or }} for a brace on its own."
            ),
        ),
    ]


class ServiceStepViewSet(SnippetViewSet):
    model = ServiceStep
    icon = "time"
    menu_label = _("Service steps")
    list_display = ["name_th", "standard_minutes", "unit", "copies_only", "active"]


class NoFootageReasonViewSet(EditableListViewSet):
    model = NoFootageReason
    icon = "warning"
    menu_label = _("No-footage reasons")


class LegalBasisViewSet(EditableListViewSet):
    model = LegalBasis
    icon = "doc-full"
    menu_label = _("Legal bases")
