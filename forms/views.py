"""The request form page: showing it, and the POST path, which refuses early.

A POST is throttled, its size checked against the form's limits and its proof of work verified before any
file in it is received: ``RefuseEarlyMiddleware`` runs ahead of CsrfViewMiddleware (which reads
``request.POST``, and so the whole body) and puts ``ProofOfWorkFirst`` in front of Django's upload handlers.
The form's template sends the check's field before every file field.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404
from django.http.multipartparser import MultiPartParser
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from cctv.caching.pages import cached_page
from cctv.caching.routes import route_for_request, site_for_request
from cctv.http import client_ip
from forms import altcha
from forms.forms import build_request_form_class, retention_warning_days
from forms.kept_files import MAX_UPLOAD_BYTES
from forms.line_views import line_offer
from forms.selectors import get_form_options
from forms.step_views import first_error_step
from workflow.constants import Channel
from workflow.handling.estimates import estimate_for_request
from workflow.request.models import FootageRequest
from workflow.request.services import StorageUnavailable, submit_request
from workflow.request.submission import APPLICANT_FIELDS, Applicant, Incident, NewAttachment, Submission

logger = logging.getLogger(__name__)

SUBMITTED_SESSION_KEY = "cctv_submitted"
# The request attribute holding a POST's ProofOfWorkFirst handler, once it was admitted.
ADMISSION = "cctv_admission"
# Seconds a client is asked to wait after storage failed (the Retry-After header).
RETRY_AFTER_STORAGE_FAILURE = 300

FILES_NOT_RECEIVED = _(
    "The files you chose were not received, because the check that you are not a robot did not pass. "
    "Please choose them again before you send."
)
NOT_SAVED = _(
    "Your request has NOT been sent: the system could not save it just now, so nothing of it was recorded. "
    "What you typed is still in the form below. Please try again later."
)


class ProofOfWorkFirst(FileUploadHandler):
    """The first upload handler of a request form POST. At the body's first file the proof of work must have
    passed (its field comes before every file field), or no file of the body is received: each is skipped
    unread and unstored, and the text fields after them are still parsed, so that the form comes back as typed.
    A body without files is checked by the view, after it was parsed."""

    def __init__(self, request=None):
        super().__init__(request)
        self.parser: MultiPartParser | None = None
        self.verified: bool | None = None
        self.skipped_files = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if self.parser is not None:
            return None  # the parse started below
        # Django's own parser, kept so that new_file() can read the fields that came before the first file.
        self.parser = MultiPartParser(META, input_data, self.request.upload_handlers, encoding)
        return self.parser.parse()

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        if self.verified is None:
            # The fields parsed so far: MultiPartParser has no public accessor for them.
            fields = getattr(self.parser, "_post", None)
            self.verified = altcha.passes(fields.get(altcha.FIELD_NAME, "") if fields is not None else "")
        if not self.verified:
            self.skipped_files += 1
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None

    def passed(self, post) -> bool:
        """Whether the proof of work passed; verified now (once) when the body had no file."""
        if self.verified is None:
            self.verified = altcha.passes(post.get(altcha.FIELD_NAME, ""))
        return self.verified


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def admit_submission(request, form_class) -> TemplateResponse | None:
    """Before any byte of a request form POST's body is read: the throttle (counted once per POST), the
    body's size against the form's limits, and the handler that receives no file before the proof of work.
    Returns the refusal, or None. Done by RefuseEarlyMiddleware, else (once) by the view."""
    if hasattr(request, ADMISSION):
        return None
    handler = ProofOfWorkFirst(request)
    setattr(request, ADMISSION, handler)
    if is_ratelimited(request, group="cctv-submit", key="ip", rate=settings.CCTV_SUBMIT_RATE, increment=True):
        return rate_limited(request)
    limit = form_class.max_body_bytes()
    if _content_length(request) > limit:
        logger.info("Request form POST of %s bytes refused (limit %s)", _content_length(request), limit)
        return TemplateResponse(
            request,
            "forms/request_too_large.html",
            {"limit_mb": limit // (1024 * 1024), "file_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            status=413,
        )
    try:
        request.upload_handlers = [handler, *request.upload_handlers]
    except AttributeError:
        # Something read the body already; its files are then never used unless the proof of work passed.
        logger.warning("The request form POST was parsed before it was admitted")
    return None


class RefuseEarlyMiddleware:
    """Admits POSTs to request form pages before CsrfViewMiddleware reads their body (list it before that one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name != "cctv_serve":
            return None
        from forms.models import RequestFormPage

        path = view_kwargs.get("path", view_args[0] if view_args else "")
        if request.user.is_authenticated:  # an editor's preview: Wagtail's own routing, as cctv_serve does
            page = Page.find_for_request(request, path)
        else:
            try:
                page = route_for_request(request, path)[0]
            except Http404:
                return None
        if not isinstance(page, RequestFormPage):
            return None
        options = get_form_options(page=page, site=site_for_request(request))
        return admit_submission(request, build_request_form_class(options.extra_fields))


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
        notify_by=data.get("notify_by") or Channel.SMS,
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
        refused = admit_submission(request, form_class)
        if refused is not None:
            return refused
        admission = getattr(request, ADMISSION)
        if not admission.passed(request.POST):
            # Shown as typed, unchecked: nothing of a refused POST is validated, decoded or stored.
            form = form_class(request.POST, options=options)
            form.files_not_received = admission.skipped_files > 0
            altcha.refuse(
                form,
                payload=request.POST.get(altcha.FIELD_NAME, ""),
                extra=[ValidationError(FILES_NOT_RECEIVED)] if form.files_not_received else None,
            )
        else:
            form = form_class(request.POST, request.FILES, options=options)
            altcha.mark_verified(form)
            if form.is_valid():
                try:
                    footage_request = submit_request(submission=_submission_from(form))
                except StorageUnavailable:
                    logger.exception("A request could not be stored; the citizen was asked to try again later")
                    form.add_error(None, NOT_SAVED)
                    form.keep_valid_files(client=client_ip(request))
                    status = 503
                else:
                    form.discard_kept_files()
                    request.session[SUBMITTED_SESSION_KEY] = {"request": footage_request.pk, "page": page.pk}
                    return redirect("cctv_forms:submitted")
            else:
                form.keep_valid_files(client=client_ip(request))
    else:
        form = form_class(options=options)
    context = page.get_context(request)
    start_step = first_error_step(form) if form.is_bound and form.errors else ""
    context.update(form=form, options=options, not_sent=status == 503, start_step=start_step, **(extra or {}))
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_STORAGE_FAILURE)
    return response


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
            **line_offer(request, footage_request),
        },
    )


def rate_limited(request, exception=None):
    return TemplateResponse(request, "forms/rate_limited.html", status=429)
