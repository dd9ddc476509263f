from django.http import Http404
from wagtail import hooks

from cctv.organisations.context import current_scope
from cctv.organisations.models import Organisation


@hooks.register("before_edit_setting")
def only_settings_of_own_organisation(request, instance):
    """Wagtail's settings view finds a site's settings by the site's id in the URL for anyone with the change
    permission: staff of one organisation must not read or change another's (its sender, its SMS account)."""
    scope = current_scope()
    site_id = getattr(instance, "site_id", None)
    if scope is None or site_id is None:
        return None  # nothing scoped (a superuser, or an installation of one organisation)
    if not Organisation.objects.filter(site_id=site_id, pk__in=scope).exists():
        raise Http404
    return None
