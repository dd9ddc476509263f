"""Wagtail's admin password reset, with the mail sent by the worker and a throttle per address and per e-mail.

Django's form looks the address up and renders and sends the mail inside the request, so a staff address took
about ten times as long to answer as an unknown one, and anyone could make the site mail a staff member without
end. Here the request does the same, account-blind work for every address (one task queued after commit); the
worker looks the address up and sends the mail, or does nothing.
"""

import logging

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.admin.views.account import PasswordResetView

from cctv.http import client_ip

logger = logging.getLogger(__name__)

TOO_MANY = _("Too many password reset requests. Please wait a while and try again.")


def _normalised_email(value: str) -> str:
    return value.strip().lower()


def send_reset_mail(*, email: str, domain: str, use_https: bool, language: str, templates: dict[str, str]) -> int:
    """Mails a reset link to each active account with ``email`` (none for an unknown address). Run by the worker."""
    form = DjangoPasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    with translation.override(language):
        users = list(form.get_users(email))
        # Django's own save(): token, link and mail for each account found.
        DjangoPasswordResetForm.save(form, domain_override=domain, use_https=use_https, **templates)
    return len(users)


class QueuedPasswordResetForm(PasswordResetForm):
    def save(
        self,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
        use_https=False,
        token_generator=None,
        from_email=None,
        request=None,
        html_email_template_name=None,
        extra_email_context=None,
    ):
        from cctv.two_factor.tasks import send_password_reset

        kwargs = {
            "email": self.cleaned_data["email"],
            "domain": domain_override or get_current_site(request).domain,
            "use_https": use_https,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "templates": {
                "subject_template_name": subject_template_name,
                "email_template_name": email_template_name,
                "html_email_template_name": html_email_template_name,
                "from_email": from_email,
            },
        }

        def enqueue():
            try:
                send_password_reset.delay(**kwargs)
            except Exception as exc:  # noqa: BLE001 - a broker outage must not tell the two cases apart either
                logger.warning("Password reset mail not queued (%s)", type(exc).__name__)

        transaction.on_commit(enqueue)


def _by_address(group, request) -> str:
    return client_ip(request) or ""


def _by_email(group, request) -> str:
    return _normalised_email(request.POST.get("email", ""))


class ThrottledPasswordResetView(PasswordResetView):
    def get_form_class(self):
        return QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        # Both counters move on every try, so the answer depends only on what was sent, never on the account.
        by_address = is_ratelimited(
            request,
            group="cctv.password_reset.address",
            key=_by_address,
            rate=settings.CCTV_PASSWORD_RESET_RATE_ADDRESS,
            method="POST",
            increment=True,
        )
        by_email = bool(_by_email(None, request)) and is_ratelimited(
            request,
            group="cctv.password_reset.email",
            key=_by_email,
            rate=settings.CCTV_PASSWORD_RESET_RATE_EMAIL,
            method="POST",
            increment=True,
        )
        if by_address or by_email:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)
