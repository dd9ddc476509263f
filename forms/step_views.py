"""The request form in steps: which fields each step holds, and the endpoint that checks one step.

With JavaScript the form's sections are shown one screen at a time (forms/static/forms/js/form-steps.js); before
moving on, the browser posts what was typed so far here, and the server runs the same Django form as the real
submit and answers with this step's errors alone, as JSON. Nothing is stored, no file is uploaded (the browser
says which file fields have a file chosen; a kept file's signed token is only described, never read) and the
proof of work is not touched: it is solved once, for the real submit. The final submit checks everything again.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from cctv.caching.routes import site_for_request
from forms import altcha, staging
from forms.forms import CoreRequestForm, build_request_form_class
from forms.kept_files import KEPT_SUFFIX
from forms.selectors import get_form_options

logger = logging.getLogger(__name__)

# One key per section of CoreRequestForm.SECTIONS, in its order.
SECTION_KEYS = ("applicant", "address", "contact", "purpose", "incident", "documents")
EXTRA_STEP = "extra"
CONSENT_STEP = "consent"
CONSENT_FIELDS = ("consent", "signature")
# A step's POST holds text and the drawn signature (at most a few hundred kB), never a file.
MAX_STEP_BODY_BYTES = 1024 * 1024
# The browser names here the file fields of the step that have a file chosen.
FILES_CHOSEN = "files_chosen"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    field_names: tuple[str, ...]


def form_steps(form: CoreRequestForm) -> list[Step]:
    """The steps of this form, in order: its sections, the editor's questions (when there are any) and the
    consent with the signature. The check-your-answers step is the browser's own and holds no field."""
    if len(SECTION_KEYS) != len(form.SECTIONS):
        raise RuntimeError("forms.step_views.SECTION_KEYS must name every section of CoreRequestForm.SECTIONS")
    steps = [
        Step(key, str(title), tuple(n for n in names if n in form.fields))
        for key, (title, names) in zip(SECTION_KEYS, form.SECTIONS, strict=True)
    ]
    extra = tuple(name for name in form.extra_field_labels if name in form.fields)
    if extra:
        steps.append(Step(EXTRA_STEP, str(_("Additional questions")), extra))
    steps.append(Step(CONSENT_STEP, str(_("Consent and signature")), CONSENT_FIELDS))
    return steps


def first_error_step(form: CoreRequestForm) -> str:
    """The step a browser opens a form shown again with errors at: the first that holds a field in error, the
    documents when the files were not received, else the check of the answers ("check")."""
    for step in form_steps(form):
        if any(name in form.errors for name in step.field_names):
            return step.key
    if getattr(form, "files_not_received", False):
        return "documents"
    return "check"


def _error(form, name, messages) -> dict:
    bound = form[name]
    return {"name": name, "id": bound.auto_id, "label": str(bound.label), "messages": [str(m) for m in messages]}


def check_step_errors(form: CoreRequestForm, step: Step, *, chosen: set[str], kept: set[str]) -> list[dict]:
    """This step's errors, as the real submit would report them, for a form bound to text data only."""
    form.is_valid()
    errors = []
    for name in step.field_names:
        if name in form.file_field_names:
            field = form.fields[name]
            if field.show_required and name not in chosen and name not in kept:
                errors.append(_error(form, name, [field.error_messages["required"]]))
            continue
        if name in form.errors:
            errors.append(_error(form, name, form.errors[name]))
    return errors


def _refusal(status: int, message) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


@never_cache
@require_POST
def check_step(request, page_id: int):
    """POST only, CSRF-checked (the form's token), throttled per client. Answers 200 with
    ``{"step", "valid", "errors": [{"name", "id", "label", "messages"}]}``; 400, 404, 413 or 429 with
    ``{"error"}``. No field value is logged or put in the URL."""
    from forms.models import RequestFormPage

    if is_ratelimited(request, group="cctv-step", key="ip", rate=settings.CCTV_STEP_CHECK_RATE, increment=True):
        return _refusal(429, _("Too many checks. Please wait a few minutes, or send the whole form."))
    if _content_length(request) > MAX_STEP_BODY_BYTES:
        return _refusal(413, _("This check was refused."))
    page = RequestFormPage.objects.live().filter(pk=page_id).first()
    if page is None:
        return _refusal(404, _("This form was not found."))
    options = get_form_options(page=page, site=site_for_request(request))
    form_class = build_request_form_class(options.extra_fields)
    data = request.POST.copy()
    key = data.get("step", "")
    chosen = set(data.getlist(FILES_CHOSEN))
    kept_tokens = {}
    for name in list(data):
        if name.endswith(KEPT_SUFFIX):
            kept_tokens[name.removesuffix(KEPT_SUFFIX)] = data.get(name, "")
            del data[name]  # not loaded by the form's clean(): only described below
    data.pop(altcha.FIELD_NAME, None)  # a solution is good for one submit: never spent on a step
    form = form_class(data, options=options)
    form.fields.pop(altcha.FIELD_NAME, None)
    step = next((s for s in form_steps(form) if s.key == key), None)
    if step is None:
        return _refusal(400, _("This check was refused."))
    kept = {name for name, token in kept_tokens.items() if name in step.field_names and staging.describe(token)}
    errors = check_step_errors(form, step, chosen=chosen, kept=kept)
    logger.debug("Step %s checked: %d field(s) in error", step.key, len(errors))
    return JsonResponse({"step": step.key, "valid": not errors, "errors": errors})
