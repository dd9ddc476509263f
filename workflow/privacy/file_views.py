"""ID-card copies and signatures, streamed to staff who may see the request, each read written to the access log."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cctv.http import client_ip, private_file_response
from workflow.privacy.access import record_access
from workflow.privacy.models import AccessLog
from workflow.request.models import Attachment, FootageRequest
from workflow.request.selectors import user_may_see_request


def attachment_file(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
    if not user_may_see_request(request.user, attachment.request):
        raise PermissionDenied
    record_access(
        footage_request=attachment.request,
        user=request.user,
        what=AccessLog.What.ATTACHMENT,
        object_id=attachment.pk,
        ip=client_ip(request),
    )
    return private_file_response(attachment.file, attachment.content_type)


def signature_file(request, pk: int):
    footage_request = get_object_or_404(FootageRequest, pk=pk)
    if not user_may_see_request(request.user, footage_request):
        raise PermissionDenied
    record_access(
        footage_request=footage_request, user=request.user, what=AccessLog.What.SIGNATURE, ip=client_ip(request)
    )
    return private_file_response(footage_request.signature, "image/png")
