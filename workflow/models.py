import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import AbstractGroupApprovalTask, DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from cctv.localised import localised

from . import encryption
from .constants import AttachmentKind, Channel, DecisionAction, NotificationEvent, PublicStatus, RequestKind, Title
from .editable_lists import EditableListItem
from .files import private_storage, random_name
from .panels import RequestSummaryPanel


def signature_path(instance, filename):
    return random_name("signatures", filename)


def attachment_path(instance, filename):
    return random_name("attachments", filename)


def new_token() -> str:
    # 192 bits: the QR link is the only key to the status page.
    return secrets.token_urlsafe(24)


class RequestType(models.Model):
    """View or copy footage; decides which Wagtail workflow a request goes through."""

    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    needs_file_count = models.BooleanField(
        _("asks for the number of files"), default=False, help_text=_("On for copies.")
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("approval workflow"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    panels = [
        FieldPanel("kind"),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("needs_file_count"),
        FieldPanel("workflow"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("request type")
        verbose_name_plural = _("request types")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self.name_th, self.name_en)


class ReferenceSequence(models.Model):
    """The last reference number issued in a Buddhist-Era year; its row is locked while a number is taken."""

    year_be = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year_be}: {self.last_number}"


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

    title = models.CharField(_("title"), max_length=10, choices=Title.choices)
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
    # The step the request waits at and since when, copied from its workflow state by workflow/current_step.py
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

    objects = FootageRequestQuerySet.as_manager()

    panels = [
        RequestSummaryPanel(heading=_("Request")),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("address_house_no"),
                FieldPanel("address_village"),
                FieldPanel("address_road"),
                FieldPanel("address_subdistrict"),
                FieldPanel("address_district"),
                FieldPanel("address_province"),
                FieldPanel("address_postcode"),
                FieldPanel("correction_reason"),
            ],
            heading=_("Correct contact details"),
            classname="collapsed",
        ),
    ]

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
    )

    class Meta:
        verbose_name = _("footage request")
        verbose_name_plural = _("footage requests")
        ordering = ["-submitted_at"]
        indexes = [
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
        """Staff asked for more information and wait for the applicant (one query, only when received)."""
        if self.public_status != PublicStatus.RECEIVED:
            return False
        from wagtail.models import WorkflowState

        return WorkflowState.objects.filter(
            base_content_type_id=self.get_base_content_type().pk,
            object_id=str(self.pk),
            status=WorkflowState.STATUS_NEEDS_CHANGES,
        ).exists()

    @property
    def is_open(self) -> bool:
        return self.public_status in (PublicStatus.PENDING, PublicStatus.RECEIVED)


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

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.pk})"


class RefusalReason(EditableListItem):
    """Why a request can be declined; editors keep the list, approvers pick one."""

    history = HistoricalRecords()

    class Meta(EditableListItem.Meta):
        verbose_name = _("refusal reason")
        verbose_name_plural = _("refusal reasons")


class ApprovalTask(AbstractGroupApprovalTask):
    """One level of the approval chain (officer, head of the CCTV centre, deputy chief, chief executive).

    Actions: approve, request more information (comment required), decline (reason and comment required),
    cancel (comment required: for example the applicant withdrew by phone).
    The checks live in ``services.act_on_task`` so that they hold however the action arrives.
    """

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
                (DecisionAction.REQUEST_INFO.value, _("Request more information"), True),
                (DecisionAction.DECLINE.value, _("Decline"), True),
                (DecisionAction.CANCEL.value, _("Cancel request"), True),
            ]
        return []

    def get_form_for_action(self, action):
        from .forms import DeclineForm, RequestInformationForm, StaffCancelForm

        if action == DecisionAction.DECLINE:
            return DeclineForm
        if action == DecisionAction.CANCEL:
            return StaffCancelForm
        if action == DecisionAction.REQUEST_INFO:
            return RequestInformationForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from . import services

        if action_name == DecisionAction.CANCEL:
            services.cancel_request_by_staff(
                footage_request=FootageRequest.objects.get(pk=task_state.workflow_state.object_id),
                user=user,
                comment=kwargs.get("comment", ""),
            )
            return
        services.act_on_task(task_state=task_state, user=user, action=action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, ask for more information or decline footage requests")

    class Meta:
        verbose_name = _("footage request approval")
        verbose_name_plural = _("footage request approvals")


class Decision(models.Model):
    """An approver's decision on a request: append-only, one row per action taken."""

    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="decisions")
    task_state = models.ForeignKey("wagtailcore.TaskState", null=True, on_delete=models.SET_NULL, related_name="+")
    task_name = models.CharField(_("step"), max_length=255)
    action = models.CharField(_("decision"), max_length=20, choices=DecisionAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    reason = models.ForeignKey(
        RefusalReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("decision")

    def __str__(self):
        return f"{self.get_action_display()} ({self.pk})"


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

    request = models.ForeignKey(FootageRequest, on_delete=models.CASCADE, related_name="notifications")
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


class RequestStatistic(models.Model):
    """Anonymised counts kept when requests are deleted (the notice's "reports and statistics")."""

    month = models.DateField(_("month"))
    station_code = models.CharField(_("station"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    final_status = models.CharField(_("status"), max_length=20, choices=PublicStatus.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("request statistic")
        constraints = [
            models.UniqueConstraint(fields=["month", "station_code", "kind", "final_status"], name="one_row_per_bucket")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.station_code} {self.kind} {self.final_status}: {self.count}"


# The models of serving a request after submission (steps, preservation, review, release, receipts).
from .handling import (  # noqa: E402, F401
    Appointment,
    CopyDownload,
    DeliveredCopy,
    FootagePreservation,
    LegalBasis,
    NoFootageReason,
    PrivacyDecision,
    Receipt,
    ReviewFinding,
    ServiceStep,
    StepRecord,
)
