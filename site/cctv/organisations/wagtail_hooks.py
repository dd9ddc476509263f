"""The superuser's console of organisations in the Wagtail admin (admin_views) and its audit codes (console)."""

from wagtail import hooks

from cctv.organisations import console
from cctv.organisations.admin_views import NAMESPACE, OrganisationViewSet


@hooks.register("register_admin_viewset")
def register_organisation_console():
    return OrganisationViewSet(NAMESPACE)


@hooks.register("register_log_actions")
def register_organisation_log_actions(actions):
    for code, label, message in console.LOG_ACTIONS:
        actions.register_action(code, label, message)


# The console's "add organisation" (cctv.organisations.add_view), beside the viewset's own URLs.
@hooks.register("register_admin_urls")
def register_organisation_add_url():
    from django.urls import path

    from cctv.organisations.add_view import URL_NAME, OrganisationAddView

    return [path("cctv/organisations/add/", OrganisationAddView.as_view(), name=URL_NAME)]


@hooks.register("register_log_actions")
def register_organisation_added_log_action(actions):
    actions.register_action(*console.ADD_LOG_ACTION)
