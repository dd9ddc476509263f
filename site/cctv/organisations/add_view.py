"""The console's "เพิ่มหน่วยงาน" (add organisation): the superuser gives the host name, the names, the reference
prefix and the phone number; everything the municipality needs is made (cctv.organisations.console.add_organisation)
and the page says what. A bad host or prefix, a host that already serves and another organisation's prefix are
refused on the form, in the admin's language."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cctv.organisations import console
from cctv.organisations.naming import HOST_NAME, PREFIX

URL_NAME = "cctv_organisations_add"


class NewOrganisationForm(forms.Form):
    host = forms.CharField(
        label=_("host name"), max_length=255, help_text=_("The public host name alone, e.g. cctv.example.go.th.")
    )
    port = forms.IntegerField(
        label=_("port"),
        min_value=1,
        max_value=65535,
        initial=443,
        help_text=_("443 for a public site: links in messages then start with https:// and name no port."),
    )
    name_th = forms.CharField(label=_("name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    code = forms.CharField(
        label=_("reference prefix"),
        max_length=12,
        help_text=_("Starts every reference number of this organisation, e.g. CCTV-2569-000001."),
    )
    phone = forms.CharField(label=_("phone number applicants call"), max_length=100, required=False)

    def clean_host(self):
        host = self.cleaned_data["host"].strip().lower()
        if not HOST_NAME.fullmatch(host):
            raise forms.ValidationError(_("Give the host name alone, without https://, a port or a path."))
        return host

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not PREFIX.fullmatch(code):
            raise forms.ValidationError(_("Capital Latin letters and digits, from 2 to 12 of them."))
        return code


class OrganisationAddView(WagtailAdminTemplateMixin, FormView):
    form_class = NewOrganisationForm
    template_name = "organisations/admin/add.html"
    header_icon = "site"
    index_url_name = "cctv_organisations:index"
    # The maker's field names, as this form calls them.
    FIELDS = {"host": "host", "prefix": "code"}

    def dispatch(self, request, *args, **kwargs):
        if not console.is_console_user(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _t("Add organisation")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _t("Organisations")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(index_url=reverse(self.index_url_name), **kwargs)

    def form_valid(self, form):
        try:
            setup = console.add_organisation(user=self.request.user, **form.cleaned_data)
        except console.OrganisationRefused as refused:
            form.add_error(self.FIELDS.get(refused.field), str(refused))
            return self.form_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=None,
                organisation=setup.organisation,
                form_url=setup.form_page.get_full_url(),
                made=console.made_for(setup.organisation),
            )
        )
