from django.core.cache import cache

from cctv.caching import versions
from cctv.caching.routes import ROUTE_SECONDS, site_for_request
from cctv.home.models import ServiceSettings

_KEY = "cctv:service-settings:{site}:{version}"


def forget_service_settings(**kwargs) -> None:
    versions.bump("service-settings")


def cached_service_settings(request) -> ServiceSettings | None:
    site = site_for_request(request)
    if site is None:
        return None
    key = _KEY.format(site=site.pk, version=versions.current("service-settings"))
    service = cache.get(key)
    if service is None:
        service = ServiceSettings.for_site(site)
        cache.set(key, service, ROUTE_SECONDS)
    return service


def service(request):
    """``service``: the site's ServiceSettings, from the cache (every public page shows them)."""
    return {"service": cached_service_settings(request)}
