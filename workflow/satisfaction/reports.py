"""The satisfaction report: per month and request type, how many rated, the average and each score's count,
with Wagtail's CSV and Excel export. For staff with the service report right (the head of the centre, auditors)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from cctv.thai.dates import format_be_month
from workflow.satisfaction.models import DISSATISFIED_AT_MOST, SCORES, SatisfactionRating

SCORE_COLUMNS = [f"score_{score}" for score, _label in SCORES]


class SatisfactionReportView(ReportView):
    page_title = _("Satisfaction")
    header_icon = "pick"
    index_url_name = "cctv_satisfaction_report"
    index_results_url_name = "cctv_satisfaction_report_results"
    any_permission_required = ()
    paginate_by = 50
    export_filename = "satisfaction"
    columns = [
        Column("month_label", label=_("Month")),
        Column("request_type_name", label=_("Request type")),
        Column("ratings", label=_("Ratings")),
        Column("average", label=_("Average (1 to 5)")),
        *(
            Column(name, label=format_lazy("{} · {}", score, label))
            for name, (score, label) in zip(SCORE_COLUMNS, SCORES, strict=True)
        ),
        Column("dissatisfied", label=_("Dissatisfied (1 or 2)")),
    ]
    list_export = ["month_label", "request_type_name", "ratings", "average", *SCORE_COLUMNS, "dissatisfied"]

    @property
    def export_headings(self):
        return {column.name: column.label for column in self.columns}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cctv_workflow.view_service_report"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (
            SatisfactionRating.objects.annotate(month=TruncMonth("created_at"))
            .values("month", "request_type_id", "request_type__name_th", "request_type__sort_order")
            .annotate(
                ratings=Count("pk"),
                average=Avg("score"),
                dissatisfied=Count("pk", filter=Q(score__lte=DISSATISFIED_AT_MOST)),
                **{
                    name: Count("pk", filter=Q(score=score))
                    for name, (score, _label) in zip(SCORE_COLUMNS, SCORES, strict=True)
                },
            )
            .order_by("-month", "request_type__sort_order", "request_type_id")
        )

    def decorate_paginated_queryset(self, object_list):
        for row in object_list:
            row.update(
                month_label=format_be_month(row["month"]),
                request_type_name=row["request_type__name_th"],
                average=round(row["average"], 2),
            )
        return object_list
