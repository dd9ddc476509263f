from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cctv.caching import throttle
from cctv.caching.pages import cached_page
from cctv.caching.routes import site_for_request
from cctv.http import client_ip
from cctv.qr import qr_svg
from forms import altcha
from forms.line_views import line_offer
from forms.lookup import ResubmitForm, StatusLookupForm
from forms.views import rate_limited
from workflow import lifecycle
from workflow.constants import AttachmentKind
from workflow.handling.estimates import ProgressStep, steps_of
from workflow.request.models import FootageRequest
from workflow.request.public_state import public_state
from workflow.request.services import cancel_request_by_applicant, resubmit_request
from workflow.request.submission import NewAttachment
from workflow.request.timeline import public_timeline
from workflow.satisfaction.forms import RatingForm
from workflow.satisfaction.models import SatisfactionRating
from workflow.satisfaction.services import may_rate, rate_service


@never_cache
def status_lookup(request):
    not_found = False
    if request.method == "POST":
        # The throttle's hit and the ALTCHA solution's "used once" mark in one Redis round trip.
        counter, limit, period = throttle.window_counter(
            group="cctv-status-lookup", rate=settings.CCTV_STATUS_LOOKUP_RATE, value=client_ip(request) or ""
        )
        claim = altcha.used_key(request.POST.get(altcha.FIELD_NAME, "")) if settings.CCTV_ALTCHA_ENABLED else None
        count, claimed = throttle.hit(
            caches["default"], counter=counter, period=period, claim=claim, claim_timeout=settings.CCTV_ALTCHA_EXPIRES
        )
        if count > limit:
            return rate_limited(request)
        form = StatusLookupForm(request.POST)
        if claimed:
            altcha.mark_verified(form)
        if form.is_valid():
            found = form.find(site=site_for_request(request))
            if len(found) == 1:
                return redirect("cctv_forms:status", token=found[0].token)
            if found:  # several requests of one person: they choose
                return TemplateResponse(request, "forms/status_list.html", {"requests": found})
            not_found = True
    else:
        form = StatusLookupForm()
    return TemplateResponse(request, "forms/status_lookup.html", {"form": form, "not_found": not_found})


def by_token(request, token: str) -> FootageRequest:
    """The request with this token, if it is the organisation's whose site this is (ADR 0016)."""
    if len(token) > 64:
        raise Http404
    site = site_for_request(request)
    return get_object_or_404(FootageRequest.objects.for_status_page(), token=token, organisation__site=site)


@never_cache
def status(request, token):
    if request.method == "GET":
        if len(token) > 64 or (state := public_state(token)) is None:
            raise Http404
        if state["site"] != getattr(site_for_request(request), "pk", None):
            raise Http404
        if state["needs_answer"]:  # the page has a form for the answer: not cached
            return _status_page(request, by_token(request, token), needs_answer=True)
        parts = ("status", token, *sorted(state.items()))
        return cached_page(
            request,
            parts,
            lambda extra: _status_page(request, by_token(request, token), extra=extra),
            owner=f"status:{token}",  # erasure deletes it (workflow/privacy/retention.py)
        )
    return _status_page(request, by_token(request, token))


def _progress(footage_request, shown) -> list[ProgressStep]:
    """The manual's steps as the status page words them: once the request has ended, a step nobody logged is
    "not recorded", not "to come" (lifecycle.progress_state); only the work after an approval step still comes."""
    if not shown:
        return []
    steps = steps_of(footage_request)  # the same cached list, in the same order, as ``shown`` was made from
    approval_at = max((index for index, step in enumerate(steps) if step.approval), default=None)
    return [
        ProgressStep(
            item.name,
            lifecycle.progress_state(
                footage_request.public_status,
                item.state,
                follows_approval=approval_at is not None and index > approval_at,
            ),
        )
        for index, item in enumerate(shown)
    ]


def _satisfaction(footage_request, form=None) -> dict:
    """The rating asked once the request has ended: the form, or the rating given (one query, only then)."""
    if not may_rate(footage_request):
        return {}
    rating = SatisfactionRating.objects.filter(request=footage_request).first()
    if rating is not None:
        return {"rating": rating}
    return {"rating_form": form or RatingForm(prefix="rating")}


