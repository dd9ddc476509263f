from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from cctv.history import ClusterHistoricalRecords
from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from cctv.thai.localised import localised

RETENTION_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3650)]


class StationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Station(index.Indexed, ClusterableModel):
    """A place where the organisation runs CCTV cameras (the seed lists six)."""

    organisation = organisation_key()
    code = models.SlugField(_("code"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True, help_text=_("Only active stations appear on the form."))
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    recorder_retention_days = models.PositiveIntegerField(
        _("recorder retention (days)"),
        default=30,
        validators=RETENTION_VALIDATORS,
        help_text=_("How long the recorder keeps footage before overwriting it."),
    )

    history = HistoricalRecords()
    objects = ScopedManager.from_queryset(StationQuerySet)()

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
        FieldPanel("name_th"),
        FieldPanel("name_en"),
        FieldPanel("district"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("active"), FieldPanel("recorder_retention_days")]),
        MultiFieldPanel([InlinePanel("cameras", label=_("camera"))], heading=_("Cameras")),
    ]
    search_fields = [
        index.SearchField("name_th"),
        index.SearchField("name_en"),
        index.SearchField("district"),
        index.FilterField("active"),
        index.AutocompleteField("name_th"),
    ]

    class Meta:
        ordering = ["sort_order", "name_th"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="station_code_per_organisation")]
        verbose_name = _("station")
        verbose_name_plural = _("stations")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self.name_th, self.name_en)


class Camera(Orderable):
    station = ParentalKey(Station, on_delete=models.CASCADE, related_name="cameras")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True, help_text=_("Where it points."))
    active = models.BooleanField(_("active"), default=True)
    recorder_retention_days = models.PositiveIntegerField(
        _("recorder retention (days)"),
        null=True,
        blank=True,
        validators=RETENTION_VALIDATORS,
        help_text=_("Leave empty to use the station's."),
    )

    history = ClusterHistoricalRecords()

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("position"),
        FieldRowPanel([FieldPanel("active"), FieldPanel("recorder_retention_days")]),
    ]

    objects = ScopedManager()

    class Meta(Orderable.Meta):
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        constraints = [models.UniqueConstraint(fields=["station", "code"], name="camera_code_unique_per_station")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def retention_days(self) -> int:
        return self.recorder_retention_days or self.station.recorder_retention_days
