from workflow.privacy.models import AccessLog
from workflow.request.models import FootageRequest


def record_access(*, footage_request: FootageRequest, user, what: str, object_id: int | None = None, ip: str | None):
    """Appends to the access log; called by every view that shows personal data or a file."""
    return AccessLog.objects.create(
        request=footage_request, user=user, what=what, object_id=object_id, ip_address=ip or None
    )
