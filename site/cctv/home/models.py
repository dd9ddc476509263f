from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from cctv import field_encryption
from cctv.caching.routes import CachedRestrictionsMixin
from cctv.home.forms import ServiceSettingsForm


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


# The sealed credentials and the names their plain values go by (the settings form, reseal).
SEALED_FIELDS = {
    "sms_api_key_sealed": "sms_api_key",
    "sms_api_secret_sealed": "sms_api_secret",
    "line_channel_secret_sealed": "line_channel_secret",
    "line_channel_access_token_sealed": "line_channel_access_token",
}


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

    # Notifications: each organisation's own sender and SMS account; blank falls back to the installation's.
    sms_sender = models.CharField(
        _("SMS sender name"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9 .-]*$", _("Latin letters and digits only, at most 11."))],
        help_text=_(
            "As registered with the SMS provider (at most 11 Latin letters or digits). "
            "Blank: the installation's sender name."
        ),
    )
    # The account's API key and secret, sealed with the installation's field key (never in clear, never shown).
    sms_api_key_sealed = models.TextField(blank=True, editable=False)
    sms_api_secret_sealed = models.TextField(blank=True, editable=False)
    mail_from_name = models.CharField(
        _("e-mail sender name"), max_length=200, blank=True, help_text=_("Blank: the installation's sender name.")
    )
    mail_from_address = models.EmailField(
        _("e-mail sender address"),
        blank=True,
        help_text=_(
            "Blank: the installation's address. The address's domain must allow this installation's mail server "
            "to send for it (SPF, DKIM), or mailboxes will reject the mail."
        ),
    )

    # The organisation's LINE Official Account (issue #16): its basic ID for the "add friend" link, and the
    # channel's secret (checks the webhook's signature) and access token (pushes), sealed like the SMS account.
    line_basic_id = models.CharField(
        _("LINE Official Account ID"),
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^@[A-Za-z0-9._-]+$", _("Begins with @, as LINE shows it, e.g. @123abcde."))],
        help_text=_("As shown in LINE Official Account Manager, e.g. @123abcde. Blank: the installation's."),
    )
    line_channel_secret_sealed = models.TextField(blank=True, editable=False)
    line_channel_access_token_sealed = models.TextField(blank=True, editable=False)

    # The history keeps no sealed credential: a replaced secret is gone, not kept encrypted under an old key.
    history = HistoricalRecords(excluded_fields=list(SEALED_FIELDS))

    base_form_class = ServiceSettingsForm

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("organisation_name_en")], heading=_("Organisation")
        ),
        MultiFieldPanel([FieldPanel("contact_unit"), FieldPanel("contact_phone")], heading=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("collect_race"), FieldPanel("retention_days"), FieldPanel("approved_instructions")],
            heading=_("Requests"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("sms_sender"),
                FieldPanel("sms_api_key"),
                FieldPanel("sms_api_secret"),
                FieldPanel("sms_account_remove"),
                FieldPanel("mail_from_name"),
                FieldPanel("mail_from_address"),
            ],
            heading=_("Notifications"),
        ),
    ]

    class Meta:
        verbose_name = _("service settings")
        verbose_name_plural = _("service settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    def _purpose(self, name: str) -> bytes:
        # Bound to the site: a sealed value copied into another organisation's row does not open there.
        return f"cctv.service_settings.{name}:{self.site_id}".encode()

    @property
    def has_sms_account(self) -> bool:
        return bool(self.sms_api_key_sealed and self.sms_api_secret_sealed)

    def set_sms_account(self, *, api_key: str = "", api_secret: str = "") -> None:
        """Seals what is given; a blank value keeps the stored one."""
        if api_key:
            self.sms_api_key_sealed = field_encryption.seal(api_key, purpose=self._purpose("sms_api_key"))
        if api_secret:
            self.sms_api_secret_sealed = field_encryption.seal(api_secret, purpose=self._purpose("sms_api_secret"))

    def clear_sms_account(self) -> None:
        self.sms_api_key_sealed = self.sms_api_secret_sealed = ""

    def sms_account(self) -> tuple[str, str] | None:
        """(API key, API secret) of the organisation's own SMS account; None when it has none."""
        if not self.has_sms_account:
            return None
        return (
            field_encryption.unseal(self.sms_api_key_sealed, purpose=self._purpose("sms_api_key")),
            field_encryption.unseal(self.sms_api_secret_sealed, purpose=self._purpose("sms_api_secret")),
        )

    @property
    def has_line_channel(self) -> bool:
        return bool(self.line_channel_secret_sealed and self.line_channel_access_token_sealed)

    def set_line_channel(self, *, channel_secret: str = "", access_token: str = "") -> None:
        """Seals what is given; a blank value keeps the stored one."""
        if channel_secret:
            self.line_channel_secret_sealed = field_encryption.seal(
                channel_secret, purpose=self._purpose("line_channel_secret")
            )
        if access_token:
            self.line_channel_access_token_sealed = field_encryption.seal(
                access_token, purpose=self._purpose("line_channel_access_token")
            )

    def clear_line_channel(self) -> None:
        self.line_channel_secret_sealed = self.line_channel_access_token_sealed = ""

    def line_channel(self) -> tuple[str, str] | None:
        """(channel secret, channel access token) of the organisation's own LINE channel; None when it has none."""
        if not self.has_line_channel:
            return None
        return (
            field_encryption.unseal(self.line_channel_secret_sealed, purpose=self._purpose("line_channel_secret")),
            field_encryption.unseal(
                self.line_channel_access_token_sealed, purpose=self._purpose("line_channel_access_token")
            ),
        )

    def reseal(self) -> bool:
        """Seals the credentials again with the current key (rotate_field_key); False when nothing needed it."""
        resealed = False
        for name in SEALED_FIELDS.values():
            stored = getattr(self, f"{name}_sealed")
            if stored and not field_encryption.sealed_with_current_key(stored):
                purpose = self._purpose(name)
                plain = field_encryption.unseal(stored, purpose=purpose)
                setattr(self, f"{name}_sealed", field_encryption.seal(plain, purpose=purpose))
                resealed = True
        return resealed
