"""Serving a request after it is submitted: the city manual's steps with their time standards, keeping the
footage before the recorder overwrites it, the review, the privacy decision and viewing appointments.
The copies handed over and their receipts are in ``workflow.handling.copies``.

Models live here and are imported by workflow.models (one Django app). Every row belongs to a request and
is erased with it (workflow/privacy/retention.py names each of them; a test checks the list is complete).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from cctv.thai.dates import format_be_datetime
from cctv.thai.localised import localised
from workflow.editable_lists import EditableListItem

# Migration 0011 and callers name these from here.
from workflow.handling.copies import (  # noqa: F401 - re-exported
    SHA256_VALIDATOR,
    CopyDownload,
    DeliveredCopy,
    Receipt,
    copy_path,
    new_download_token,
    new_receipt_code,
    sha256_of,
)
from workflow.handling.fields import TYPING_GRACE


class ServiceStep(models.Model):
    """A step of the city's operating manual with its time standard; editors change them in the admin."""

    class Unit(models.TextChoices):
        REQUEST = "request", _("per request")
        CAMERA = "camera", _("per camera")
        FILE = "file", _("per file asked for")

    organisation = organisation_key()
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    public_name_th = models.CharField(
        _("name shown to the applicant (Thai)"), max_length=200, blank=True, help_text=_("Empty: the name above.")
    )
    public_name_en = models.CharField(_("name shown to the applicant (English)"), max_length=200, blank=True)
    standard_minutes = models.PositiveSmallIntegerField(_("time standard (minutes)"))
    unit = models.CharField(_("counted"), max_length=10, choices=Unit.choices, default=Unit.REQUEST)
    copies_only = models.BooleanField(_("only for copies"), default=False)
    per_camera = models.BooleanField(
        _("recorded per camera"), default=False, help_text=_("Staff record this step once for each camera.")
    )
    approval = models.BooleanField(
        _("done by the approval workflow"),
        default=False,
        help_text=_("Timed from the workflow's decisions instead of recorded by hand."),
    )
    note_th = models.CharField(_("note (Thai)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    objects = ScopedManager()

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="step_code_per_organisation")]
        verbose_name = _("service step")
        verbose_name_plural = _("service steps")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self.name_th, self.name_en)

    @property
    def public_name(self) -> str:
        return localised(self.public_name_th or self.name_th, self.public_name_en or self.name_en)

    def applies_to(self, *, is_copy: bool) -> bool:
        return self.active and (is_copy or not self.copies_only)

    def standard_for(self, *, cameras: int, files: int) -> int:
        """Minutes this step should take for a request with this many cameras and files."""
        count = {self.Unit.REQUEST: 1, self.Unit.CAMERA: max(cameras, 1), self.Unit.FILE: max(files, 1)}[self.unit]
        return self.standard_minutes * count


