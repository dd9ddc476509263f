from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from cctv.home.routing import site_for_request
from workflow import services, statuses
from workflow.constants import AttachmentKind
from workflow.handling import SHA256_VALIDATOR
from workflow.handling_services import estimate_for_request
from workflow.models import FootageRequest, Receipt
from workflow.public_state import public_state

from .forms import build_request_form_class, retention_warning_days
from .lookup import ResubmitForm, StatusLookupForm
from .page_cache import cached_page
from .qr import qr_svg
from .selectors import get_form_options

SUBMITTED_SESSION_KEY = "cctv_submitted"


def _submission_from(form) -> services.Submission:
    data = form.cleaned_data
    applicant = services.Applicant(
        **{name: data.get(name) or "" for name in services.Applicant.__dataclass_fields__ if name != "age"},
        age=data["age"],
    )
    incident = services.Incident(
        request_type_id=data["request_type"],
        file_count=data.get("file_count"),
        station_id=data["station"],
        camera_ids=data.get("cameras") or [],
        written_on=data["written_on"],
        incident_date=data["incident_date"],
        incident_time=data["incident_time"],
        incident_time_end=data.get("incident_time_end"),
        reason=data["reason"],
    )
    return services.Submission(
        applicant=applicant,
        incident=incident,
        signature=data["signature"],
        attachments=[
            services.NewAttachment(kind=kind, label=label, file=file) for kind, label, file in form.attachments()
        ],
        extra_answers=form.extra_answers(),
        privacy_policy_revision_id=form.options.policy.revision_id if form.options.policy else None,
    )


@never_cache
def serve_request_form(request, page):
    site = site_for_request(request)
    if request.method != "POST":
        return cached_page(
            request, ("form", site.pk, page.pk), lambda extra: _form_page(request, page, site, extra=extra)
        )
    return _form_page(request, page, site)


def _form_page(request, page, site, *, extra=None):
    options = get_form_options(page=page, site=site)
    form_class = build_request_form_class(options.extra_fields)
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, options=options)
        if is_ratelimited(request, group="cctv-submit", key="ip", rate=settings.CCTV_SUBMIT_RATE, increment=True):
            form.is_valid()
            form.keep_valid_files()
            form.add_error(None, _("Too many requests from your connection. Please wait a while and try again."))
            status = 429
        elif form.is_valid():
            footage_request = services.submit_request(submission=_submission_from(form))
            form.discard_kept_files()
            request.session[SUBMITTED_SESSION_KEY] = {"request": footage_request.pk, "page": page.pk}
            return redirect("cctv_forms:submitted")
        else:
            form.keep_valid_files()
    else:
        form = form_class(options=options)
    context = page.get_context(request)
    context.update(form=form, options=options, **(extra or {}))
    return TemplateResponse(request, page.get_template(request), context, status=status)


@never_cache
def submitted(request):
    """The confirmation after post/redirect/get; only the browser that submitted can see it."""
    remembered = request.session.get(SUBMITTED_SESSION_KEY)
    if not remembered:
        return redirect("/")
    footage_request = get_object_or_404(FootageRequest.objects.for_status_page(), pk=remembered["request"])
    from .models import RequestFormPage

    page = RequestFormPage.objects.filter(pk=remembered["page"]).only("thank_you_text").first()
    options = get_form_options(page=None, site=site_for_request(request))
    return TemplateResponse(
        request,
        "forms/submitted.html",
        {
            "footage_request": footage_request,
            "form_page": page,
            "status_url": request.build_absolute_uri(
                reverse("cctv_forms:status", kwargs={"token": footage_request.token})
            ),
            "retention_days": retention_warning_days(
                options, footage_request.station_id, footage_request.incident_date
            ),
            "estimate": estimate_for_request(footage_request),
        },
    )


@never_cache
def status_lookup(request):
    not_found = False
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="cctv-status-lookup",
            key="ip",
            rate=settings.CCTV_STATUS_LOOKUP_RATE,
            increment=True,
        ):
            return rate_limited(request)
        form = StatusLookupForm(request.POST)
        if form.is_valid():
            token = form.find()
            if token is not None:
                return redirect("cctv_forms:status", token=token)
            not_found = True
    else:
        form = StatusLookupForm()
    return TemplateResponse(request, "forms/status_lookup.html", {"form": form, "not_found": not_found})


def _by_token(token: str) -> FootageRequest:
    if len(token) > 64:
        raise Http404
    return get_object_or_404(FootageRequest.objects.for_status_page(), token=token)


@never_cache
def status(request, token):
    if request.method == "GET":
        if len(token) > 64 or (state := public_state(token)) is None:
            raise Http404
        if state["needs_answer"]:  # the page has a form for the answer: not cached
            return _status_page(request, _by_token(token), needs_answer=True)
        parts = ("status", token, *sorted(state.items()))
        return cached_page(request, parts, lambda extra: _status_page(request, _by_token(token), extra=extra))
    return _status_page(request, _by_token(token))


