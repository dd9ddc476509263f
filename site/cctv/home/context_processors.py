from cctv.home.selectors import service_settings


def service(request):
    """``service``: the site's ServiceSettings, from the cache (every public page shows them)."""
    return {"service": service_settings(request)}
