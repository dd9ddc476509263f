""" "หน่วยงาน" in the Wagtail admin: the superuser's listing of every organisation with its counts, the edit of its
names, and the confirmed closing and re-opening of its service (cctv.organisations.console).

No URL of the viewset adds, copies or deletes an organisation: ``create_organisation`` makes them (the console's
"add organisation" is cctv.organisations.add_view) and they are closed, never deleted. The site never changes
here, nor the reference prefix once references carry it.
"""

from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from cctv.organisations import console
from cctv.organisations.models import Organisation

NAMESPACE = "cctv_organisations"


class OrganisationForm(WagtailAdminModelForm):
    """The names always; the prefix only while no reference carries it (the numbers issued stay as they are)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields and console.has_references(self.instance):
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("References already carry this prefix, so it is kept.")


class CountColumn(Column):
    """A count, with thousands separated ("1,204"): Wagtail's Column shows numbers unlocalised."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = f"{self.get_value(instance):,}"
        return context


class OrganisationIndexView(generic.IndexView):
    default_ordering = "name_th"

    @cached_property
    def header_buttons(self):
        # Not the viewset's add view: cctv.organisations.add_view makes the whole municipality, not just the row.
        return [HeaderButton(_t("Add organisation"), url=reverse("cctv_organisations_add"), icon_name="plus")]

    def get_base_queryset(self):
        return console.with_counts(super().get_base_queryset())

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        name = "open" if not instance.active else "close"
        label = _("Re-open the service") if not instance.active else _("Close the service")
        buttons.append(
            ListingButton(
                label,
                url=reverse(f"{NAMESPACE}:{name}", args=(quote(instance.pk),)),
                icon_name="undo" if not instance.active else "lock",
                priority=30,
            )
        )
        return buttons


class OrganisationStatusView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, View):
    """The confirmation page of closing (``open_ = False``) or re-opening an organisation, and its POST."""

    model = Organisation
    permission_policy = None  # set by the viewset
    permission_required = "change"
    template_name = "organisations/admin/confirm_status.html"
    header_icon = "site"
    open_ = False
    index_url_name = ""

    def get_object(self):
        return get_object_or_404(Organisation.objects.select_related("site"), pk=self.pk)

    def get_page_title(self):
        return _t("Re-open the service") if self.open_ else _t("Close the service")

    def get_page_subtitle(self):
        return self.object.name_th

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _t("Organisations")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.object.name_th},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, open_=self.open_, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.object.active == self.open_:
            return redirect(self.index_url_name)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        if console.set_open(self.object, open_=self.open_, user=request.user):
            message = _t("%(name)s is open again.") if self.open_ else _t("%(name)s is closed.")
            messages.success(request, message % {"name": self.object.name_th})
        return redirect(self.index_url_name)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("Organisations")
    menu_name = "organisations"
    add_to_admin_menu = True
    menu_order = 1000
    url_prefix = "cctv/organisations"
    url_namespace = NAMESPACE
    index_view_class = OrganisationIndexView
    copy_view_enabled = False
    add_to_reference_index = False
    search_fields = ["name_th", "name_en", "code"]
    list_export = []
    list_filter = []
    edit_handler = ObjectList(
        [FieldPanel("name_th"), FieldPanel("name_en"), FieldPanel("code")], base_form_class=OrganisationForm
    )
    list_display = [
        "name_th",  # the title column: a link to the edit view, and the row's menu (close, re-open)
        Column("hostname", label=_("host name"), accessor="site.hostname"),
        Column("code", label=_("reference prefix")),
        StatusTagColumn(
            "active",
            label=_("service"),
            accessor=lambda organisation: _t("open") if organisation.active else _t("closed"),
            primary=lambda organisation: organisation.active,
        ),
        CountColumn("request_count", label=_("requests")),
        CountColumn("in_progress_count", label=_("requests in progress")),
        CountColumn("station_count", label=_("stations")),
        CountColumn("member_count", label=_("staff")),
    ]

    @property
    def permission_policy(self):
        return console.SuperusersOnlyPolicy(self.model)

    def get_common_view_kwargs(self, **kwargs):
        # No add, copy or delete view: nothing may link to one.
        return super().get_common_view_kwargs(add_url_name=None, delete_url_name=None, **kwargs)

    def status_view(self, open_: bool):
        return OrganisationStatusView.as_view(
            permission_policy=self.permission_policy, open_=open_, index_url_name=self.get_url_name("index")
        )

    def get_urlpatterns(self):
        kept = ("index", "index_results", "edit", "history", "history_results", "usage")
        return [
            *(pattern for pattern in super().get_urlpatterns() if pattern.name in kept),
            path("close/<int:pk>/", self.status_view(False), name="close"),
            path("open/<int:pk>/", self.status_view(True), name="open"),
        ]

    def get_permissions_to_register(self):
        """No right of a group's page reaches this console: it is the superuser's alone."""
        return Permission.objects.none()
