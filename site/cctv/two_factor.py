"""Two-factor login for staff: a TOTP code from an authenticator app after the password.

The middleware sends a signed-in but unverified user to /admin/2fa/ for every admin page: to enrol a device
the first time (QR code), or to type the current code. django-otp keeps the verified state in the session.
"""

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cctv.qr import qr_svg

OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/admin/password_reset/", "/admin/jsi18n/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.CCTV_REQUIRE_2FA
            and request.path.startswith(("/admin/", "/django-admin/"))
            and not request.path.startswith(OPEN_PATHS)
            and request.user.is_authenticated
            and not request.user.is_verified()
        ):
            return redirect(f"{reverse('cctv_two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def _safe_next(request) -> str:
    target = request.GET.get("next") or "/admin/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/admin/"


def two_factor(request):
    """Enrol (first time) or verify a TOTP device."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
            user=request.user, name="authenticator", confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("The code is not right. Check the time on your phone and try again."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr"] = qr_svg(device.config_url).decode()
        context["secret"] = device.bin_key.hex()
    return TemplateResponse(request, "two_factor.html", context)


urlpatterns = [path("2fa/", two_factor, name="cctv_two_factor")]
