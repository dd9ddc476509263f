"""How satisfied an applicant was with the service, asked once their request has ended (issue #16)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cctv.organisations.context import ScopedManager
from cctv.organisations.models import organisation_key
from workflow.constants import DISSATISFIED_AT_MOST
from workflow.constants import SATISFACTION_SCORES as SCORES
from workflow.request.models import FootageRequest, RequestType

COMMENT_MAX_LENGTH = 1000


__all__ = ["COMMENT_MAX_LENGTH", "DISSATISFIED_AT_MOST", "SCORES", "SatisfactionRating"]


class SatisfactionRating(models.Model):
    """One per request, given by whoever holds its status link. When the request is erased (retention or the
    applicant's erasure) the rating stays for the monthly report without its link to the request and without the
    comment, which is the applicant's own words."""

    organisation = organisation_key()
    request = models.OneToOneField(
        FootageRequest,
        null=True,
        on_delete=models.SET_NULL,
        related_name="satisfaction",
        verbose_name=_("request"),
    )
    request_type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, related_name="+", verbose_name=_("request type")
    )
    score = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=SCORES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="satisfaction_score_1_to_5")
        ]

    def __str__(self):
        return f"{self.score}/5 ({self.pk})"

    @property
    def dissatisfied(self) -> bool:
        return self.score <= DISSATISFIED_AT_MOST
