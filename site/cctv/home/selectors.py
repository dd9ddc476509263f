"""The one way to read the site-wide settings (ServiceSettings): from the cache, which every save forgets.

Public pages, the form, notifications, receipts and retention all read them here.
"""

from wagtail.models import Site

from cctv.caching import cache_key, cached, versions
from cctv.caching.routes import ROUTE_SECONDS, site_for_request
from cctv.home.models import ServiceSettings

FAMILY = "service-settings"


def forget_service_settings(**kwargs) -> None:
    versions.bump(FAMILY)


def _for_default_site() -> ServiceSettings | None:
    site = Site.objects.filter(is_default_site=True).first()
    return ServiceSettings.for_site(site) if site is not None else None


def service_settings(site_or_request=None) -> ServiceSettings | None:
    """The settings of a site, or of a request's site (found through the route cache); given nothing, those of
    the default site (background jobs have no request). None when there is no such site."""
    if site_or_request is None:
        # Which site is the default is routing data: a change of it bumps "routes".
        key = cache_key(FAMILY, "default", families=(FAMILY, "routes"))
        return cached(key, ROUTE_SECONDS, _for_default_site)
    site = site_or_request if isinstance(site_or_request, Site) else site_for_request(site_or_request)
    if site is None:
        return None
    return cached(cache_key(FAMILY, site.pk, families=(FAMILY,)), ROUTE_SECONDS, lambda: ServiceSettings.for_site(site))


def retention_days_by_site() -> dict[int, int]:
    """Each site's retention period in days, in one query (the purge job reads every organisation's)."""
    return dict(ServiceSettings.objects.values_list("site_id", "retention_days"))
