"""Admin reports: the approver's work queue and the auditor's report."""

from datetime import timedelta

import django_filters
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from .models import ApprovalTask, FootageRequest
from .selectors import request_type_choices, station_choices


class QueueFilterSet(WagtailFilterSet):
    reference = django_filters.CharFilter(label=_("Reference"), lookup_expr="icontains")
    station = django_filters.ChoiceFilter(label=_("Station"), choices=station_choices)
    request_type = django_filters.ChoiceFilter(label=_("Purpose"), choices=request_type_choices)
    submitted_at = django_filters.DateFromToRangeFilter(label=_("Submitted"))

    class Meta:
        model = FootageRequest
        fields = ["reference", "station", "request_type", "public_status", "submitted_at"]


class OverdueColumn(Column):
    cell_template_name = "workflow/reports/overdue_cell.html"


def waiting_for(user):
    """Requests whose current step belongs to one of the user's groups (the step is kept on the request row)."""
    tasks = (
        ApprovalTask.objects.all() if user.is_superuser else ApprovalTask.objects.filter(groups__in=user.groups.all())
    )
    return (
        FootageRequest.objects.filter(current_task__in=tasks.values("pk"))
        .annotate(step_name=F("current_task__name"))
        .select_related("station", "request_type")
    )


class WorkQueueView(ReportView):
    page_title = _("Requests waiting for me")
    header_icon = "tasks"
    index_url_name = "cctv_work_queue"
    index_results_url_name = "cctv_work_queue_results"
    filterset_class = QueueFilterSet
    any_permission_required = ()
    paginate_by = 20
    columns = [
        TitleColumn(
            "reference",
            label=_("Reference"),
            url_name="wagtailsnippets_cctv_workflow_footagerequest:edit",
        ),
        Column("step_name", label=_("Step")),
        Column("request_type", label=_("Purpose")),
        Column("station", label=_("Station")),
        DateColumn("submitted_at", label=_("Submitted")),
        DateColumn("step_started_at", label=_("Waiting since")),
        OverdueColumn("is_overdue", label=_("Overdue")),
    ]
    list_export = ["reference", "step_name", "request_type", "station", "submitted_at", "step_started_at"]

    def user_has_permission(self, permission):
        return self.request.user.is_active and self.request.user.has_perm("wagtailadmin.access_admin")

    def get_queryset(self):
        return waiting_for(self.request.user).order_by("step_started_at", "submitted_at")

    def decorate_paginated_queryset(self, object_list):
        due = timezone.now() - timedelta(days=settings.CCTV_STEP_DUE_DAYS)
        for item in object_list:
            item.is_overdue = bool(item.step_started_at and item.step_started_at < due)
        return object_list
