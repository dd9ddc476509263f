from django.conf import settings
from django.http import FileResponse, HttpResponse


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


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
