"""Request types (view or copy: which workflow and what the applicant is told after approval) and the
reference-number sequence."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from cctv.thai.localised import localised
from workflow.constants import RequestKind

# What an approved request's applicant does next, for each kind of request (the texts a new request type starts
# with; editors change them per type). Viewing and copying are done differently: one text for both told people who
# asked to view to bring a storage device.
DEFAULT_APPROVED_INSTRUCTIONS = {
    RequestKind.VIEW: (
        "ท่านสามารถมาดูภาพได้ที่สำนักงาน โดยนำบัตรประจำตัวประชาชนตัวจริงมาด้วย "
        "กรุณาเลือกเวลาเข้าชมจากเวลาที่เจ้าหน้าที่เสนอไว้ในหน้านี้ หรือโทรติดต่อเจ้าหน้าที่เพื่อนัดเวลาก่อนเดินทางมา",
        "Come to the office to view the footage and bring your national ID card. Choose one of the times staff "
        "offer on this page, or call the staff to agree a time before you come.",
    ),
    RequestKind.COPY: (
        "ท่านสามารถนำอุปกรณ์บันทึกข้อมูล (เช่น แฟลชไดรฟ์) พร้อมบัตรประจำตัวประชาชนตัวจริง มารับสำเนาภาพได้ที่สำนักงาน "
        "หรือดาวน์โหลดสำเนาจากลิงก์ในหน้านี้เมื่อเจ้าหน้าที่จัดทำเสร็จแล้ว",
        "Bring a storage device (such as a USB flash drive) and your national ID card to the office to receive the "
        "copy, or download it from the link on this page once staff have made it.",
    ),
}


class RequestType(models.Model):
    """View or copy footage; decides which Wagtail workflow a request goes through."""

    organisation = organisation_key()
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
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
    approved_instructions_th = models.TextField(
        _("what to do after approval (Thai)"),
        blank=True,
        help_text=_("Shown to the applicant when a request of this type is approved."),
    )
    approved_instructions_en = models.TextField(_("what to do after approval (English)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    panels = [
        FieldPanel("kind"),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("needs_file_count"),
        FieldPanel("workflow"),
        FieldPanel("approved_instructions_th"),
        FieldPanel("approved_instructions_en"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]

    objects = ScopedManager()

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="request_kind_per_organisation")]
        verbose_name = _("request type")
        verbose_name_plural = _("request types")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # A new type starts with its kind's text, which editors then see and change (an empty text stays empty).
        if self._state.adding and not (self.approved_instructions_th or self.approved_instructions_en):
            default = DEFAULT_APPROVED_INSTRUCTIONS.get(self.kind)
            if default:
                self.approved_instructions_th, self.approved_instructions_en = default
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return localised(self.name_th, self.name_en)

    @property
    def approved_instructions(self) -> str:
        return localised(self.approved_instructions_th, self.approved_instructions_en)


class ReferenceCounter(models.Model):
    """The last reference number an organisation issued in a Buddhist-Era year; its row is locked while a number
    is taken, so numbers are gap-free and unique per organisation and year."""

    organisation = organisation_key()
    year_be = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year_be"], name="one_counter_per_organisation_year")
        ]

    def __str__(self):
        return f"{self.year_be}: {self.last_number}"
