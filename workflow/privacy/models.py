from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from workflow.constants import RequestKind
from workflow.lifecycle import PublicStatus
from workflow.request.models import FootageRequest


class AccessLog(models.Model):
    """Every time staff open a request's personal data or one of its files: who, when, what, from where."""

    class What(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("Personal data")
        ATTACHMENT = "attachment", _("Attachment")
        SIGNATURE = "signature", _("Signature")

    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="access_logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    object_id = models.PositiveBigIntegerField(_("item"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("access to personal data")
        permissions = [
            ("view_audit_report", _("Can view the audit report")),
            ("handle_data_subject_requests", _("Can export or erase a person's data (PDPA rights)")),
        ]

    def __str__(self):
        return f"{self.get_what_display()} ({self.pk})"


class RequestStatistic(models.Model):
    """Anonymised counts kept when requests are deleted (the notice's "reports and statistics")."""

    organisation = organisation_key()
    month = models.DateField(_("month"))
    station_code = models.CharField(_("station"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    final_status = models.CharField(_("status"), max_length=20, choices=PublicStatus.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("request statistic")
        verbose_name_plural = _("request statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "station_code", "kind", "final_status"],
                name="one_row_per_organisation_bucket",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.station_code} {self.kind} {self.final_status}: {self.count}"
