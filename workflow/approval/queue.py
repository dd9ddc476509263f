"""Admin reports: the approver's work queue and the auditor's report."""

from datetime import timedelta

import django_filters
from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from cctv.organisations.membership import organisation_ids_of, serves_many
from workflow.approval.models import ApprovalTask
from workflow.handling.models import FootagePreservation
from workflow.handling.risk import is_at_risk
from workflow.request.models import FootageRequest
from workflow.request.selectors import request_type_choices, station_choices


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


class FootageColumn(Column):
    cell_template_name = "workflow/reports/footage_cell.html"


def waiting_for(user):
    """Requests whose current step belongs to one of the user's groups (the step is kept on the request row)."""
    tasks = (
        ApprovalTask.objects.all() if user.is_superuser else ApprovalTask.objects.filter(groups__in=user.groups.all())
    )
    if not user.is_superuser and serves_many():
        # The steps of the user's own organisations only: the groups are shared by all of them (ADR 0019), and
        # a hundred organisations' steps made the database walk every request waiting anywhere.
        tasks = tasks.filter(organisation_id__in=organisation_ids_of(user))
    return (
        FootageRequest.objects.filter(current_task__in=tasks.values("pk"))
        .annotate(
            step_name=F("current_task__name"),
            is_preserved=Exists(FootagePreservation.objects.filter(request=OuterRef("pk"))),
        )
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
        FootageColumn("footage_overwritten_on", label=_("Footage overwritten on")),
        OverdueColumn("is_overdue", label=_("Overdue")),
    ]
    list_export = [
        "reference",
        "step_name",
        "request_type",
        "station",
        "submitted_at",
        "step_started_at",
        "footage_overwritten_on",
    ]

    def user_has_permission(self, permission):
        return self.request.user.is_active and self.request.user.has_perm("wagtailadmin.access_admin")

    def get_queryset(self):
        # Footage the recorder overwrites first comes first: a slow queue must not lose the evidence.
        return waiting_for(self.request.user).order_by(
            F("footage_overwritten_on").asc(nulls_last=True), "step_started_at", "submitted_at"
        )

    def decorate_paginated_queryset(self, object_list):
        due = timezone.now() - timedelta(days=settings.CCTV_STEP_DUE_DAYS)
        today = timezone.localdate()
        for item in object_list:
            item.is_overdue = bool(item.step_started_at and item.step_started_at < due)
            item.footage_at_risk = is_at_risk(item, preserved=item.is_preserved, today=today)
        return object_list
