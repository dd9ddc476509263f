"""The request's edit view in the admin: a read-only summary of everything a decision needs, then the few
contact fields staff may correct. It composes every domain (approval, handling, privacy), so it sits above them
and the model does not know it (the viewset sets it)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

from workflow.approval.models import Decision
from workflow.handling.models import FootagePreservation, PrivacyDecision, ReviewFinding, StepRecord
from workflow.handling.risk import days_left, is_at_risk
from workflow.handling.services import release_refusal
from workflow.handling.views import ACTIONS, may_handle, steps_for
from workflow.request.models import FootageRequest
from workflow.request.timeline import exchanges


def request_for_review(pk: int) -> FootageRequest:
    """Everything the request view shows, in a fixed number of queries."""
    return (
        FootageRequest.objects.select_related("request_type", "station", "privacy_policy_revision")
        .prefetch_related(
            "attachments",
            "cameras",
            Prefetch("decisions", queryset=Decision.objects.select_related("user", "reason")),
            Prefetch("preservations", queryset=FootagePreservation.objects.select_related("staff")),
            "preservations__cameras",
            Prefetch("findings", queryset=ReviewFinding.objects.select_related("camera")),
            Prefetch("privacy_decisions", queryset=PrivacyDecision.objects.select_related("legal_basis")),
            "appointments",
            "copies__downloads",
            "receipts",
            Prefetch("step_records", queryset=StepRecord.objects.select_related("camera", "staff")),
        )
        .select_related("no_footage_reason")
        .get(pk=pk)
    )


class RequestSummaryPanel(Panel):
    """Everything a decision needs on one screen, read-only: applicant, incident, files, earlier decisions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflow/panels/request_summary.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            footage_request = request_for_review(self.instance.pk)
            context.update(
                footage_request=footage_request,
                days_left=days_left(footage_request),
                at_risk=is_at_risk(footage_request, preserved=bool(footage_request.preservations.all())),
                steps=steps_for(footage_request),
                can_handle=may_handle(self.request.user, footage_request),
                actions=[(key, action.title) for key, action in ACTIONS.items()],
                release_refusal=release_refusal(footage_request, copies=True),
                # What staff asked and what the applicant answered, with the documents sent then (prefetched rows).
                exchanges=exchanges(
                    footage_request=footage_request,
                    decisions=footage_request.decisions.all(),
                    attachments=footage_request.attachments.all(),
                ),
            )
            return context


REQUEST_PANELS = [
    RequestSummaryPanel(heading=_("Request")),
    MultiFieldPanel(
        [
            FieldPanel("phone"),
            FieldPanel("email"),
            FieldPanel("address_house_no"),
            FieldPanel("address_village"),
            FieldPanel("address_road"),
            FieldPanel("address_subdistrict"),
            FieldPanel("address_district"),
            FieldPanel("address_province"),
            FieldPanel("address_postcode"),
            FieldPanel("correction_reason"),
        ],
        heading=_("Correct contact details"),
        classname="collapsed",
    ),
]
