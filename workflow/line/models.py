"""LINE Official Account links (issue #16): which LINE users are told about which request.

Nothing about the person is kept from LINE but the LINE user id, sealed like the national ID number, with a keyed
lookup digest to find it again (a webhook event names the user in clear).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from workflow.request.models import FootageRequest


class LineLink(models.Model):
    """A LINE user who linked themselves to a request with a link code; unlinked by deleting the row."""

    organisation = organisation_key()
    request = models.ForeignKey(
        FootageRequest, on_delete=models.CASCADE, related_name="line_links", verbose_name=_("request")
    )
    line_user_sealed = models.TextField(editable=False)
    line_user_digest = models.CharField(max_length=64, db_index=True, editable=False)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("LINE link")
        verbose_name_plural = _("LINE links")
        constraints = [
            models.UniqueConstraint(fields=["request", "line_user_digest"], name="one_line_link_per_request_user")
        ]

    def __str__(self):
        return f"LINE link {self.pk}"


class LineLinkCode(models.Model):
    """A one-time code that links the LINE user who sends it to the request (valid 24 hours, single use).

    Only its keyed digest is stored: the code is shown once, on the applicant's own page."""

    organisation = organisation_key()
    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="line_codes")
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("LINE link code")
        verbose_name_plural = _("LINE link codes")

    def __str__(self):
        return f"LINE link code {self.pk}"


class LineEvent(models.Model):
    """A webhook event already handled, by LINE's webhookEventId: LINE redelivers, and a redelivery acts once."""

    organisation = organisation_key()
    webhook_event_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("LINE event")
        verbose_name_plural = _("LINE events")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "webhook_event_id"], name="one_line_event_per_id")
        ]

    def __str__(self):
        return f"LINE event {self.pk}"
