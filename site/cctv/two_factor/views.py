"""Two-step sign-in pages: the code after the password, enrolment through a link, and the administrators' page
that creates links.

A password alone never enrols a device: an account with no confirmed authenticator is told to ask an
administrator for an enrolment link (trust on first use would let anyone holding the password enrol theirs).
"""

import base64

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cctv.qr import qr_svg
from cctv.two_factor import selectors, services
from cctv.two_factor.forms import CodeForm

# The link's id, once its token has been checked: the token leaves the address bar (and the Referer) at once.
LINK_SESSION_KEY = "cctv_enrolment_link"
CREATE_PERMISSION = "cctv_two_factor.add_enrolmentlink"
WRONG_CODE = gettext_lazy("The code is not right. Check the time on your phone and try again.")


def manual_key(bin_key: bytes) -> str:
    """The secret as authenticator apps take it by hand: Base32 (RFC 4648, no padding), in groups of four."""
    text = base64.b32encode(bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _safe_next(request) -> str:
    target = request.GET.get("next") or "/admin/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/admin/"


def two_factor(request):
    """The code from the enrolled authenticator; without one, where to get an enrolment link."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return TemplateResponse(
            request, "two_factor.html", {"needs_link": True, "link_hours": settings.CCTV_ENROLMENT_LINK_HOURS}
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", WRONG_CODE)
    return TemplateResponse(request, "two_factor.html", {"form": form})


def _link_refused(request):
    return TemplateResponse(request, "two_factor/link_refused.html", status=404)


def enrol(request):
    """The page an enrolment link opens: QR code and Base32 key, then one code confirms the device."""
    token = request.GET.get("key")
    if token is not None:
        link = selectors.usable_link(token)
        if link is None:
            return _link_refused(request)
        request.session[LINK_SESSION_KEY] = link.pk
        return redirect("cctv_two_factor_enrol")
    link_id = request.session.get(LINK_SESSION_KEY)
    if link_id is None:
        return _link_refused(request)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("cctv_two_factor_enrol"), login_url=reverse("wagtailadmin_login"))
    try:
        device = services.start_enrolment(link_id=link_id, user=request.user)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            confirmed = services.confirm_enrolment(
                link_id=link_id, user=request.user, code=form.cleaned_data["code"].strip()
            )
            if confirmed is not None:
                request.session.pop(LINK_SESSION_KEY, None)
                otp_login(request, confirmed)
                return redirect("wagtailadmin_home")
            form.add_error("code", WRONG_CODE)
    except services.LinkNotUsable:
        request.session.pop(LINK_SESSION_KEY, None)
        return _link_refused(request)
    return TemplateResponse(
        request,
        "two_factor/enrol.html",
        {"form": form, "qr": qr_svg(device.config_url).decode(), "manual_key": manual_key(device.bin_key)},
    )


def enrolment_links(request):
    """Administrators (superusers, or holders of the "add enrolment link" permission) create a link for a staff
    account. The link is shown once, here; only its hash is kept."""
    if not request.user.has_perm(CREATE_PERMISSION):
        raise PermissionDenied
    issued = None
    if request.method == "POST":
        user_id = request.POST.get("user", "")
        if not user_id.isdigit():
            raise Http404
        account = get_object_or_404(get_user_model(), pk=int(user_id), is_active=True)
        issued = services.create_enrolment_link(user=account, created_by=request.user)
    context = {"accounts": selectors.staff_accounts(), "issued": issued}
    if issued is not None:
        context["link_url"] = request.build_absolute_uri(f"{reverse('cctv_two_factor_enrol')}?key={issued.token}")
    return TemplateResponse(request, "two_factor/links.html", context)
