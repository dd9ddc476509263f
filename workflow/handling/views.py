"""Staff screens for handling a request: one small form per action, linked from the request view, and the
head of the centre's report of actual against standard time."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from workflow.handling import forms as f
from workflow.handling.estimates import steps_of
from workflow.handling.models import Receipt
from workflow.handling.services import (
    decide_privacy,
    issue_receipt,
    offer_appointment,
    preserve_footage,
    record_copy,
    record_finding,
    record_no_footage,
    record_step,
)
from workflow.request.models import FootageRequest


def may_handle(user, footage_request) -> bool:
    return user.is_active and user.has_perm("cctv_workflow.handle_footage")


@dataclass(frozen=True)
class Action:
    title: Any
    form: type
    service: Callable[..., object]  # called as service(footage_request=..., user=..., **form.cleaned_data)
    done: Any


def issue_handover_receipt(*, footage_request, user, copies) -> Receipt:
    return issue_receipt(footage_request=footage_request, kind=Receipt.Kind.HANDOVER, copies=copies, user=user)


ACTIONS = {
    "step": Action(_("Record work on a step"), f.StepRecordForm, record_step, _("The work is recorded.")),
    "preserve": Action(_("Preserve footage"), f.PreserveForm, preserve_footage, _("The preserved clip is recorded.")),
    "no-footage": Action(
        _("No footage to give"),
        f.NoFootageForm,
        record_no_footage,
        _("The applicant is told that there is no footage."),
    ),
    "finding": Action(_("Record a review finding"), f.FindingForm, record_finding, _("The finding is recorded.")),
    "privacy": Action(_("Privacy decision"), f.PrivacyForm, decide_privacy, _("The privacy decision is recorded.")),
    "appointment": Action(
        _("Offer a time for viewing"),
        f.AppointmentForm,
        offer_appointment,
        _("The time is offered to the applicant."),
    ),
    "copy": Action(_("Record a copy handed over"), f.CopyForm, record_copy, _("The copy is recorded.")),
    "receipt": Action(
        _("Handover receipt"), f.ReceiptForm, issue_handover_receipt, _("The receipt is ready to print.")
    ),
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
            result = spec.service(footage_request=footage_request, user=request.user, **form.cleaned_data)
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
    from workflow.handling.receipts import render_pdf

    receipt = get_object_or_404(Receipt.objects.select_related("request"), pk=pk)
    if not may_handle(request.user, receipt.request):
        raise PermissionDenied
    response = HttpResponse(render_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.request.reference}-{receipt.kind}.pdf"'
    return response


def _as_date(value):
    return timezone.localtime(value).date() if hasattr(value, "date") and timezone.is_aware(value) else value


def steps_for(footage_request) -> list[dict]:
    """The request view's table: each step's standard for this request against the work recorded."""
    cameras = len(footage_request.cameras.all())
    records = list(footage_request.step_records.all())  # prefetched with camera and staff on the request view
    rows = []
    for step in steps_of(footage_request):
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
