from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet

from cctv import admin_audit
from cctv.http import client_ip
from workflow import log_actions
from workflow.approval.queue import WorkQueueView
from workflow.approval.views import WAGTAIL_WORKFLOW_MOVES
from workflow.handling.reports import StandardReportView
from workflow.handling.views import receipt_pdf, request_action
from workflow.privacy.access import record_access
from workflow.privacy.file_views import attachment_file, signature_file
from workflow.privacy.message_viewset import MessageViewSet
from workflow.privacy.models import AccessLog
from workflow.privacy.views import audit_report, data_subject_requests
from workflow.request.models import FootageRequest
from workflow.satisfaction.reports import SatisfactionReportView
from workflow.viewsets import (
    FootageRequestViewSet,
    LegalBasisViewSet,
    MessageTemplateViewSet,
    NoFootageReasonViewSet,
    RefusalReasonViewSet,
    RequestTypeViewSet,
    ServiceStepViewSet,
)

# Wagtail labels the last approval "... and Publish"; requests are never published, so the project's
# catalogues word it as the final step instead (locale/th and locale/en).
FINAL_APPROVAL_LABEL = gettext_noop("%(label)s and Publish")


@hooks.register("register_log_actions")
def register_request_log_actions(actions):
    for code, label, message in log_actions.LOG_ACTIONS:
        actions.register_action(code, label, message)


register_snippet(ServiceStepViewSet)

register_snippet(NoFootageReasonViewSet)

register_snippet(LegalBasisViewSet)

register_snippet(RequestTypeViewSet)

register_snippet(MessageTemplateViewSet)

register_snippet(RefusalReasonViewSet)

register_snippet(FootageRequestViewSet)


@hooks.register("register_admin_viewset")
def register_message_viewset():
    return MessageViewSet("messages")


@hooks.register("register_admin_urls")
def register_cctv_admin_urls():
    return [
        path("cctv/attachments/<int:pk>/", attachment_file, name="cctv_attachment_file"),
        path("cctv/signatures/<int:pk>/", signature_file, name="cctv_signature_file"),
        path("cctv/queue/", WorkQueueView.as_view(), name="cctv_work_queue"),
        path("cctv/queue/results/", WorkQueueView.as_view(results_only=True), name="cctv_work_queue_results"),
        path("cctv/audit/", audit_report, name="cctv_audit_report"),
        path("cctv/data-subject/", data_subject_requests, name="cctv_data_subject"),
        path("cctv/requests/<int:pk>/<slug:action>/", request_action, name="cctv_request_action"),
        path("cctv/receipts/<int:pk>.pdf", receipt_pdf, name="cctv_receipt_pdf"),
        path("cctv/standard/", StandardReportView.as_view(), name="cctv_standard_report"),
        path(
            "cctv/standard/results/",
            StandardReportView.as_view(results_only=True),
            name="cctv_standard_report_results",
        ),
        path("cctv/satisfaction/", SatisfactionReportView.as_view(), name="cctv_satisfaction_report"),
        path(
            "cctv/satisfaction/results/",
            SatisfactionReportView.as_view(results_only=True),
            name="cctv_satisfaction_report_results",
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


@hooks.register("register_reports_menu_item")
def register_satisfaction_report_menu_item():
    return StandardReportMenuItem(_("Satisfaction"), reverse("cctv_satisfaction_report"), icon_name="pick", order=915)


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
        record_access(
            footage_request=instance,
            user=request.user,
            what=AccessLog.What.PERSONAL_DATA,
            ip=client_ip(request),
        )


@hooks.register("construct_snippet_action_menu")
def remove_plain_workflow_moves(menu_items, request, context):
    """Wagtail's own "Cancel workflow", "Restart workflow", "Submit"/"Resubmit" and "Publish" would move the
    workflow without a reason or a status for the applicant; the task's own actions do that instead. The edit
    view refuses these posts as well (workflow/approval/views.py): hiding them is only for the eye."""
    if context.get("model") is FootageRequest and context.get("view") == "edit":
        hidden = {f"action-{move}" for move in WAGTAIL_WORKFLOW_MOVES}
        menu_items[:] = [item for item in menu_items if item.name not in hidden]


@hooks.register("after_edit_snippet")
def log_correction(request, instance):
    """The editor's correction reason (required by the form when details change) goes to the audit log."""
    correction = getattr(instance, "_correction", None)
    if isinstance(instance, FootageRequest) and correction and correction["fields"]:
        log(instance=instance, action=log_actions.CORRECTED, user=request.user, data=correction)


@hooks.register("register_log_actions")
def register_access_log_actions(actions):
    for code, formatter in admin_audit.formatters():
        actions.register_action(code)(formatter)


@hooks.register("before_create_user")
def only_superusers_make_superusers(request):
    """Wagtail lets anyone with the change-user right tick "Administrator" (superuser) on an account: that
    would be every right at once, around the roles. The refusal is the admin's own (back to the dashboard)."""
    if request.method == "POST" and request.POST.get("is_superuser") and not request.user.is_superuser:
        raise PermissionDenied


@hooks.register("before_edit_user")
def only_superusers_change_superusers(request, user):
    """A superuser's account (password, e-mail) is a superuser's business; so is the superuser flag."""
    if request.user.is_superuser:
        return
    if user.is_superuser or (request.method == "POST" and request.POST.get("is_superuser")):
        raise PermissionDenied
