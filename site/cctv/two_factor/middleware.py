from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# The sign-in pages themselves, and Wagtail's password reset (which has a throttle of its own).
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/2fa/", "/admin/password_reset/", "/admin/jsi18n/")


class RequireTwoFactorMiddleware:
    """Sends a signed-in but unverified user to /admin/2fa/ from every admin page (Wagtail's and Django's)."""

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
