from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder, WagtailAdminFormPageForm
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractForm, AbstractFormField
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.fields import RichTextField

from cctv.caching.routes import CachedRestrictionsMixin
from forms.uploads import SanitisedFileField

EXTRA_FIELD_CHOICES = (*FORM_FIELD_CHOICES, ("file", _("File upload (PDF, JPEG or PNG)")))


def reserved_names() -> frozenset[str]:
    from forms.forms import CoreRequestForm

    return CoreRequestForm.reserved_names()


class RequestFormField(AbstractFormField):
    """An extra question an editor adds below the fixed core form."""

    page = ParentalKey("RequestFormPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("field type"), max_length=16, choices=EXTRA_FIELD_CHOICES)

    def clean(self):
        super().clean()
        if self.label and get_field_clean_name(self.label) in reserved_names():
            raise ValidationError(
                {"label": _("This name is used by a built-in field of the request form. Choose another label.")}
            )


class RequestFormBuilder(FormBuilder):
    def create_file_field(self, field, options):
        return SanitisedFileField(**options)


class RequestFormPageAdminForm(WagtailAdminFormPageForm):
    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("form_fields")
        if formset is not None:
            reserved = reserved_names()
            for form in formset.forms:
                label = form.cleaned_data.get("label") if hasattr(form, "cleaned_data") else None
                if label and not form.cleaned_data.get("DELETE") and get_field_clean_name(label) in reserved:
                    form.add_error(
                        "label",
                        _("This name is used by a built-in field of the request form. Choose another label."),
                    )
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
