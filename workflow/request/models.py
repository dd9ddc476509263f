import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from workflow import lifecycle
from workflow.constants import AttachmentKind, Channel, Title
from workflow.lifecycle import PublicStatus
from workflow.request import encryption
from workflow.request.files import private_storage, random_name

# Defined beside the request; imported here so that the request's module names every model of the aggregate.
from workflow.request.types import DEFAULT_APPROVED_INSTRUCTIONS, ReferenceCounter, RequestType  # noqa: F401


def signature_path(instance, filename):
    return random_name("signatures", filename)


def attachment_path(instance, filename):
    return random_name("attachments", filename)


def new_token() -> str:
    # 192 bits: the QR link is the only key to the status page.
    return secrets.token_urlsafe(24)


class FootageRequestQuerySet(models.QuerySet):
    def for_status_page(self):
        return self.select_related("request_type", "station")

    def of_person(self, national_id: str):
        """Requests of the person with this ID number, found by its keyed hash."""
        return self.filter(national_id_digest=encryption.lookup_digest(national_id))


class FootageRequest(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A citizen's request to view or copy CCTV footage.

    Personal data lives only here, in its attachments and in its revisions; ``__str__`` is the reference
    alone because it becomes the label in Wagtail's logs.
    """

    organisation = organisation_key()
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    request_type = models.ForeignKey(
        RequestType, verbose_name=_("purpose"), on_delete=models.PROTECT, related_name="requests"
    )
    file_count = models.PositiveSmallIntegerField(_("number of files"), null=True, blank=True)
    station = models.ForeignKey(
        "cctv_stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="requests"
    )
    cameras = ParentalManyToManyField("cctv_stations.Camera", verbose_name=_("cameras"), blank=True)
    written_on = models.DateField(_("date of writing"))
    incident_date = models.DateField(_("date of incident"))
    incident_time = models.TimeField(_("time (approximate)"))
    incident_time_end = models.TimeField(_("until (approximate)"), null=True, blank=True)
    reason = models.TextField(_("reason / need"))

    title = models.CharField(pgettext_lazy("person title", "title"), max_length=10, choices=Title.choices)
    title_other = models.CharField(_("other title"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    national_id_encrypted = models.TextField(editable=False)
    national_id_digest = models.CharField(max_length=64, db_index=True, editable=False)
    age = models.PositiveSmallIntegerField(_("age"))
    race = models.CharField(_("race"), max_length=50, blank=True)
    nationality = models.CharField(_("nationality"), max_length=50)
    address_house_no = models.CharField(_("house number"), max_length=50)
    address_village = models.CharField(_("village / moo"), max_length=100, blank=True)
    address_road = models.CharField(_("road / soi"), max_length=100, blank=True)
    address_subdistrict = models.CharField(_("sub-district"), max_length=100)
    address_district = models.CharField(_("district"), max_length=100)
    address_province = models.CharField(_("province"), max_length=100)
    address_postcode = models.CharField(_("postcode"), max_length=5)
    phone = models.CharField(_("phone"), max_length=10, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # How the applicant chose to be told (issue #16). LINE reaches them once a LINE account is linked to the
    # request (workflow/line); until then, and when LINE fails for good, they get SMS.
    notify_by = models.CharField(_("notify by"), max_length=10, choices=Channel.choices, default=Channel.SMS)

    signature = models.FileField(_("signature"), storage=private_storage, upload_to=signature_path)
    extra_answers = models.JSONField(_("additional answers"), default=dict, blank=True)

    privacy_policy_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("privacy policy version accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consented_at = models.DateTimeField(_("consent given at"))

    public_status = models.CharField(
        _("status"), max_length=20, choices=PublicStatus.choices, default=PublicStatus.PENDING, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # The step the request waits at and since when, copied from its workflow state by workflow/receivers.py
    # so that a queue is one indexed query however many requests there are.
    current_task = models.ForeignKey(
        "wagtailcore.Task",
        verbose_name=_("waiting at step"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    step_started_at = models.DateTimeField(_("waiting since"), null=True, blank=True, editable=False)
    # The first day the recorder may have overwritten the incident: the incident date plus the shortest
    # retention of the chosen cameras (or of the station). Set at submission; queues sort by it.
    footage_overwritten_on = models.DateField(_("footage overwritten on"), null=True, blank=True, editable=False)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    no_footage_reason = models.ForeignKey(
        "cctv_workflow.NoFootageReason",
        verbose_name=_("no footage because"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    no_footage_note = models.TextField(_("no-footage note for the applicant"), blank=True, editable=False)
    public_message = models.TextField(
        _("message to the applicant"),
        blank=True,
        help_text=_("What staff asked for, or why the request was declined or cancelled."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)

    objects = ScopedManager.from_queryset(FootageRequestQuerySet)()

    # Staff search requests with indexed lookups (workflow.selectors.request_search), not Wagtail's search
    # index, and nothing links to a request: keeping either index up to date cost seven queries a submission.
    wagtail_reference_index_ignore = True

    # Fields set by events, not by editing: a revision being published must not roll them back.
    EVENT_FIELDS = (
        "reference",
        "token",
        "public_status",
        "status_changed_at",
        "submitted_at",
        "public_message",
        "current_task_id",
        "step_started_at",
        "footage_overwritten_on",
        "at_risk_notified_at",
        "no_footage_reason_id",
        "no_footage_note",
        # The applicant's channel: linking LINE (workflow/line/links.py) changes it.
        "notify_by",
    )

    class Meta:
        verbose_name = _("footage request")
        verbose_name_plural = _("footage requests")
        ordering = ["-submitted_at"]
        indexes = [
            # One organisation's listing costs what a single installation's did (ADR 0016).
            models.Index(fields=["organisation", "-submitted_at"], name="request_organisation_submitted"),
            models.Index(fields=["public_status", "submitted_at"], name="request_status_submitted"),
            models.Index(fields=["current_task", "step_started_at"], name="request_queue"),
            models.Index(fields=["current_task", "footage_overwritten_on"], name="request_queue_footage"),
        ]

    def __str__(self):
        return self.reference

    def get_workflow(self):
        return self.request_type.workflow

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.EVENT_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    @property
    def national_id(self) -> str:
        return encryption.decrypt_text(self.national_id_encrypted) if self.national_id_encrypted else ""

    @national_id.setter
    def national_id(self, value: str) -> None:
        self.national_id_encrypted = encryption.encrypt_text(value)
        self.national_id_digest = encryption.lookup_digest(value)

    @property
    def title_display(self) -> str:
        return self.title_other if self.title == Title.OTHER else self.get_title_display()

    @property
    def needs_applicant_answer(self) -> bool:
        """Staff asked for more information and wait for the applicant (one query, only in a status where
        lifecycle says they may be waiting)."""
        if not lifecycle.may_await_applicant(self.public_status):
            return False
        from wagtail.models import WorkflowState

        return WorkflowState.objects.filter(
            base_content_type_id=self.get_base_content_type().pk,
            object_id=str(self.pk),
            status=WorkflowState.STATUS_NEEDS_CHANGES,
        ).exists()

    @property
    def is_open(self) -> bool:
        return lifecycle.is_open(self.public_status)


class Attachment(models.Model):
    """A document the applicant attached, stored privately under a random name."""

    request = ParentalKey(FootageRequest, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    label = models.CharField(_("label"), max_length=255, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"
