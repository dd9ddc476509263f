from django.core.cache import cache

from .models import ServiceSettings
from .routing import ROUTE_SECONDS, site_for_request

_KEY = "cctv:service-settings:{site}:{version}"
_VERSION_KEY = "cctv:service-settings:version"


def forget_service_settings(**kwargs) -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def cached_service_settings(request) -> ServiceSettings | None:
    site = site_for_request(request)
    if site is None:
        return None
    key = _KEY.format(site=site.pk, version=cache.get_or_set(_VERSION_KEY, 1, None))
    service = cache.get(key)
    if service is None:
        service = ServiceSettings.for_site(site)
        cache.set(key, service, ROUTE_SECONDS)
    return service


def service(request):
    """``service``: the site's ServiceSettings, from the cache (every public page shows them)."""
    return {"service": cached_service_settings(request)}