def _status_page(request, footage_request, *, needs_answer=None, extra=None):
    if needs_answer is None:
        needs_answer = footage_request.needs_applicant_answer
    form = None
    if needs_answer:
        if request.method == "POST":
            form = ResubmitForm(request.POST, request.FILES)
            if form.is_valid():
                services.resubmit_request(
                    footage_request=footage_request,
                    note=form.cleaned_data["note"],
                    attachments=[
                        services.NewAttachment(kind=AttachmentKind.OTHER, file=file)
                        for file in form.cleaned_data["documents"]
                    ],
                )
                messages.success(request, _("Thank you. Your answer has been sent to the staff."))
                return redirect("cctv_forms:status", token=footage_request.token)
        else:
            form = ResubmitForm()
    from workflow.handling_services import applicant_view

    return TemplateResponse(
        request,
        "forms/status.html",
        {
            **applicant_view(footage_request),
            "footage_request": footage_request,
            "can_cancel": statuses.is_allowed(statuses.Event.CANCELLED_BY_CITIZEN, footage_request.public_status),
            "resubmit_form": form,
            **(extra or {}),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def status_appointment(request, token):
    """The applicant takes one of the times staff offered for viewing."""
    from django.core.exceptions import ValidationError

    from workflow.handling_services import choose_appointment

    footage_request = _by_token(token)
    try:
        choose_appointment(footage_request=footage_request, appointment_id=int(request.POST.get("appointment", 0)))
    except (ValidationError, ValueError):
        messages.error(request, _("This time is no longer offered. Please choose another."))
    else:
        messages.success(request, _("Thank you. Your appointment is booked."))
    return redirect("cctv_forms:status", token=token)


@require_POST
def status_cancel(request, token):
    footage_request = _by_token(token)
    try:
        services.cancel_request_by_applicant(footage_request=footage_request)
    except statuses.TransitionNotAllowed:
        messages.error(request, _("This request can no longer be cancelled online. Please contact the office."))
    else:
        messages.success(request, _("Your request has been cancelled."))
    return redirect("cctv_forms:status", token=token)


def status_qr(request, token):
    footage_request = _by_token(token)
    svg = qr_svg(request.build_absolute_uri(reverse("cctv_forms:status", kwargs={"token": footage_request.token})))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{footage_request.reference}-qr.svg"'
    return response


def rate_limited(request, exception=None):
    return TemplateResponse(request, "forms/rate_limited.html", status=429)


class VerifyForm(forms.Form):
    sha256 = forms.CharField(
        label=_("SHA-256 of your file"),
        max_length=80,
        help_text=_("64 characters 0-9 and a-f. Choose the file below to compute it in your browser."),
    )

    def clean_sha256(self):
        value = self.cleaned_data["sha256"].strip().lower()
        SHA256_VALIDATOR(value)  # the rule the delivered copies are stored under
        return value


@never_cache
def verify(request, code):
    """Anyone holding a receipt checks it, and whether a file is one that was handed over. No personal data."""
    if len(code) > 40:
        raise Http404
    receipt = get_object_or_404(Receipt.objects.select_related("request"), code=code)
    copies = list(receipt.copies.all())
    form, match, checked = VerifyForm(), None, False
    if request.method == "POST" and copies:
        if is_ratelimited(
            request, group="cctv-verify", key="ip", rate=settings.CCTV_STATUS_LOOKUP_RATE, increment=True
        ):
            return rate_limited(request)
        form = VerifyForm(request.POST)
        if form.is_valid():
            checked = True
            match = next((copy for copy in copies if copy.sha256 == form.cleaned_data["sha256"]), None)
    return TemplateResponse(
        request,
        "forms/verify.html",
        {
            "receipt": receipt,
            "reference": receipt.request.reference,
            "copies": copies,
            "form": form,
            "checked": checked,
            "match": match,
        },
    )


@never_cache
def status_receipt(request, token):
    """The submission receipt as PDF, for the applicant (the status link is the key)."""
    from workflow import handling_services
    from workflow.receipts import render_pdf

    footage_request = _by_token(token)
    receipt = handling_services.submission_receipt(footage_request)
    response = HttpResponse(render_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{footage_request.reference}-receipt.pdf"'
    return response


@never_cache
def copy_download(request, token):
    """A copy of footage by its download link: valid until it expires, and every use is logged."""
    from workflow.handling import CopyDownload, DeliveredCopy
    from workflow.views import client_ip, private_file_response

    if len(token) > 64:
        raise Http404
    copy = get_object_or_404(DeliveredCopy.objects.exclude(file=""), download_token=token)
    if copy.download_expires_at is None or copy.download_expires_at < timezone.now():
        return TemplateResponse(
            request, "forms/download_expired.html", {"reference": copy.request.reference}, status=410
        )
    CopyDownload.objects.create(copy=copy, ip=client_ip(request))
    return private_file_response(copy.file, "application/octet-stream", download_name=copy.file_name)