def _status_page(request, footage_request, *, needs_answer=None, extra=None, rating_form=None):
    if needs_answer is None:
        needs_answer = footage_request.needs_applicant_answer
    timeline = public_timeline(footage_request)
    display = lifecycle.display(
        footage_request.public_status, awaiting_applicant=needs_answer, ended_by=timeline.ended_by
    )
    form = None
    if display.may_answer:
        if request.method == "POST":
            form = ResubmitForm(request.POST, request.FILES)
            if form.is_valid():
                resubmit_request(
                    footage_request=footage_request,
                    note=form.cleaned_data["note"],
                    attachments=[
                        NewAttachment(kind=AttachmentKind.OTHER, file=file) for file in form.cleaned_data["documents"]
                    ],
                )
                messages.success(request, _("Thank you. Your answer has been sent to the staff."))
                return redirect("cctv_forms:status", token=footage_request.token)
        else:
            form = ResubmitForm()
    from workflow.handling.models import Receipt
    from workflow.handling.services import applicant_view

    handling = applicant_view(footage_request)
    # Copies are handed over only after approval: no query for their receipts before.
    handover_receipts = (
        list(footage_request.receipts.filter(kind=Receipt.Kind.HANDOVER))
        if footage_request.public_status == lifecycle.PublicStatus.APPROVED
        else []
    )
    return TemplateResponse(
        request,
        "forms/status.html",
        {
            **handling,
            "progress": _progress(footage_request, handling["progress"]),
            "handover_receipts": handover_receipts,
            "timeline": timeline.entries,
            "footage_request": footage_request,
            "display": display,
            "can_cancel": display.may_cancel,
            "resubmit_form": form,
            **_satisfaction(footage_request, rating_form),
            **line_offer(request, footage_request),
            **(extra or {}),
        },
        status=400 if (form is not None and form.errors) or (rating_form is not None and rating_form.errors) else 200,
    )


@require_POST
def status_appointment(request, token):
    """The applicant takes one of the times staff offered for viewing."""
    from workflow.handling.services import choose_appointment

    footage_request = by_token(request, token)
    try:
        choose_appointment(footage_request=footage_request, appointment_id=int(request.POST.get("appointment", 0)))
    except (ValidationError, ValueError):
        messages.error(request, _("This time is no longer offered. Please choose another."))
    else:
        messages.success(request, _("Thank you. Your appointment is booked."))
    return redirect("cctv_forms:status", token=token)


@require_POST
def status_rating(request, token):
    """The applicant's rating of the service; a form with errors comes back with what they wrote."""
    footage_request = by_token(request, token)
    form = RatingForm(request.POST, prefix="rating")
    if not form.is_valid():
        return _status_page(request, footage_request, rating_form=form)
    try:
        rating = rate_service(footage_request=footage_request, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you for telling us how we did."))
        if rating.dissatisfied:
            messages.info(
                request, _("We are sorry the service did not meet your needs. The office can help: see below.")
            )
    return redirect(reverse("cctv_forms:status", kwargs={"token": token}) + "#satisfaction")


@require_POST
def status_cancel(request, token):
    footage_request = by_token(request, token)
    try:
        cancel_request_by_applicant(footage_request=footage_request)
    except lifecycle.TransitionNotAllowed:
        messages.error(request, _("This request can no longer be cancelled online. Please contact the office."))
    else:
        messages.success(request, _("Your request has been cancelled."))
    return redirect("cctv_forms:status", token=token)


def status_qr(request, token):
    footage_request = by_token(request, token)
    svg = qr_svg(request.build_absolute_uri(reverse("cctv_forms:status", kwargs={"token": footage_request.token})))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{footage_request.reference}-qr.svg"'
    return response


@never_cache
def status_receipt(request, token):
    """The submission receipt as PDF, for the applicant (the status link is the key)."""
    from workflow.handling.receipts import render_pdf
    from workflow.handling.services import submission_receipt

    footage_request = by_token(request, token)
    receipt = submission_receipt(footage_request)
    response = HttpResponse(render_pdf(receipt, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{footage_request.reference}-receipt.pdf"'
    return response


@never_cache
def status_handover_receipt(request, token, code):
    """A handover receipt as PDF, for the applicant: the status link is the key, the receipt's own code (printed on
    it, no personal data) says which one. Every download is written to the access log, with no staff user."""
    from cctv.http import client_ip
    from workflow.handling.models import Receipt
    from workflow.handling.receipts import render_pdf
    from workflow.privacy.access import record_access
    from workflow.privacy.models import AccessLog

    footage_request = by_token(request, token)
    receipt = get_object_or_404(footage_request.receipts.filter(kind=Receipt.Kind.HANDOVER), code=code)
    pdf = render_pdf(receipt, request=request)
    record_access(
        footage_request=footage_request,
        user=None,
        what=AccessLog.What.PERSONAL_DATA,
        object_id=receipt.pk,
        ip=client_ip(request),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{footage_request.reference}-handover-{receipt.pk}.pdf"'
    return response


@never_cache
def copy_download(request, token):
    """A copy of footage by its download link: valid until it expires, and every use is logged."""
    from cctv.http import client_ip, private_file_response
    from cctv.object_storage import presigned_url_for
    from workflow.handling.models import CopyDownload, DeliveredCopy

    if len(token) > 64:
        raise Http404
    copy = get_object_or_404(
        DeliveredCopy.objects.exclude(file=""),
        download_token=token,
        request__organisation__site=site_for_request(request),
    )
    if copy.download_expires_at is None or copy.download_expires_at < timezone.now():
        return TemplateResponse(
            request, "forms/download_expired.html", {"reference": copy.request.reference}, status=410
        )
    CopyDownload.objects.create(copy=copy, ip=client_ip(request))
    presigned = presigned_url_for(copy.file, copy.file_name)
    if presigned:
        # An object store: the applicant fetches the large file from it, by a link that works for minutes.
        return redirect(presigned)
    return private_file_response(copy.file, "application/octet-stream", download_name=copy.file_name)
