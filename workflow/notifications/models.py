from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflow.constants import Channel, NotificationEvent


class MessageTemplate(models.Model):
    """An editor's wording for one notification. Without one, the default in templates/notifications/ is used.

    Placeholders: {reference}, {status}, {status_url}, {message}, {organisation}, {contact_phone}, {step}.
    """

    event = models.CharField(_("event"), max_length=20, choices=NotificationEvent.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("e-mail subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [models.UniqueConstraint(fields=["event", "channel"], name="one_template_per_event_channel")]

    def __str__(self):
        return f"{self.get_event_display()} · {self.get_channel_display()}"


class Notification(models.Model):
    """The outbox: written in the same transaction as the change it tells about, delivered by Celery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Staff recipients by account; the applicant's phone or e-mail is read from the request at delivery.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_pending")]

    def __str__(self):
        return f"{self.event} {self.channel} ({self.pk})"
