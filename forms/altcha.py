"""ALTCHA: a proof-of-work check against bots on the public form and the status lookup.

No cookie, no tracking, no third party: the browser fetches a signed challenge from this site, derives
PBKDF2 keys in a web worker until it finds the counter the server chose, and sends the solution with the
form. The server checks the signature (nothing to store while the citizen types) and remembers each
solved challenge until it expires, so one solution serves one submission only.
"""

import json
import secrets
import time

import altcha
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

ALGORITHM = "PBKDF2/SHA-256"
FIELD_NAME = "altcha"


def _secret(purpose: str) -> str:
    return salted_hmac(f"cctv.altcha.{purpose}", "", algorithm="sha256").hexdigest()


def new_challenge() -> dict:
    max_counter = settings.CCTV_ALTCHA_MAX_COUNTER
    low = max_counter // 4
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.CCTV_ALTCHA_COST,
        counter=low + secrets.randbelow(max_counter - low + 1),
        expires_at=int(time.time()) + settings.CCTV_ALTCHA_EXPIRES,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def used_key(payload: str) -> str | None:
    """The cache key that marks this solution used, when it solves an unexpired challenge signed by this site
    (checked without the cache); None otherwise. A view that claims the key itself (the status lookup, in the
    same round trip as its throttle: cctv.caching.throttle) then calls ``mark_verified``."""
    if not payload or len(payload) > 4000:
        return None
    result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    if not result.verified:
        return None
    return f"cctv:altcha:used:{altcha.Payload.from_base64(payload).challenge.signature}"


def verify(payload: str) -> bool:
    """True once per solved, unexpired challenge signed by this site."""
    key = used_key(payload)
    return key is not None and cache.add(key, True, timeout=settings.CCTV_ALTCHA_EXPIRES)


def passes(payload: str) -> bool:
    """The check of a public form's POST: true when switched off, else ``verify``."""
    return not settings.CCTV_ALTCHA_ENABLED or verify(payload)


@never_cache
def challenge_view(request):
    return JsonResponse(new_challenge())


class AltchaWidget(forms.Widget):
    template_name = "forms/widgets/altcha.html"

    def __init__(self, attrs=None, *, floating: bool = False):
        super().__init__(attrs)
        self.floating = floating

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        configuration = {"hideFooter": True, "hideLogo": True, "humanInteractionSignature": False}
        if self.floating:
            configuration["display"] = "floating"
        context["widget"].update(
            challenge_url=reverse("cctv_forms:altcha_challenge"),
            language=get_language() or "th",
            configuration=json.dumps(configuration),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates folder, which Django's default form renderer does not search.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class AltchaField(forms.Field):
    """Checked like any other field, so a failure is reported next to it and nothing typed is lost.

    A view that verified the solution before reading the rest of the POST sets ``verified`` (a solution is
    accepted once only, so the field must not verify it again)."""

    widget = AltchaWidget
    default_error_messages = {
        "required": _("Please wait for the check that you are not a robot to finish, then send again."),
        "invalid": _("The check that you are not a robot has expired or failed. Please send again."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Check that you are not a robot"))
        super().__init__(**kwargs)
        self.verified = False

    def clean(self, value):
        if self.verified:
            return True
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if not verify(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return True


def add_field(form: forms.BaseForm) -> None:
    """Adds the check to a public form unless the deployment switched it off.

    A form with files sends the check's field before its first file field (forms/views.py receives no file
    before the check passed), so the field is placed at the top of such a form and its widget floats next to
    the submit button, where the citizen sees it work."""
    if settings.CCTV_ALTCHA_ENABLED:
        has_files = any(isinstance(field, forms.FileField) for field in form.fields.values())
        form.fields[FIELD_NAME] = AltchaField(widget=AltchaWidget(floating=has_files))


def mark_verified(form: forms.BaseForm) -> None:
    """The view verified this POST's solution already (``passes``)."""
    if FIELD_NAME in form.fields:
        form.fields[FIELD_NAME].verified = True


def refuse(form: forms.BaseForm, *, payload: str, extra: list | None = None) -> None:
    """Shows a bound form as it was typed, with the failed check as its error, without cleaning any field:
    nothing of a refused POST is validated or decoded (the signature's image among others)."""
    field = form.fields.get(FIELD_NAME)
    code = "invalid" if payload else "required"
    message = field.error_messages[code] if field else AltchaField.default_error_messages[code]
    # What full_clean() would leave, with only this error in it.
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(FIELD_NAME if field else None, ValidationError(message, code=code))
    for error in extra or ():
        form.add_error(None, error)
