from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder, WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import RichTextField

from cctv.caching.routes import CachedRestrictionsMixin
from cctv.thai.dates import BuddhistEraDateField
from forms.fields import BuddhistEraDateTimeField
from forms.question_labels import label_errors
from forms.uploads import SanitisedFileField

# Wagtail's types with labels of our own: its msgids ("Date", "URL", "Email"...) are shared with the rest of
# the admin, where they mean other things, so the Thai wording is given under our own context.
EXTRA_FIELD_CHOICES = (
    ("singleline", pgettext_lazy("form field type", "Single line text")),
    ("multiline", pgettext_lazy("form field type", "Multi-line text")),
    ("email", pgettext_lazy("form field type", "E-mail")),
    ("number", pgettext_lazy("form field type", "Number")),
    ("url", pgettext_lazy("form field type", "Link (URL)")),
    ("checkbox", pgettext_lazy("form field type", "Checkbox")),
    ("checkboxes", pgettext_lazy("form field type", "Checkboxes")),
    ("dropdown", pgettext_lazy("form field type", "Drop-down list")),
    ("multiselect", pgettext_lazy("form field type", "List, several choices")),
    ("radio", pgettext_lazy("form field type", "Radio buttons")),
    ("date", pgettext_lazy("form field type", "Date (Buddhist Era)")),
    ("datetime", pgettext_lazy("form field type", "Date (Buddhist Era) and time")),
    ("hidden", pgettext_lazy("form field type", "Hidden field")),
    ("file", pgettext_lazy("form field type", "File upload (PDF, JPEG or PNG)")),
)


class RequestFormField(AbstractFormField):
    """An extra question an editor adds below the fixed core form."""

    page = ParentalKey("RequestFormPage", on_delete=models.CASCADE, related_name="form_fields")
    # Wagtail's "label" reads "ชื่อ" (name) in the project's Thai catalogue: in the form builder it is the question.
    label = models.CharField(
        pgettext_lazy("form builder", "Question"),
        max_length=255,
        help_text=_("The question as citizens read it on the form."),
    )
    field_type = models.CharField(_("field type"), max_length=16, choices=EXTRA_FIELD_CHOICES)
    field_type.required_on_save = True  # as Wagtail's own: previews build the field from it
    # Wagtail escapes each Thai character of the label as "u0e..." (5 characters): a 255-character clean name
    # would fail on PostgreSQL for any Thai label longer than 51 characters.
    clean_name = models.CharField(
        _("name"),
        max_length=255 * 5,
        blank=True,
        default="",
        help_text=_("Safe name of the form field, the label converted to ascii_snake_case"),
    )
    # Most extra questions are optional; an editor ticks the ones a citizen must answer.
    required = models.BooleanField(_("required"), default=False)

    def clean(self):
        super().clean()
        error = label_errors(self.label) if self.label else None
        if error:
            raise ValidationError({"label": error})


class RequestFormBuilder(FormBuilder):
    """Wagtail's form builder with the project's fields: Buddhist-Era dates (as the core form asks them,
    with its Thai calendar), stored as Christian-Era dates; and sanitised uploads."""

    def create_date_field(self, field, options):
        options["help_text"] = options["help_text"] or _("Day/month/Buddhist-Era year, e.g. 16/02/2569.")
        return BuddhistEraDateField(**options)

    def create_datetime_field(self, field, options):
        options["help_text"] = options["help_text"] or _(
            "Day/month/Buddhist-Era year, e.g. 16/02/2569, and the time, e.g. 14:30."
        )
        return BuddhistEraDateTimeField(**options)

    def create_file_field(self, field, options):
        return SanitisedFileField(**options)


class RequestFormPageAdminForm(WagtailAdminFormPageForm):
    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("form_fields")
        if formset is not None:
            for form in formset.forms:
                label = form.cleaned_data.get("label") if hasattr(form, "cleaned_data") else None
                error = label_errors(label) if label and not form.cleaned_data.get("DELETE") else None
                if error:
                    form.add_error("label", error)
        return cleaned_data


class RequestFormPage(CachedRestrictionsMixin, AbstractForm):
    """The public form to view or copy CCTV footage: a fixed core form (the seed's fields) plus the
    extra questions editors add with Wagtail's form builder."""

    intro = RichTextField(_("introduction"), blank=True)
    help_text = RichTextField(_("help before the form"), blank=True)
    thank_you_text = RichTextField(_("text after submission"), blank=True)

    form_builder = RequestFormBuilder
    base_form_class = RequestFormPageAdminForm
    template = "forms/request_form_page.html"
    landing_page_template = "forms/request_form_page.html"
    parent_page_types = ["cctv_home.HomePage"]
    subpage_types = []

    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        FieldPanel("help_text"),
        InlinePanel("form_fields", label=_("Additional questions")),
        MultiFieldPanel([FieldPanel("thank_you_text")], heading=_("After submission")),
    ]

    class Meta:
        verbose_name = _("request form page")
        verbose_name_plural = _("request form pages")

    def get_form_class(self):
        from forms.forms import build_request_form_class

        return build_request_form_class(self.get_form_fields())

    def get_form_fields(self):
        return self.form_fields.all()

    def serve(self, request, *args, **kwargs):
        from forms.views import serve_request_form

        return serve_request_form(request, self)

    def serve_preview(self, request, mode_name):
        context = self.get_context(request)
        context["form"] = self.get_form(page=self, user=request.user)
        return TemplateResponse(request, self.get_template(request), context)
