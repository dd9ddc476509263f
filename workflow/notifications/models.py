import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from workflow.constants import Channel, NotificationEvent

# What delivery fills in (delivery._context gives exactly these; a test checks).
PLACEHOLDERS = (
    "reference",
    "status",
    "status_url",
    "message",
    "organisation",
    "contact_phone",
    "overwritten_on",
    "step",
    "admin_url",
    "times",
)
# Messages to staff accounts (outbox.queue_for_task_group); every other event goes to the applicant.
STAFF_EVENTS = frozenset({NotificationEvent.TASK_WAITING, NotificationEvent.FOOTAGE_AT_RISK})
# Only in messages to staff: citizens get no link into the admin, and they have no step.
STAFF_ONLY_PLACEHOLDERS = frozenset({"admin_url", "step"})


# Only in the messages of these events (the times offered for viewing, listed in one message).
EVENT_ONLY_PLACEHOLDERS = {"times": frozenset({NotificationEvent.APPOINTMENT})}


def allowed_placeholders(event: str) -> tuple[str, ...]:
    names = [name for name in PLACEHOLDERS if event in EVENT_ONLY_PLACEHOLDERS.get(name, (event,))]
    if event in STAFF_EVENTS:
        return tuple(names)
    return tuple(name for name in names if name not in STAFF_ONLY_PLACEHOLDERS)


def unknown_placeholders(text: str, *, allowed: tuple[str, ...]) -> list[str]:
    """The placeholders of ``text`` delivery cannot fill, as written; ValueError for unbalanced braces.

    Only a bare ``{name}`` is filled: attribute or index access (``{reference.__class__}``), positional fields,
    conversions and format specs are refused, so an editor's text cannot reach into the objects behind it.
    """
    unknown = []
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is None:
            continue
        if field in allowed and not spec and not conversion:
            continue
        written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if written not in unknown:
            unknown.append(written)
    return unknown


def placeholder_errors(text: str, *, event: str) -> list[str]:
    """Why delivery cannot fill ``text``, in the admin's language (empty when it can)."""
    allowed = allowed_placeholders(event)
    listed = " ".join("{" + name + "}" for name in allowed)
    try:
        unknown = unknown_placeholders(text, allowed=allowed)
    except ValueError:
        return [
            _(
                "The braces do not pair up: write a placeholder as {name}, and {{ or }} for a brace on its own. "
                "Allowed placeholders: %(allowed)s"
            )
            % {"allowed": listed}
        ]
    if unknown:
        return [
            _("Unknown placeholder: %(unknown)s. Allowed placeholders: %(allowed)s")
            % {"unknown": ", ".join(unknown), "allowed": listed}
        ]
    return []


class MessageTemplate(models.Model):
    """An editor's wording for one notification. Without one, the default in templates/notifications/ is used.

    Placeholders (``allowed_placeholders``): {reference}, {status}, {status_url}, {message}, {organisation},
    {contact_phone}, {overwritten_on}; in messages to staff also {step} and {admin_url}; in the appointment
    message also {times}. Anything else is refused
    on save, and a template saved before that check falls back to the default when it is sent.
    """

    organisation = organisation_key()
    event = models.CharField(_("event"), max_length=20, choices=NotificationEvent.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(
        _("subject (e-mail) or title (LINE)"),
        max_length=200,
        blank=True,
        help_text=_("The e-mail's subject, or the bold first line of the LINE message. An SMS has none."),
    )
    body = models.TextField(_("text"))

    history = HistoricalRecords()

    objects = ScopedManager()

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "event", "channel"], name="one_template_per_organisation_event_channel"
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} · {self.get_channel_display()}"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("subject", "body"):
            messages = placeholder_errors(getattr(self, field) or "", event=self.event)
            if messages:
                errors[field] = messages
        if errors:
            raise ValidationError(errors)


class Notification(models.Model):
    """The outbox: written in the same transaction as the change it tells about, delivered by Celery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        # Handed to the provider; the outcome is not known yet (see delivery.deliver).
        SENDING = "sending", _("Sending")
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
    # When a worker last took it to send (status "sending"), the key the provider dedupes that message by, and the
    # subject and text sent under that key (a resend must be the same message) with the recipient masked. Once
    # sent, the text is kept: staff read it in the Messages admin, its link key masked; it goes with the request.
    claimed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    # The provider's id of the accepted message (an SMS gateway's answer), for tracing it with the provider.
    provider_message_id = models.CharField(max_length=100, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("message sent")
        verbose_name_plural = _("messages sent")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_pending")]

    def __str__(self):
        return f"{self.event} {self.channel} ({self.pk})"
