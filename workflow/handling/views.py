"""Staff actions on a request after it is submitted: one form and one service per action, drawn together on the
request page's handling panel (workflow/handling/panel.py) and posted here; and the steps table's rows."""

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
from workflow.handling import panel_state
from workflow.handling.estimates import steps_of
from workflow.handling.models import Receipt
from workflow.handling.services import (
    decide_privacy,
    issue_receipt,
    offer_appointments,
    preserve_footage,
    record_copy,
    record_finding,
    record_no_footage,
    record_step,
    start_step,
    stop_step,
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
    "start": Action(_("Start work on a step"), f.StartStepForm, start_step, _("The work has started.")),
    "stop": Action(_("Stop work on a step"), f.StopStepForm, stop_step, _("The work is recorded.")),
    "step": Action(
        _("Record work done earlier (times typed)"), f.StepRecordForm, record_step, _("The work is recorded.")
    ),
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
        _("Offer times for viewing"),
        f.AppointmentForm,
        offer_appointments,
        _("The times are offered to the applicant in one message."),
    ),
    "copy": Action(_("Record a copy handed over"), f.CopyForm, record_copy, _("The copy is recorded.")),
    "receipt": Action(
        _("Handover receipt"), f.ReceiptForm, issue_handover_receipt, _("The receipt is ready to print.")
    ),
}


def add_service_error(form, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has that field, else above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def request_action(request, pk: int, action: str):
    """One handling action. Posted from the request page's panel, it returns there (at the form's place) with the
    outcome; on its own page (linked for a plain view of one form) it answers as before."""
    spec = ACTIONS.get(action)
    footage_request = get_object_or_404(FootageRequest.objects.select_related("station", "request_type"), pk=pk)
    if spec is None or not may_handle(request.user, footage_request):
        raise PermissionDenied
    edit_url = reverse("wagtailsnippets_cctv_workflow_footagerequest:edit", args=[pk])
    slot = panel_state.slot_of(request) if request.method == "POST" else None
    form = spec.form(request.POST or None, request.FILES or None, footage_request=footage_request)
    if request.method == "POST" and form.is_valid():
        try:
            result = spec.service(footage_request=footage_request, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if slot:
                panel_state.remember_done(request, pk=pk, slot=slot, action=action, message=spec.done)
                return redirect(panel_state.panel_url(pk, slot))
            messages.success(request, spec.done)
            if isinstance(result, Receipt):
                return redirect("cctv_receipt_pdf", pk=result.pk)
            return redirect(edit_url)
    if slot:
        panel_state.remember_failed(request, pk=pk, slot=slot, action=action, form=form)
        return redirect(panel_state.panel_url(pk, slot))
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
    response = HttpResponse(render_pdf(receipt, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt.request.reference}-{receipt.kind}.pdf"'
    return response


def _as_date(value):
    return timezone.localtime(value).date() if hasattr(value, "date") and timezone.is_aware(value) else value


def steps_for(footage_request) -> list[dict]:
    """The request view's table: each step's standard for this request against the work recorded, and where the
    work can be timed: one row for the request, or one per camera for a step done camera by camera."""
    cameras = list(footage_request.cameras.all())
    records = list(footage_request.step_records.all())  # prefetched with camera and staff on the request view
    rows = []
    for step in steps_of(footage_request):
        mine = [record for record in records if record.step_id == step.pk]
        finished = [record for record in mine if not record.is_running]
        running = {record.camera_id: record for record in mine if record.is_running}
        targets = []
        if not step.approval:
            for camera in cameras if step.per_camera else [None]:
                camera_id = camera.pk if camera else None
                targets.append({"camera": camera, "running": running.pop(camera_id, None)})
            # Work under way on a camera the request did not name (started from "another camera").
            targets += [{"camera": record.camera, "running": record} for record in running.values()]
        rows.append(
            {
                "step": step,
                "standard": step.standard_for(cameras=len(cameras), files=footage_request.file_count or 0),
                "records": finished,
                "targets": targets,
                "actual": round(sum(record.minutes for record in finished), 1) if finished else None,
            }
        )
    return rows
