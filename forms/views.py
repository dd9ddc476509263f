from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from cctv.caching.pages import cached_page
from cctv.caching.routes import site_for_request
from forms.forms import build_request_form_class, retention_warning_days
from forms.selectors import get_form_options
from workflow.handling.estimates import estimate_for_request
from workflow.request.models import FootageRequest
from workflow.request.services import submit_request
from workflow.request.submission import APPLICANT_FIELDS, Applicant, Incident, NewAttachment, Submission

SUBMITTED_SESSION_KEY = "cctv_submitted"


def _submission_from(form) -> Submission:
    data = form.cleaned_data
    # An optional question the form leaves out (race, when not collected) is an empty answer.
    applicant = Applicant(**{name: data.get(name, "") for name in APPLICANT_FIELDS})
    incident = Incident(
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
    return Submission(
        applicant=applicant,
        incident=incident,
        signature=data["signature"],
        attachments=[NewAttachment(kind=kind, label=label, file=file) for kind, label, file in form.attachments()],
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
            footage_request = submit_request(submission=_submission_from(form))
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
    from forms.models import RequestFormPage

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


def rate_limited(request, exception=None):
    return TemplateResponse(request, "forms/rate_limited.html", status=429)
