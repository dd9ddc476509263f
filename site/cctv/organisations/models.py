"""The municipality (organisation) an installation serves, one per Wagtail Site (ADR 0016).

Every row of request data and every list an organisation keeps carries a key to it (``organisation_key``); which
models are scoped how is declared in ``cctv.organisations.scope``, and a test fails when a new model is in no list.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cctv.organisations.context import current_scope
from cctv.organisations.naming import PREFIX
from cctv.thai.localised import localised


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Organisation(models.Model):
    site = models.OneToOneField(
        "wagtailcore.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="organisation"
    )
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    code = models.CharField(
        _("reference prefix"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(rf"^{PREFIX.pattern}$", _("Capital Latin letters and digits, from 2 to 12 of them."))
        ],
        help_text=_("Starts every reference number of this organisation, e.g. CCTV-2569-000001."),
    )
    active = models.BooleanField(
        _("open"),
        default=True,
        help_text=_("A closed organisation's public pages say the service is closed; its data stays under retention."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="organisations",
        help_text=_("Staff of this organisation. Their groups say what they may do; this says where."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self.name_th, self.name_en)


def sole_organisation_id() -> int | None:
    """The default of every organisation key: the installation's organisation while it has exactly one, so a
    single-municipality install (and code written before the key) goes on as it was. With two or more there is no
    default: whatever makes a row must say whose it is, and a row that does not fails its NOT NULL constraint
    instead of landing in the wrong municipality."""
    scope = current_scope()
    if scope is not None and len(scope) == 1:
        return next(iter(scope))  # a staff member of one organisation makes its rows
    ids = list(Organisation.objects.values_list("pk", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def organisation_key(**kwargs) -> models.ForeignKey:
    """The key that scopes a model to its organisation; PROTECT, since organisations are disabled, never deleted.
    Not editable: code sets it from the organisation at hand (the site, the request, the staff member's), never a
    form field a person could change."""
    kwargs.setdefault("verbose_name", _("organisation"))
    kwargs.setdefault("editable", False)
    kwargs.setdefault("related_name", "+")
    return models.ForeignKey(
        "cctv_organisations.Organisation", on_delete=models.PROTECT, default=sole_organisation_id, **kwargs
    )