class StepRecord(models.Model):
    """One piece of work a staff member did on a request: which step, on which camera, from when to when."""

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        PROBLEM = "problem", _("Done with a problem (see notes)")

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="step_records")
    step = models.ForeignKey(ServiceStep, on_delete=models.PROTECT, related_name="records", verbose_name=_("step"))
    camera = models.ForeignKey(
        "cctv_stations.Camera",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("camera"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    started_at = models.DateTimeField(_("started"))
    # Empty while the work is under way (started with the panel's start button, not stopped yet).
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    notes = models.TextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        permissions = [
            ("handle_footage", _("Can record the handling of footage requests")),
            ("view_service_report", _("Can see the time-against-standard report")),
        ]
        indexes = [models.Index(fields=["step", "started_at"], name="step_record_step_started")]

    def __str__(self):
        return f"{self.step_id} ({self.pk})"

    def clean(self):
        errors = {}
        # Times are typed to the minute: one in the current minute, or in the minute the request came, is fine.
        latest = timezone.now() + TYPING_GRACE
        submitted = self.request.submitted_at.replace(second=0, microsecond=0) if self.request_id else None
        if self.started_at and submitted and self.started_at < submitted:
            errors["started_at"] = _("The start cannot be before the request was submitted (%(submitted)s).") % {
                "submitted": format_be_datetime(self.request.submitted_at)
            }
        elif self.started_at and self.started_at > latest:
            errors["started_at"] = _("The start cannot be in the future.")
        if self.ended_at and self.ended_at > latest:
            errors["ended_at"] = _("The end cannot be in the future.")
        elif self.started_at and self.ended_at and self.ended_at <= self.started_at:
            errors["ended_at"] = _("The end must be after the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def minutes(self) -> float | None:
        if self.ended_at is None:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 60, 1)


class FootagePreservation(models.Model):
    """The clip was exported from the recorder and locked, so a slow approval cannot lose it."""

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="preservations")
    cameras = models.ManyToManyField("cctv_stations.Camera", related_name="+", verbose_name=_("cameras"))
    clip_from = models.DateTimeField(_("clip from"))
    clip_to = models.DateTimeField(_("clip to"))
    kept_at = models.CharField(
        _("kept at"), max_length=200, help_text=_("Where the locked export is, e.g. 'NVR-2 locked export 14'.")
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("footage preservation")
        verbose_name_plural = _("footage preservations")

    def __str__(self):
        return f"preservation {self.pk}"

    def clean(self):
        if self.clip_from and self.clip_to and self.clip_to <= self.clip_from:
            raise ValidationError({"clip_to": _("The end of the clip must be after its start.")})


class NoFootageReason(EditableListItem):
    """Why there is no footage to give, in words the applicant is shown."""

    history = HistoricalRecords()

    class Meta(EditableListItem.Meta):
        verbose_name = _("no-footage reason")
        verbose_name_plural = _("no-footage reasons")


class LegalBasis(EditableListItem):
    """A law or rule a privacy decision rests on (the manual lists seven); editors keep the list."""

    text_th = models.CharField(_("law or rule (Thai)"), max_length=300)
    text_en = models.CharField(_("law or rule (English)"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta(EditableListItem.Meta):
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")


class ReviewFinding(models.Model):
    """What the review of one camera found."""

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="findings")
    camera = models.ForeignKey(
        "cctv_stations.Camera",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("camera"),
    )
    found_from = models.TimeField(_("found from"))
    found_to = models.TimeField(_("found to"))
    description = models.TextField(_("what the footage shows"))
    third_parties_identifiable = models.BooleanField(
        _("other people can be identified"),
        default=False,
        help_text=_("Faces, number plates or anything else that identifies someone other than the applicant."),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")

    def __str__(self):
        return f"finding {self.pk}"


class PrivacyDecision(models.Model):
    """How the footage may be released; the latest decision counts."""

    class Release(models.TextChoices):
        AS_IS = "as_is", _("Release as it is")
        OFFICE_ONLY = "office_only", _("View only at the office")
        BLURRED = "blurred", _("Release after blurring other people")
        POLICE_ONLY = "police_only", _("Release only to the police")

    request = models.ForeignKey(
        "cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="privacy_decisions"
    )
    release = models.CharField(_("release"), max_length=20, choices=Release.choices)
    legal_basis = models.ForeignKey(
        LegalBasis, on_delete=models.PROTECT, related_name="+", verbose_name=_("legal basis")
    )
    reasoning = models.TextField(_("reasoning"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("privacy decision")
        verbose_name_plural = _("privacy decisions")

    def __str__(self):
        return f"privacy decision {self.pk}"

    @property
    def allows_copies(self) -> bool:
        return self.release in (self.Release.AS_IS, self.Release.BLURRED)


class Appointment(models.Model):
    """A time staff offer for viewing at the office; the applicant picks one of the offered times."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        CHOSEN = "chosen", _("Chosen by the applicant")
        WITHDRAWN = "withdrawn", _("No longer offered")

    request = models.ForeignKey("cctv_workflow.FootageRequest", on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("offered by")
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self):
        return f"appointment {self.pk}"
