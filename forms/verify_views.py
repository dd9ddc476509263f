from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from cctv.caching.routes import site_for_request
from forms.views import rate_limited
from workflow.handling.models import SHA256_VALIDATOR
from workflow.models import Receipt


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
    receipt = get_object_or_404(
        Receipt.objects.select_related("request"), code=code, request__organisation__site=site_for_request(request)
    )
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
