import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, HttpResponse

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen on a dual-stack socket (::ffff:203.0.113.7) is the same client as 203.0.113.7.
    return getattr(address, "ipv4_mapped", None) or address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"CCTV_TRUSTED_PROXIES: {error}") from error


def _trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.CCTV_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's address, for the throttles (RATELIMIT_IP_META_KEY), django-axes (AXES_CLIENT_IP_CALLABLE)
    and the access logs.

    X-Forwarded-For is believed only when the connection comes from one of CCTV_TRUSTED_PROXIES; the client is
    then the right-most address in it that is not itself a trusted proxy. Entries to the left of that one are
    whatever the client sent and are never read.
    """
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return request.META.get("REMOTE_ADDR") or None
    if not _trusted(remote):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Not an address a proxy of ours would write: stop here, at the last address we could trust.
            break
        client = address
        if not _trusted(address):
            break
    return str(client)


def private_file_response(field_file, content_type: str, *, download_name: str = "") -> HttpResponse:
    prefix = settings.CCTV_PRIVATE_X_ACCEL_PREFIX
    if prefix:
        # nginx streams the file from an internal location; the access check and the log stay here.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{field_file.name}"
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    if download_name:
        ascii_name = download_name.encode("ascii", "ignore").decode().replace('"', "") or "footage"
        response["Content-Disposition"] = f'attachment; filename="{ascii_name}"'
    else:
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
