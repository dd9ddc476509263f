from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from cctv.caching.routes import CachedRestrictionsMixin


class HomePage(CachedRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cctv_forms.RequestFormPage", "cctv_home.PrivacyPolicyPage"]
    max_count = 1
    template = "pages/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The form page type belongs to the forms app, which builds on this one: looked up by label.
        form_page = apps.get_model("cctv_forms", "RequestFormPage")
        context["form_pages"] = form_page.objects.live().child_of(self).only("title", "url_path")
        return context


class PrivacyPolicyPage(CachedRestrictionsMixin, Page):
    """The privacy notice (PDPA). Every published version is a revision, and each request records
    the revision its applicant accepted."""

    summary = models.TextField(
        _("short notice"),
        help_text=_("Shown on the request form right above the consent box."),
    )
    body = RichTextField(_("full policy"), blank=True)
    consent_label = models.CharField(
        _("consent statement"),
        max_length=300,
        help_text=_("The sentence the applicant ticks to accept the policy."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("consent_label"),
    ]
    parent_page_types = ["cctv_home.HomePage"]
    subpage_types = []
    template = "pages/privacy_policy_page.html"

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")


@register_setting(icon="cog")
class ServiceSettings(BaseSiteSetting):
    """What differs between organisations, editable without code."""

    organisation_name = models.CharField(_("organisation name (Thai)"), max_length=200)
    organisation_name_en = models.CharField(_("organisation name (English)"), max_length=200, blank=True)
    contact_unit = models.CharField(
        _("contact unit"), max_length=200, blank=True, help_text=_("e.g. ฝ่ายบริหารงานทั่วไป กองช่าง")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=60, blank=True)
    collect_race = models.BooleanField(
        _("ask for race"),
        default=True,
        help_text=_(
            "Race is sensitive personal data (PDPA section 26). When on, the form asks for it as an optional field."
        ),
    )
    retention_days = models.PositiveIntegerField(
        _("retention of requests (days)"),
        default=3 * 365,
        help_text=_("Requests are deleted this many days after they end. The seed's notice says 3 years."),
    )
    # Each request type has its own text (viewing and copying are done differently); this one is shown only
    # for a type whose own text is empty.
    approved_instructions = models.TextField(
        _("what to do after approval (when the request type has no text)"),
        blank=True,
        help_text=_(
            "Each request type has its own text (Request types). This one is shown only for a type whose text is empty."
        ),
    )

    history = HistoricalRecords()

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("organisation_name_en")], heading=_("Organisation")
        ),
        MultiFieldPanel([FieldPanel("contact_unit"), FieldPanel("contact_phone")], heading=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("collect_race"), FieldPanel("retention_days"), FieldPanel("approved_instructions")],
            heading=_("Requests"),
        ),
    ]

    class Meta:
        verbose_name = _("service settings")
        verbose_name_plural = _("service settings")

    def __str__(self):
        return str(self._meta.verbose_name)
