from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from . import services
from .models import AccessLog, Attachment, FootageRequest
from .selectors import user_may_see_request


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _private_file_response(field_file, content_type: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


def attachment_file(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
    if not user_may_see_request(request.user, attachment.request):
        raise PermissionDenied
    services.record_access(
        footage_request=attachment.request,
        user=request.user,
        what=AccessLog.What.ATTACHMENT,
        object_id=attachment.pk,
        ip=_client_ip(request),
    )
    return _private_file_response(attachment.file, attachment.content_type)


def signature_file(request, pk: int):
    footage_request = get_object_or_404(FootageRequest, pk=pk)
    if not user_may_see_request(request.user, footage_request):
        raise PermissionDenied
    services.record_access(
        footage_request=footage_request, user=request.user, what=AccessLog.What.SIGNATURE, ip=_client_ip(request)
    )
    return _private_file_response(footage_request.signature, "image/png")
