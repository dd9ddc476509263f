from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    VIEW = "view", _("View footage")
    COPY = "copy", _("Copy footage")


class Title(models.TextChoices):
    MR = "mr", _("Mr")
    MRS = "mrs", _("Mrs")
    MISS = "miss", _("Miss")
    MASTER = "master", _("Master (boy)")
    GIRL = "girl", _("Miss (girl)")
    OTHER = "other", _("Other")


class AttachmentKind(models.TextChoices):
    ID_CARD = "id_card", _("Copy of national ID card")
    POLICE_REPORT = "police_report", _("Copy of police report")
    OTHER = "other", _("Other documents")
    EXTRA = "extra", _("Additional file")


class DecisionAction(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REQUEST_INFO = "request_info", _("Asked for more information")
    DECLINE = "decline", _("Declined")
    CANCEL = "cancel", _("Cancelled by staff")


REFERENCE_PREFIX = "CCTV"


class NotificationEvent(models.TextChoices):
    SUBMITTED = "submitted", _("Request received")
    RECEIVED = "received", _("Accepted by staff")
    MORE_INFO = "more_info", _("More information needed")
    DECLINED = "declined", _("Request declined")
    CANCELLED = "cancelled", _("Request cancelled")
    APPROVED = "approved", _("Request approved")
    TASK_WAITING = "task_waiting", _("A request waits for your group")
    FOOTAGE_AT_RISK = "footage_at_risk", _("Footage will soon be overwritten")
    NO_FOOTAGE = "no_footage", _("No footage to give")
    APPOINTMENT = "appointment", _("Times offered for viewing")
    DOWNLOAD_READY = "download_ready", _("Copy ready to download")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    LINE = "line", _("LINE")


# The applicant's rating of the service, 1 to 5, as the citizen sees each (the status page, LINE, the report).
SATISFACTION_SCORES = (
    (1, _("Very dissatisfied")),
    (2, _("Dissatisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (4, _("Satisfied")),
    (5, _("Very satisfied")),
)
# At or below this the status page (and LINE) offer to contact the office.
DISSATISFIED_AT_MOST = 2
