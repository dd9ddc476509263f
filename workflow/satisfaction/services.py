"""The applicant rates the service once, after their request has ended."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from workflow import lifecycle, log_actions
from workflow.request import public_state
from workflow.request.models import FootageRequest
from workflow.satisfaction.models import SatisfactionRating


def may_rate(footage_request: FootageRequest) -> bool:
    return footage_request.public_status in lifecycle.FINAL


def rate_service(*, footage_request: FootageRequest, score: int, comment: str = "") -> SatisfactionRating:
    if not may_rate(footage_request):
        raise ValidationError(_("You can rate the service once your request has ended."))
    try:
        with transaction.atomic():
            rating = SatisfactionRating.objects.create(
                organisation_id=footage_request.organisation_id,
                request=footage_request,
                request_type_id=footage_request.request_type_id,
                score=score,
                comment=comment.strip(),
            )
            log(instance=footage_request, action=log_actions.RATED, user=None, data={"score": score})
    except IntegrityError as error:
        raise ValidationError(_("You have already rated this request. Thank you.")) from error
    public_state.forget(footage_request.token)
    return rating
