"""The superuser's console of organisations in the Wagtail admin (admin_views) and its audit codes (console);
the scoping of Wagtail's own explorer, choosers and staff accounts (wagtail_scope; the rest: wagtail_guard)."""

from wagtail import hooks
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.models import Page

from cctv.organisations import console, wagtail_scope
from cctv.organisations.admin_views import NAMESPACE, OrganisationViewSet
from cctv.organisations.context import current_scope
from cctv.organisations.wagtail_listings import TheirExplorerPages


class TheirPagesAdminAPIViewSet(TheirExplorerPages, PagesAdminAPIViewSet):
    pass


@hooks.register("register_admin_viewset")
def register_organisation_console():
    return OrganisationViewSet(NAMESPACE)


@hooks.register("register_log_actions")
def register_organisation_log_actions(actions):
    for code, label, message in console.LOG_ACTIONS:
        actions.register_action(code, label, message)


# Wagtail's own admin for a scoped staff member: their organisations' pages and staff only (ADR 0016, step 4).
@hooks.register("construct_explorer_page_queryset")
def explore_only_their_pages(parent_page, pages, request):
    return pages.filter(wagtail_scope.in_trees(wagtail_scope.tree_paths(request))) if current_scope() else pages


@hooks.register("construct_page_chooser_queryset")
def choose_only_their_pages(pages, request):
    return pages.filter(wagtail_scope.in_trees(wagtail_scope.tree_paths(request))) if current_scope() else pages


@hooks.register("construct_admin_api")
def explorer_api_of_their_pages(router):
    router.register_endpoint("pages", TheirPagesAdminAPIViewSet)


@hooks.register("after_create_user")
def make_new_staff_members_of_their_organisations(request, user):
    # A scoped administrator's new account works where the administrator does (with one organisation: no scope).
    ids = current_scope()
    if ids:
        user.organisations.add(*ids)


# The console's "add organisation" (cctv.organisations.add_view), beside the viewset's own URLs.
@hooks.register("register_admin_urls")
def register_organisation_add_url():
    from django.urls import path

    from cctv.organisations.add_view import URL_NAME, OrganisationAddView

    return [path("cctv/organisations/add/", OrganisationAddView.as_view(), name=URL_NAME)]


@hooks.register("register_log_actions")
def register_organisation_added_log_action(actions):
    actions.register_action(*console.ADD_LOG_ACTION)


class TheirPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count, for a scoped staff member: the pages of their organisations' sites, named by
    their organisation, not every page of the installation under the installation's name."""

    def get_context_data(self, parent_context):
        if not current_scope():
            return super().get_context_data(parent_context)
        from wagtail.models import Site

        sites = list(Site.objects.filter(organisation__pk__in=current_scope()).select_related("root_page"))
        return {
            "root_page": sites[0].root_page if len(sites) == 1 else Page.get_first_root_node(),
            "total_pages": wagtail_scope.their_pages(self.request).count(),
            "site_name": ", ".join(site.site_name or site.hostname for site in sites),
        }


@hooks.register("construct_homepage_summary_items")
def count_only_their_pages(request, items):
    items[:] = [TheirPagesSummaryItem(request) if type(item) is PagesSummaryItem else item for item in items]
