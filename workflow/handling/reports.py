import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from workflow.handling.models import StepRecord


class StandardFilterSet(WagtailFilterSet):
    started_at = django_filters.DateFromToRangeFilter(label=_("Period"))

    class Meta:
        model = StepRecord
        fields = ["step", "staff", "started_at"]


class MinutesColumn(Column):
    def get_value(self, instance):
        value = super().get_value(instance)
        return "" if value is None else round(value, 1)


class StandardReportView(ReportView):
    """Per step, month and staff member: how long the work took on average against the manual's standard."""

    page_title = _("Time against standard")
    header_icon = "time"
    index_url_name = "cctv_standard_report"
    index_results_url_name = "cctv_standard_report_results"
    filterset_class = StandardFilterSet
    any_permission_required = ()
    paginate_by = 50
    columns = [
        Column("month", label=_("Month"), accessor="month_label"),
        Column("step_name", label=_("Step")),
        Column("staff_name", label=_("Staff")),
        Column("records", label=_("Records")),
        MinutesColumn("standard", label=_("Standard (min)")),
        MinutesColumn("average", label=_("Average (min)")),
        MinutesColumn("ratio", label=_("Actual ÷ standard")),
    ]
    list_export = ["month_label", "step_name", "staff_name", "records", "standard", "average", "ratio"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cctv_workflow.view_service_report"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        duration = F("ended_at") - F("started_at")
        return (
            StepRecord.objects.filter(ended_at__isnull=False)  # work still under way has no duration yet
            .annotate(month=TruncMonth("started_at"))
            .values(
                "month",
                "step_id",
                "step__name_th",
                "step__standard_minutes",
                "staff__username",
                "staff__first_name",
                "staff__last_name",
            )
            .annotate(records=Count("pk"), total=Sum(duration), average_duration=Avg(duration))
            .order_by("-month", "step__sort_order", "staff__username")
        )

    def decorate_paginated_queryset(self, object_list):
        from cctv.thai.dates import format_be_month

        # The table reads the page's own rows: add the derived columns to them.
        for row in object_list:
            duration = row["average_duration"]
            average = duration.total_seconds() / 60 if duration is not None else None
            standard = row["step__standard_minutes"]
            names = (row["staff__first_name"], row["staff__last_name"])
            row.update(
                month_label=format_be_month(row["month"]),
                step_name=row["step__name_th"],
                staff_name=" ".join(filter(None, names)) or row["staff__username"] or "—",
                standard=standard,
                average=average,
                ratio=(average / standard) if average is not None and standard else None,
            )
        return object_list
