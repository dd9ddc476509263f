from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import handling_views, services, views
from .admin_views import RequestFilterSet, RequestIndexView
from .forms import RequestCorrectionForm
from .models import (
    AccessLog,
    FootageRequest,
    LegalBasis,
    MessageTemplate,
    NoFootageReason,
    RefusalReason,
    RequestType,
    ServiceStep,
)
from .reports import WorkQueueView

# Wagtail labels the last approval "... and Publish"; requests are never published, so the project's
# catalogues word it as the final step instead (locale/th and locale/en).
FINAL_APPROVAL_LABEL = gettext_noop("%(label)s and Publish")

LOG_ACTIONS = (
    ("cctv.request.submit", _("Submit request"), _("Request submitted by the applicant")),
    ("cctv.request.cancel_by_applicant", _("Cancel request"), _("Request cancelled by the applicant")),
    ("cctv.request.cancel_by_staff", _("Cancel request"), _("Request cancelled by staff")),
    ("cctv.request.approve", _("Approve"), _("Step approved")),
    ("cctv.request.request_info", _("Request more information"), _("More information asked of the applicant")),
    ("cctv.request.decline", _("Decline"), _("Request declined")),
    ("cctv.request.resubmit", _("Resubmit"), _("Applicant sent the information asked for")),
    ("cctv.request.approved", _("Approved"), _("Request approved at the last step")),
    ("cctv.request.correct", _("Correct personal data"), _("Staff corrected the applicant's details")),
    ("cctv.request.export", _("Export personal data"), _("The applicant's data was exported (PDPA access)")),
    ("cctv.request.erase", _("Erase personal data"), _("The applicant's data was erased (PDPA erasure)")),
    ("cctv.request.step", _("Record work"), _("Work on a step recorded")),
    ("cctv.request.preserve", _("Preserve footage"), _("Footage exported and locked")),
    ("cctv.request.no_footage", _("No footage"), _("No footage to give recorded")),
    ("cctv.request.finding", _("Review finding"), _("Review finding recorded")),
    ("cctv.request.privacy", _("Privacy decision"), _("Privacy decision recorded")),
    ("cctv.request.appointment", _("Offer appointment"), _("A time for viewing offered")),
    ("cctv.request.appointment_chosen", _("Appointment chosen"), _("The applicant chose a time for viewing")),
    ("cctv.request.copy", _("Copy handed over"), _("A copy of footage recorded as handed over")),
    ("cctv.request.receipt", _("Receipt"), _("A receipt issued")),
)


@hooks.register("register_log_actions")
def register_request_log_actions(actions):
    for code, label, message in LOG_ACTIONS:
        actions.register_action(code, label, message)


class RequestTypeViewSet(SnippetViewSet):
    model = RequestType
    icon = "tasks"
    menu_label = _("Request types")
    list_display = ["name_th", "kind", "workflow", "active"]


class FootageRequestViewSet(SnippetViewSet):
    model = FootageRequest
    edit_handler = ObjectList(FootageRequest.panels, base_form_class=RequestCorrectionForm)
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


register_snippet(ServiceStepViewSet)
register_snippet(NoFootageReasonViewSet)
register_snippet(LegalBasisViewSet)
register_snippet(RequestTypeViewSet)
register_snippet(MessageTemplateViewSet)
register_snippet(RefusalReasonViewSet)
register_snippet(FootageRequestViewSet)


@hooks.register("register_admin_urls")
def register_cctv_admin_urls():
    return [
        path("cctv/attachments/<int:pk>/", views.attachment_file, name="cctv_attachment_file"),
        path("cctv/signatures/<int:pk>/", views.signature_file, name="cctv_signature_file"),
        path("cctv/queue/", WorkQueueView.as_view(), name="cctv_work_queue"),
        path("cctv/queue/results/", WorkQueueView.as_view(results_only=True), name="cctv_work_queue_results"),
        path("cctv/audit/", views.audit_report, name="cctv_audit_report"),
        path("cctv/data-subject/", views.data_subject_requests, name="cctv_data_subject"),
        path("cctv/requests/<int:pk>/<slug:action>/", handling_views.request_action, name="cctv_request_action"),
        path("cctv/receipts/<int:pk>.pdf", handling_views.receipt_pdf, name="cctv_receipt_pdf"),
        path("cctv/standard/", handling_views.StandardReportView.as_view(), name="cctv_standard_report"),
        path(
            "cctv/standard/results/",
            handling_views.StandardReportView.as_view(results_only=True),
            name="cctv_standard_report_results",
        ),
    ]


class StandardReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cctv_workflow.view_service_report")


@hooks.register("register_reports_menu_item")
def register_standard_report_menu_item():
    return StandardReportMenuItem(
        _("Time against standard"), reverse("cctv_standard_report"), icon_name="time", order=910
    )


class AuditReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cctv_workflow.view_audit_report")


class DataSubjectMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cctv_workflow.handle_data_subject_requests")


@hooks.register("register_admin_menu_item")
def register_data_subject_menu_item():
    return DataSubjectMenuItem(_("PDPA requests"), reverse("cctv_data_subject"), icon_name="user", order=950)


@hooks.register("register_reports_menu_item")
def register_audit_report_menu_item():
    return AuditReportMenuItem(_("Audit trail"), reverse("cctv_audit_report"), icon_name="list-ul", order=900)


@hooks.register("register_admin_menu_item")
def register_work_queue_menu_item():
    return MenuItem(_("Waiting for me"), reverse("cctv_work_queue"), icon_name="tasks", order=100)


@hooks.register("before_edit_snippet")
def log_access_to_personal_data(request, instance):
    """Opening a request in the admin shows its personal data: record who looked."""
    if isinstance(instance, FootageRequest) and request.method == "GET":
        services.record_access(
            footage_request=instance,
            user=request.user,
            what=AccessLog.What.PERSONAL_DATA,
            ip=views.client_ip(request),
        )


@hooks.register("construct_snippet_action_menu")
def remove_plain_workflow_cancel(menu_items, request, context):
    """Wagtail's "Cancel workflow" would end the workflow without a reason or a status for the applicant;
    requests are cancelled with the task's own "Cancel request" action instead."""
    if context.get("model") is FootageRequest:
        menu_items[:] = [item for item in menu_items if item.name != "action-cancel-workflow"]


@hooks.register("after_edit_snippet")
def log_correction(request, instance):
    """The editor's correction reason (required by the form when details change) goes to the audit log."""
    correction = getattr(instance, "_correction", None)
    if isinstance(instance, FootageRequest) and correction and correction["fields"]:
        log(instance=instance, action="cctv.request.correct", user=request.user, data=correction)
