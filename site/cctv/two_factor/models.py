from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnrolmentLink(models.Model):
    """A one-time link with which one staff account enrols an authenticator app.

    An administrator creates it and hands it over out of band; only the SHA-256 of the token is stored. It is
    valid for ``CCTV_ENROLMENT_LINK_HOURS`` and once: ``used_at`` is set when the device is confirmed, and a
    newer link for the same account ends the older ones (``expires_at`` moved to the time of the new one).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_links",
        verbose_name=_("staff account"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # The unconfirmed device shown on the link's page; created when the page is first opened.
    device = models.ForeignKey(
        "otp_totp.TOTPDevice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
