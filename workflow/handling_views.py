"""Staff screens for handling a request: one small form per action, linked from the request view, and the
head of the centre's report of actual against standard time."""

from dataclasses import dataclass
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, F, Sum
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from . import handling_forms as f
from . import handling_services as hs
from .handling import Receipt, StepRecord
from .models import FootageRequest


def may_handle(user, footage_request) -> bool:
    return user.is_active and user.has_perm("cctv_workflow.handle_footage")


@dataclass(frozen=True)
class Action:
    title: Any
    form: type
    run: Any  # (footage_request, user, cleaned_data) -> object
    done: Any


def _receipt(r, u, d):
    return hs.issue_receipt(footage_request=r, kind=Receipt.Kind.HANDOVER, copies=d["copies"], user=u)


ACTIONS = {
    "step": Action(
        _("Record work on a step"),
        f.StepRecordForm,
        lambda r, u, d: hs.record_step(footage_request=r, user=u, **d),
        _("The work is recorded."),
    ),
    "preserve": Action(
        _("Preserve footage"),
        f.PreserveForm,
        lambda r, u, d: hs.preserve_footage(footage_request=r, user=u, **d),
        _("The preserved clip is recorded."),
    ),
    "no-footage": Action(
        _("No footage to give"),
        f.NoFootageForm,
        lambda r, u, d: hs.record_no_footage(footage_request=r, user=u, **d),
        _("The applicant is told that there is no footage."),
    ),
    "finding": Action(
        _("Record a review finding"),
        f.FindingForm,
        lambda r, u, d: hs.record_finding(footage_request=r, user=u, **d),
        _("The finding is recorded."),
    ),
    "privacy": Action(
        _("Privacy decision"),
        f.PrivacyForm,
        lambda r, u, d: hs.decide_privacy(footage_request=r, user=u, **d),
        _("The privacy decision is recorded."),
    ),
    "appointment": Action(
        _("Offer a time for viewing"),
        f.AppointmentForm,
        lambda r, u, d: hs.offer_appointment(footage_request=r, user=u, **d),
        _("The time is offered to the applicant."),
    ),
    "copy": Action(
        _("Record a copy handed over"),
        f.CopyForm,
        lambda r, u, d: hs.record_copy(footage_request=r, user=u, **d),
        _("The copy is recorded."),
    ),
    "receipt": Action(_("Handover receipt"), f.ReceiptForm, _receipt, _("The receipt is ready to print.")),
}


def request_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    footage_request = get_object_or_404(FootageRequest.objects.select_related("station", "request_type"), pk=pk)
    if spec is None or not may_handle(request.user, footage_request):
        raise PermissionDenied
    edit_url = reverse("wagtailsnippets_cctv_workflow_footagerequest:edit", args=[pk])
    form = spec.form(request.POST or None, request.FILES or None, footage_request=footage_request)
    if request.method == "POST" and form.is_valid():
        try:
            result = spec.run(footage_request, request.user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, spec.done)
            if isinstance(result, Receipt):
                return redirect("cctv_receipt_pdf", pk=result.pk)
            return redirect(edit_url)
    return TemplateResponse(
        request,
        "workflow/handling/action.html",
        {"form": form, "title": spec.title, "footage_request": footage_request, "edit_url": edit_url},
        status=400 if form.errors else 200,
    )


def receipt_pdf(request, pk: int):
    from .receipts import render_pdf

    receipt = get_object_or_404(Receipt.objects.select_related("request"), pk=pk)
    if not may_handle(request.user, receipt.request):
        raise PermissionDenied
    response = HttpResponse(render_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.request.reference}-{receipt.kind}.pdf"'
    return response


# ---- Actual against standard ------------------------------------------------------------------------


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
            StepRecord.objects.annotate(month=TruncMonth("started_at"))
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
        from forms.thai_dates import format_be_date

        # The table reads the page's own rows: add the derived columns to them.
        for row in object_list:
            duration = row["average_duration"]
            average = duration.total_seconds() / 60 if duration is not None else None
            standard = row["step__standard_minutes"]
            names = (row["staff__first_name"], row["staff__last_name"])
            row.update(
                month_label=format_be_date(_as_date(row["month"]), "long").split(" ", 1)[1],
                step_name=row["step__name_th"],
                staff_name=" ".join(filter(None, names)) or row["staff__username"] or "—",
                standard=standard,
                average=average,
                ratio=(average / standard) if average is not None and standard else None,
            )
        return object_list


def _as_date(value):
    return timezone.localtime(value).date() if hasattr(value, "date") and timezone.is_aware(value) else value


def steps_for(footage_request) -> list[dict]:
    """The request view's table: each step's standard for this request against the work recorded."""
    cameras = len(footage_request.cameras.all())
    records = list(footage_request.step_records.all())  # prefetched with camera and staff on the request view
    rows = []
    for step in hs.steps_of(footage_request):
        mine = [record for record in records if record.step_id == step.pk]
        rows.append(
            {
                "step": step,
                "standard": step.standard_for(cameras=cameras, files=footage_request.file_count or 0),
                "records": mine,
                "actual": round(sum(record.minutes for record in mine), 1) if mine else None,
            }
        )
    return rows
